package dev.finote.db.backup;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether the process talks to a person at a terminal (then long commands show progress). */
final class Terminal {

    private Terminal() {
    }

    static boolean attached() {
        Console console = System.console();
        if (console == null) return false;
        // Since JDK 22 System.console() is non-null even when redirected; isTerminal() tells the truth there.
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a console exists only with a terminal
        }
    }
}
