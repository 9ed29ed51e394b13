package dev.finote.server.cli;

import dev.finote.server.config.FinoteSettings;
import dev.finote.server.config.SettingsException;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {
                "Run the Finote server for production; it never changes the schema.",
                "Apply migrations first with `finote db migrate`; until then /readyz reports the",
                "schema as behind.",
                "With NODE_ENV=production it refuses to start without DATABASE_URL or with a missing,",
                "short or placeholder SESSION_SECRET, and sets Secure, SameSite=None cookies."})
public final class ServeCommand implements Callable<Integer> {

    private final Map<String, String> environment;
    private final PrintWriter err;

    public ServeCommand(Map<String, String> environment, PrintWriter err) {
        this.environment = environment;
        this.err = err;
    }

    @Override
    public Integer call() {
        FinoteSettings settings;
        try {
            settings = FinoteSettings.fromEnvironment(environment);
        } catch (SettingsException e) {
            return ServerRun.refuse(err, e.problems());
        }
        if (!settings.serveProblems().isEmpty()) return ServerRun.refuse(err, settings.serveProblems());
        if (!ServerRun.portAvailable(settings.port())) return ServerRun.portInUse(err, settings.port(), "serve");
        return ServerRun.start(settings, settings.databaseUrl().orElseThrow(), err, () -> { });
    }
}
