package dev.finote.db.schema;

import java.util.List;

/**
 * Finds and replaces identifiers inside expressions PostgreSQL printed (defaults, checks, index
 * bodies), skipping string literals and comments ({@link SqlLexer}), so a declared rename can be followed without re-reading the
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
        List<SqlLexer.Token> tokens = SqlLexer.tokens(text);
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < tokens.size(); i++) {
            SqlLexer.Token token = tokens.get(i);
            boolean identifier = token.kind() == SqlLexer.Kind.WORD || token.kind() == SqlLexer.Kind.QUOTED_IDENTIFIER;
            if (identifier && token.name().equals(from) && matchesRole(tokens, i, role)) out.append(Sql.ident(to));
            else out.append(token.text());
        }
        return out.toString();
    }

    private static boolean matchesRole(List<SqlLexer.Token> tokens, int at, Role role) {
        int before = at - 1;
        while (before >= 0 && tokens.get(before).kind() == SqlLexer.Kind.WHITESPACE) before--;
        boolean afterCast = before >= 1 && tokens.get(before).is(':') && tokens.get(before - 1).is(':');
        boolean qualified = before >= 0 && tokens.get(before).is('.');
        int after = at + 1;
        while (after < tokens.size() && tokens.get(after).kind() == SqlLexer.Kind.WHITESPACE) after++;
        boolean call = after < tokens.size() && tokens.get(after).is('(');
        return switch (role) {
            case COLUMN -> !afterCast && !qualified && !call;
            case TYPE -> afterCast;
        };
    }
}
