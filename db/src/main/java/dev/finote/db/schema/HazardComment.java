package dev.finote.db.schema;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one reader and writer of {@code -- hazard: <code>: <why>} comments: {@code generate} writes
 * one above each statement per hazard; {@code check} reads them as acknowledgements, {@code migrate}
 * reads {@code deletes-data} ones to take a backup first, and the preview lists them. The code is
 * kept as written, so an acknowledgement of a hazard this build does not know (e.g.
 * {@code breaks-running-release}) still reads.
 *
 * <p>A comment is one line: the writer folds each line break of a reason into a space (a reason
 * spanning lines would otherwise end the comment and put the rest of it into the SQL) and strips
 * it, so what it writes reads back exactly.
 *
 * @param code   kebab-case, e.g. {@code deletes-data}
 * @param reason what follows the second colon, possibly empty
 */
public record HazardComment(String code, String reason) {

    private static final Pattern CODE = Pattern.compile("[a-z][a-z-]*");
    private static final Pattern LINE = Pattern.compile("(?i)^\\s*--\\s*hazard:\\s*([a-z][a-z-]*)\\s*:?\\s*(.*?)\\s*$");
    private static final Pattern LINE_BREAKS = Pattern.compile("\\s*\\R\\s*");

    public HazardComment {
        if (!CODE.matcher(code).matches()) throw new IllegalArgumentException("not a hazard code: " + code);
        reason = LINE_BREAKS.matcher(reason == null ? "" : reason).replaceAll(" ").strip();
    }

    /** The comment line for {@code hazard} on {@code step}, without a newline. */
    public static String write(Step step, Hazard hazard) {
        return new HazardComment(hazard.code(), step.reason(hazard)).line();
    }

    /** This comment as one line, without a newline. */
    public String line() {
        return "-- hazard: " + code + ": " + reason;
    }

    /** The hazard comment this one {@code --} comment (or line) is, if it is one. */
    public static Optional<HazardComment> read(String comment) {
        Matcher match = LINE.matcher(comment);
        if (!match.matches()) return Optional.empty();
        return Optional.of(new HazardComment(match.group(1).toLowerCase(Locale.ROOT), match.group(2)));
    }

    /**
     * Every hazard comment of a migration's text, in order: {@code --} comments only, so text in a
     * string, a function body or a block comment that looks like one is not one.
     */
    public static List<HazardComment> readAll(String sql) {
        return SqlLexer.tokens(sql).stream().filter(token -> token.kind() == SqlLexer.Kind.LINE_COMMENT)
                .flatMap(token -> read(token.text()).stream()).toList();
    }

    /** The codes of every hazard comment of a migration's text: what the file acknowledges. */
    public static Set<String> codes(String sql) {
        Set<String> codes = new LinkedHashSet<>();
        readAll(sql).forEach(comment -> codes.add(comment.code()));
        return codes;
    }

    /** The hazard this build knows by this code, if any. */
    public Optional<Hazard> hazard() {
        return Hazard.fromCode(code);
    }
}
