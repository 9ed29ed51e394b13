package dev.finote.server.notes.imports;

/** A note of the file that was not imported: which one ({@code note}: its file name or position) and why (a snake_case code). */
public record ImportProblem(String note, String message) {
}
