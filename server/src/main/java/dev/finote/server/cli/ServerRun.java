package dev.finote.server.cli;

import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.server.FinoteApplication;
import dev.finote.server.config.FinoteSettings;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
     * Whether {@code port} can be listened on now. Asked before anything starts (the embedded
     * PostgreSQL, Spring), so that a port in use is one {@code error:}/{@code next:} pair rather
     * than Spring's "APPLICATION FAILED TO START" box after seconds of work. Port 0 (any free
     * port) is always available.
     */
    static boolean portAvailable(int port) {
        if (port == 0) return true;
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(port)); // the wildcard address, as Tomcat binds it
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }

    static int portInUse(PrintWriter err, int port, String command) {
        err.println("error: port " + port + " is already in use (another finote, or another program, listens on it).");
        err.println("next:  stop that program, or choose another port: PORT=" + (port == 65535 ? 3000 : port + 1) + " finote " + command);
        err.flush();
        return 1;
    }

    /**
     * Starts the server; on SIGTERM the context closes first (in-flight requests finish),
     * then {@code afterStop} runs (the embedded database stops last).
     */
    static int start(FinoteSettings settings, DatabaseUrl database, PrintWriter err, Runnable afterStop) {
        return startContext(settings, database, false, err, afterStop) == null ? 1 : 0;
    }

    /**
     * As {@link #start}, returning the running context (null when it did not start); {@code quiet}
     * keeps the frameworks' INFO lines off the console.
     */
    static ConfigurableApplicationContext startContext(FinoteSettings settings, DatabaseUrl database, boolean quiet,
                                                       PrintWriter err, Runnable afterStop) {
        ConfigurableApplicationContext context;
        // The command line's quiet logging was for the phase before Spring; Spring Boot configures its own.
        System.clearProperty("logback.configurationFile");
        try {
            context = FinoteApplication.start(settings, database, quiet);
        } catch (RuntimeException e) {
            afterStop.run();
            if (causedBy(e, PortInUseException.class)) {
                // Taken between the check before starting and Tomcat's bind.
                portInUse(err, settings.port(), quiet ? "dev" : "serve");
            } else {
                // Spring has already logged why.
                err.println("error: the server did not start: " + rootMessage(e));
            }
            return null;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // The embedded PostgreSQL stops even when closing the context fails: it must never outlive us.
            try {
                context.close();
            } finally {
                afterStop.run();
            }
        }, "finote-shutdown"));
        return context;
    }

    private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) return true;
        }
        return false;
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null) root = root.getCause();
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
