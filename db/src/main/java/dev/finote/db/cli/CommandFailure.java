package dev.finote.db.cli;

/** A refusal or failure a command reports as one line plus the command (or fix) to try next. */
public class CommandFailure extends RuntimeException {
    private final String next;

    public CommandFailure(String problem, String next) {
        super(problem);
        this.next = next;
    }

    public String next() {
        return next;
    }
}
