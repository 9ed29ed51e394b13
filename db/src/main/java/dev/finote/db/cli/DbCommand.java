package dev.finote.db.cli;

import dev.finote.db.ActionableException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code finote db}: the database lifecycle as commands. Every failure is reported as one
 * line naming the problem and the next command to run, never as a stack trace.
 */
@Command(name = "db", mixinStandardHelpOptions = true,
        description = {"The database lifecycle: migrations, push and pull, backup, restore, reset.",
                "schema.sql is the source of truth; migrations are generated from it, committed, and",
                "applied as an operational step."},
        footer = {"", "The database comes from --url, else DATABASE_URL, else the project's embedded development database."})
public final class DbCommand implements Runnable {

    /** Help texts are written for 100 columns (picocli's default of 80 would break their lines). */
    public static final int USAGE_WIDTH = 100;

    @Spec
    CommandSpec spec;

    /** Builds {@code db} with its subcommands, ready to be added to a parent command line. */
    public static CommandLine commandLine(DbContext context) {
        CommandLine line = new CommandLine(new DbCommand());
        line.addSubcommand(new CommandLine(new GenerateCommand(context)));
        line.addSubcommand(new CommandLine(new MigrateCommand(context)));
        line.addSubcommand(new CommandLine(new PushCommand(context)));
        line.addSubcommand(new CommandLine(new StatusCommand(context)));
        line.addSubcommand(new CommandLine(new CheckCommand(context)));
        line.addSubcommand(new CommandLine(new PullCommand(context)));
        line.addSubcommand(new CommandLine(new BackupCommand(context)));
        line.addSubcommand(new CommandLine(new RestoreCommand(context)));
        line.addSubcommand(new CommandLine(new ResetCommand(context)));
        line.setExecutionExceptionHandler(DbCommand::report);
        line.getSubcommands().values().forEach(sub -> sub.setExecutionExceptionHandler(DbCommand::report));
        line.setUsageHelpWidth(USAGE_WIDTH); // after the subcommands: picocli passes it to those present
        return line;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: choose one of " + spec.subcommands().keySet());
    }

    /** Turns the failures we expect into one clear line and an exit code; anything else is a bug and keeps its trace. */
    static int report(Exception error, CommandLine commandLine, CommandLine.ParseResult parseResult) throws Exception {
        var err = commandLine.getErr();
        switch (error) {
            case ActionableException failure -> failure.print(err);
            case java.io.UncheckedIOException io -> {
                err.println("error: " + io.getMessage());
                err.println("next:  check the path and its permissions, then try again");
            }
            default -> {
                // Never a stack trace for the operator; FINOTE_DEBUG=1 shows it to whoever fixes it.
                if (System.getenv("FINOTE_DEBUG") != null) throw error;
                err.println("error: unexpected failure: " + error);
                err.println("next:  this is a bug in finote: please report it with the command you ran (FINOTE_DEBUG=1 prints the stack trace)");
            }
        }
        err.flush();
        return 1;
    }
}
