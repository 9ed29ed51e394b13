package dev.finote.server.notes.imports;

import java.util.List;

/** The answer to an import: notes added, notes already there (imported before), and notes refused. */
public record ImportResult(int imported, int skipped, List<ImportProblem> problems) {
}
