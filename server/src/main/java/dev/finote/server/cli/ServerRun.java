package dev.finote.server.cli;

import dev.finote.db.DatabaseUrl;
import dev.finote.server.FinoteApplication;
import dev.finote.server.config.FinoteSettings;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.PrintWriter;
import java.util.List;

/** Shared by {@code dev} and {@code serve}: reporting refusals, and running the server until SIGTERM. */
final class ServerRun {

    static final int EXIT_CONFIGURATION = 2;

    private ServerRun() {
    }

    static int refuse(PrintWriter err, List<String> problems) {
        err.println("error: finote cannot start with this configuration:");
        problems.forEach(problem -> err.println("  - " + problem));
        err.flush();
        return EXIT_CONFIGURATION;
    }

    /**
     * Starts the server; on SIGTERM the context closes first (in-flight requests finish),
     * then {@code afterStop} runs (the embedded database stops last).
     */
    static int start(FinoteSettings settings, DatabaseUrl database, PrintWriter err, Runnable afterStop) {
        return startContext(settings, database, err, afterStop) == null ? 1 : 0;
    }

    /** As {@link #start}, returning the running context (null when it did not start). */
    static ConfigurableApplicationContext startContext(FinoteSettings settings, DatabaseUrl database, PrintWriter err, Runnable afterStop) {
        ConfigurableApplicationContext context;
        // The command line's quiet logging was for the phase before Spring; Spring Boot configures its own.
        System.clearProperty("logback.configurationFile");
        try {
            context = FinoteApplication.start(settings, database);
        } catch (RuntimeException e) {
            // Spring has already logged why (port in use, bad configuration…).
            afterStop.run();
            err.println("error: the server did not start: " + rootMessage(e));
            return null;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            context.close();
            afterStop.run();
        }, "finote-shutdown"));
        return context;
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null) root = root.getCause();
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
