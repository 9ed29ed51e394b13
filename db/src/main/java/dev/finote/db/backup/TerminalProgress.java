package dev.finote.db.backup;

import java.io.PrintWriter;

/** Progress on one terminal line, redrawn at most a few times a second (only used when stderr is a terminal). */
public final class TerminalProgress implements Progress {

    private static final long INTERVAL_NANOS = 200_000_000L;

    private final PrintWriter err;
    private String label = "";
    private long lastDraw;
    private long rows;
    private long bytes;

    public TerminalProgress(PrintWriter err) {
        this.err = err;
    }

    /** Progress for a terminal when there is one, else {@link Progress#NONE}. */
    public static Progress forConsole(PrintWriter err) {
        return Terminal.attached() ? new TerminalProgress(err) : Progress.NONE;
    }

    @Override
    public void table(String verb, String table) {
        label = verb + " " + table;
        rows = 0;
        bytes = 0;
        lastDraw = 0;
        draw();
    }

    @Override
    public void rows(long rows, long bytes) {
        this.rows = rows;
        this.bytes = bytes;
        long now = System.nanoTime();
        if (now - lastDraw >= INTERVAL_NANOS) draw();
    }

    @Override
    public void done() {
        draw();
        err.print('\n');
        err.flush();
    }

    private void draw() {
        lastDraw = System.nanoTime();
        err.printf("\r  %-32s %,14d rows %12s", label, rows, Sizes.human(bytes));
        err.flush();
    }
}
