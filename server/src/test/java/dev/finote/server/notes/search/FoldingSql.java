package dev.finote.server.notes.search;

/**
 * {@link SearchFolding}'s folding written as the PostgreSQL expression schema.sql indexes and
 * searches with (without the lower-casing that to_tsvector does), built from the same character
 * tables: tests check that schema.sql holds exactly it and that PostgreSQL folds as the server does.
 */
public final class FoldingSql {

    private FoldingSql() {
    }

    /** The folding of {@code text}, an SQL expression. */
    public static String of(String text) {
        return "translate(regexp_replace(regexp_replace(normalize(" + text + ", NFD), '[\\u0300-\\u036f]+', '', 'g'), '"
                + bracketExpression(SearchFolding.PUNCTUATION) + "', ' ', 'g'), '" + SearchFolding.LETTERS_FROM + "', '"
                + SearchFolding.LETTERS_TO + "')";
    }

    /**
     * A regular-expression bracket matching any one of {@code characters}, as an SQL string
     * literal's content: ']' first and '-' last (where POSIX brackets take them literally), the
     * backslash escaped for PostgreSQL's regular expressions and the quote doubled for SQL.
     */
    static String bracketExpression(String characters) {
        StringBuilder rest = new StringBuilder();
        for (char c : characters.toCharArray()) {
            if (c == ']' || c == '-') continue;
            rest.append(c == '\\' ? "\\\\" : c == '\'' ? "''" : String.valueOf(c));
        }
        return "[" + (characters.indexOf(']') >= 0 ? "]" : "") + rest + (characters.indexOf('-') >= 0 ? "-" : "") + "]";
    }
}
