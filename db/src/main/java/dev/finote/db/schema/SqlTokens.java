package dev.finote.db.schema;

/**
 * Finds and replaces identifiers inside expressions PostgreSQL printed (defaults, checks, index
 * bodies), skipping string literals, so a declared rename can be followed without re-reading the
 * database. Only used to avoid needless drop-and-recreate: whatever it misses, the planner still
 * sees as a difference and handles correctly.
 */
final class SqlTokens {

    enum Role {
        /** A column reference: not a function name (followed by "("), not a type (after "::"), not qualified. */
        COLUMN,
        /** A type name after "::". */
        TYPE
    }

    private SqlTokens() {
    }

    static boolean mentions(String text, String identifier, Role role) {
        return text != null && !replace(text, identifier, identifier + "\u0000", role).equals(text);
    }

    /** {@code text} with each {@code from} identifier in the given role replaced by {@code to} (quoted when needed). */
    static String replace(String text, String from, String to, Role role) {
        if (text == null) return null;
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\'') { // string literal, '' escapes a quote
                int j = i + 1;
                while (j < n) {
                    if (text.charAt(j) == '\'') {
                        if (j + 1 < n && text.charAt(j + 1) == '\'') j += 2;
                        else break;
                    } else j++;
                }
                j = Math.min(j + 1, n);
                out.append(text, i, j);
                i = j;
            } else if (c == '"' || Character.isLetter(c) || c == '_') {
                int j;
                String name;
                if (c == '"') {
                    j = i + 1;
                    StringBuilder quoted = new StringBuilder();
                    while (j < n) {
                        if (text.charAt(j) == '"') {
                            if (j + 1 < n && text.charAt(j + 1) == '"') {
                                quoted.append('"');
                                j += 2;
                            } else break;
                        } else quoted.append(text.charAt(j++));
                    }
                    j = Math.min(j + 1, n);
                    name = quoted.toString();
                } else {
                    j = i;
                    while (j < n && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '_' || text.charAt(j) == '$')) j++;
                    name = text.substring(i, j);
                }
                if (name.equals(from) && matchesRole(text, i, j, role)) out.append(Sql.ident(to));
                else out.append(text, i, j);
                i = j;
            } else if (Character.isDigit(c)) { // a number: never an identifier (e.g. 1e10)
                int j = i;
                while (j < n && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '.')) j++;
                out.append(text, i, j);
                i = j;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static boolean matchesRole(String text, int start, int end, Role role) {
        int before = start - 1;
        while (before >= 0 && text.charAt(before) == ' ') before--;
        boolean afterCast = before >= 1 && text.charAt(before) == ':' && text.charAt(before - 1) == ':';
        boolean qualified = before >= 0 && text.charAt(before) == '.';
        int after = end;
        while (after < text.length() && text.charAt(after) == ' ') after++;
        boolean call = after < text.length() && text.charAt(after) == '(';
        return switch (role) {
            case COLUMN -> !afterCast && !qualified && !call;
            case TYPE -> afterCast;
        };
    }
}
