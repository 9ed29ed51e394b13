package dev.finote.db.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one reader and writer of {@code -- hazard: <code>: <why>} comments: {@code generate} writes
 * one above each statement per hazard; {@code check} reads them as acknowledgements and
 * {@code migrate} reads {@code deletes-data} ones to take a backup first. The code is kept as
 * written, so an acknowledgement of a hazard this build does not know (e.g.
 * {@code breaks-running-release}) still reads.
 *
 * @param code   kebab-case, e.g. {@code deletes-data}
 * @param reason what follows the second colon, possibly empty
 */
public record HazardComment(String code, String reason) {

    private static final Pattern LINE = Pattern.compile("(?i)^\\s*--\\s*hazard:\\s*([a-z-]+)\\s*:?\\s*(.*?)\\s*$");

    /** The comment line for {@code hazard} on {@code step}, without a newline. */
    public static String write(Step step, Hazard hazard) {
        return "-- hazard: " + hazard.code() + ": " + step.reason(hazard);
    }

    /** The hazard comment on this one line, if it is one. */
    public static Optional<HazardComment> read(String line) {
        Matcher match = LINE.matcher(line);
        if (!match.matches()) return Optional.empty();
        return Optional.of(new HazardComment(match.group(1).toLowerCase(Locale.ROOT), match.group(2)));
    }

    /** Every hazard comment line of a migration's text, in order. */
    public static List<HazardComment> readAll(String sql) {
        List<HazardComment> found = new ArrayList<>();
        for (String line : sql.split("\n", -1)) read(line).ifPresent(found::add);
        return found;
    }

    /** The hazard this build knows by this code, if any. */
    public Optional<Hazard> hazard() {
        return Hazard.fromCode(code);
    }
}
