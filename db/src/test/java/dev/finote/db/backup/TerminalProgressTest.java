package dev.finote.db.backup;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class TerminalProgressTest {

    @Test
    void redrawsOneLinePerTableAndEndsItWithANewline() {
        StringWriter terminal = new StringWriter();
        Progress progress = new TerminalProgress(new PrintWriter(terminal));

        progress.table("backing up", "notes");
        for (int i = 1; i <= 1000; i++) progress.rows(i * 1000L, i * 300_000L);
        progress.done();

        String text = terminal.toString();
        assertThat(text).startsWith("\r  backing up notes").endsWith("\n");
        assertThat(text.chars().filter(c -> c == '\n').count()).isEqualTo(1);
        // Throttled: a thousand updates in a moment are not a thousand redraws.
        assertThat(text.chars().filter(c -> c == '\r').count()).isBetween(2L, 20L);
        assertThat(text).contains("1,000,000 rows", "286.1 MB");
    }

    @Test
    void withoutATerminalNothingIsDrawn() {
        // Tests run with their output redirected: no terminal, so no progress.
        assertThat(TerminalProgress.forConsole(new PrintWriter(new StringWriter()))).isSameAs(Progress.NONE);
    }

    @Test
    void sizesAreForPeople() {
        assertThat(Sizes.human(512)).isEqualTo("512 B");
        assertThat(Sizes.human(16_987_000)).isEqualTo("16.2 MB");
    }
}
