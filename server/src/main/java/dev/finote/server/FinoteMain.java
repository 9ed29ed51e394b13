package dev.finote.server;

import dev.finote.db.migrations.ProjectLayout;
import dev.finote.db.cli.DbCommand;
import dev.finote.db.cli.DbContext;
import dev.finote.server.cli.DevCommand;
import dev.finote.server.cli.ServeCommand;
import dev.finote.server.cli.TestCommand;
import dev.finote.server.cli.UnknownCommandHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * The {@code finote} command line: {@code dev}, {@code serve} and {@code db …}.
 * {@code db} commands run through the toolkit without starting the web stack.
 */
@Command(name = "finote", mixinStandardHelpOptions = true, versionProvider = FinoteMain.Version.class,
        description = "Finote: a personal notes service and its database toolkit.",
        footer = {"", "Start here: `finote dev` serves Finote on http://localhost:3000 with an embedded PostgreSQL.",
                "Configuration comes from NODE_ENV, PORT, DATABASE_URL, SESSION_SECRET, SESSION_NAME, CORS_ORIGIN, DB_POOL_MAX."})
public final class FinoteMain implements Runnable {

    public static void main(String[] args) {
        // Before any logger exists: the command line prints its own messages; libraries speak only to warn.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "logback-cli.xml");
        }
        // `finote serve` alone, as servers are started: run without building the whole command line
        // (picocli's model of every db command cost 0.1-0.3 s of each start, and picocli's classes,
        // compiled for Java 5, cannot be held in the JVM's AOT cache). Anything else goes through picocli.
        int exitCode = args.length == 1 && args[0].equals("serve")
                ? new ServeCommand(System.getenv(), new PrintWriter(System.err, true)).call()
                : commandLine(System.getenv(), Path.of("").toAbsolutePath()).execute(args);
        if (exitCode != 0 || !(args.length > 0 && (args[0].equals("dev") || args[0].equals("serve")))) {
            System.exit(exitCode);
        }
        // dev and serve keep running on the web server's threads until SIGTERM.
    }

    static CommandLine commandLine(Map<String, String> environment, Path workingDirectory) {
        return commandLine(environment, workingDirectory, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }

    /** The whole command line with its output going to {@code out} and {@code err} (tests run operators' commands in-process). */
    public static CommandLine commandLine(Map<String, String> environment, Path workingDirectory, PrintWriter out, PrintWriter err) {
        ProjectLayout layout = ProjectLayout.detect(environment, workingDirectory);
        CommandLine line = new CommandLine(new FinoteMain());
        line.addSubcommand(new CommandLine(new DevCommand(environment, layout, err)));
        line.addSubcommand(new CommandLine(new ServeCommand(environment, err)));
        line.addSubcommand(DbCommand.commandLine(new DbContext(environment, layout, out, err)));
        line.addSubcommand(new CommandLine(new TestCommand(err)));
        line.setOut(out);
        line.setErr(err);
        // picocli reports a failure with the handler of the command line it was executed on (this
        // one), not the subcommand's: without this, `finote db …` failures would print stack traces.
        line.setExecutionExceptionHandler(line.getSubcommands().get("db").getExecutionExceptionHandler());
        line.setParameterExceptionHandler(new UnknownCommandHandler(line.getParameterExceptionHandler()));
        line.setUsageHelpWidth(DbCommand.USAGE_WIDTH);
        return line;
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = FinoteMain.class.getPackage().getImplementationVersion();
            return new String[]{"finote " + (version == null ? "(development build)" : version)};
        }
    }
}
