package dev.finote.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.util.List;

/**
 * Turns a word picocli does not know into an {@code error:}/{@code next:} pair that names the
 * command meant: {@code finote migrate} → "did you mean `finote db migrate`?" (the {@code db}
 * commands are the ones people type at the top level), {@code finote serv} → "did you mean
 * `finote serve`?". Other parameter errors keep picocli's own report.
 */
public final class UnknownCommandHandler implements IParameterExceptionHandler {

    private final IParameterExceptionHandler fallback;

    public UnknownCommandHandler(IParameterExceptionHandler fallback) {
        this.fallback = fallback;
    }

    @Override
    public int handleParseException(ParameterException exception, String[] args) throws Exception {
        if (!(exception instanceof UnmatchedArgumentException unmatched) || unmatched.getUnmatched().isEmpty()) {
            return fallback.handleParseException(exception, args);
        }
        CommandLine command = unmatched.getCommandLine();
        String word = unmatched.getUnmatched().getFirst();
        String where = command.getCommandSpec().qualifiedName();
        String suggestion = suggestion(command, word, unmatched.getSuggestions());
        var err = command.getErr();
        if (word.startsWith("-")) {
            err.println("error: `" + where + "` has no option " + word + ".");
        } else {
            err.println("error: `" + where + "` has no command or argument '" + word + "'.");
        }
        err.println(suggestion == null
                ? "next:  `" + where + " --help` lists what it accepts."
                : "next:  did you mean `" + suggestion + "`? (`" + where + " --help` lists what it accepts)");
        err.flush();
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** The full command line meant, or null when nothing is close. */
    private static String suggestion(CommandLine command, String word, List<String> close) {
        String where = command.getCommandSpec().qualifiedName();
        // A subcommand of a subcommand given one level too high: `finote migrate` → `finote db migrate`.
        for (CommandLine sub : command.getSubcommands().values()) {
            if (sub.getSubcommands().containsKey(word)) return sub.getCommandSpec().qualifiedName() + " " + word;
        }
        return close.isEmpty() ? null : where + " " + close.getFirst();
    }
}
