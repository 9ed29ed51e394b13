package dev.finote.db.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * The one SQL lexer of the toolkit: splits PostgreSQL text into tokens and statements, so that
 * whoever reads SQL (the lint, preflight, the data-loss scan, the rename follower, the hazard
 * comment reader) sees keywords and names, never text inside a string or a comment.
 *
 * <p>It knows what decides where a token ends: {@code '…'} strings with {@code ''} escapes,
 * {@code E'…'} strings with backslash escapes, {@code "…"} identifiers with {@code ""} escapes,
 * dollar quotes with or without a tag ({@code $$…$$}, {@code $body$…$body$}; {@code $1} is a
 * parameter), {@code --} comments to the end of the line and nested {@code /* … *}{@code /}
 * comments. It does not parse: statements end at every top-level {@code ;}. Unterminated quotes
 * and comments run to the end of the text, as PostgreSQL would refuse them anyway.
 */
public final class SqlLexer {

    public enum Kind {
        /** A keyword or an unquoted identifier (may contain {@code $} after its first character). */
        WORD,
        /** A number, e.g. {@code 42}, {@code 1.5}, {@code 1e10}. */
        NUMBER,
        /** {@code "…"}. */
        QUOTED_IDENTIFIER,
        /** {@code '…'} or {@code E'…'} (the {@code E} is part of the token). */
        STRING,
        /** {@code $$…$$} or {@code $tag$…$tag$}. */
        DOLLAR_STRING,
        /** {@code -- …} up to, not including, the end of the line. */
        LINE_COMMENT,
        /** {@code /* … *}{@code /}, nesting. */
        BLOCK_COMMENT,
        WHITESPACE,
        SEMICOLON,
        /** Any other single character: {@code ( ) , . : = $} and operators. */
        SYMBOL
    }

    /**
     * One token.
     *
     * @param start offset in the text
     * @param line  1-based line of its first character
     */
    public record Token(Kind kind, String text, int start, int line) {

        public boolean isComment() {
            return kind == Kind.LINE_COMMENT || kind == Kind.BLOCK_COMMENT;
        }

        /** Neither whitespace nor a comment. */
        public boolean isCode() {
            return kind != Kind.WHITESPACE && !isComment();
        }

        public boolean is(char symbol) {
            return kind == Kind.SYMBOL && text.charAt(0) == symbol;
        }

        /** An identifier's name: a quoted one unquoted, a word as written (PostgreSQL folds it to lower case). */
        public String name() {
            if (kind != Kind.QUOTED_IDENTIFIER) return text;
            int end = text.length() > 1 && text.endsWith("\"") ? text.length() - 1 : text.length();
            return text.substring(1, end).replace("\"\"", "\"");
        }
    }

    /** The tokens between two top-level semicolons (neither included), in order. */
    public record Statement(List<Token> tokens) {

        public Statement {
            tokens = List.copyOf(tokens);
        }

        /** Whether it holds anything besides whitespace and comments. */
        public boolean hasCode() {
            return tokens.stream().anyMatch(Token::isCode);
        }

        /** Its text with each comment replaced by a space, stripped; strings and identifiers as written. */
        public String text() {
            StringBuilder text = new StringBuilder();
            for (Token token : tokens) text.append(token.isComment() ? " " : token.text());
            return text.toString().strip();
        }
    }

    private SqlLexer() {
    }

    /** Every token of {@code sql}; their texts concatenated give {@code sql} back. */
    public static List<Token> tokens(String sql) {
        List<Token> tokens = new ArrayList<>();
        int line = 1;
        int i = 0;
        int n = sql.length();
        while (i < n) {
            int start = i;
            char c = sql.charAt(i);
            Kind kind;
            if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                kind = Kind.LINE_COMMENT;
                int newline = sql.indexOf('\n', i);
                i = newline < 0 ? n : newline;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                kind = Kind.BLOCK_COMMENT;
                i = endOfBlockComment(sql, i);
            } else if (c == '\'') {
                kind = Kind.STRING;
                i = endOfQuoted(sql, i, '\'', false);
            } else if ((c == 'E' || c == 'e') && i + 1 < n && sql.charAt(i + 1) == '\'') {
                // A word-initial E: words are consumed whole below, so TYPE'x' never gets here.
                kind = Kind.STRING;
                i = endOfQuoted(sql, i + 1, '\'', true);
            } else if (c == '"') {
                kind = Kind.QUOTED_IDENTIFIER;
                i = endOfQuoted(sql, i, '"', false);
            } else if (c == '$' && dollarTag(sql, i) != null) {
                kind = Kind.DOLLAR_STRING;
                String tag = dollarTag(sql, i);
                int close = sql.indexOf(tag, i + tag.length());
                i = close < 0 ? n : close + tag.length();
            } else if (Character.isLetter(c) || c == '_') {
                kind = Kind.WORD;
                while (i < n && isIdentifierPart(sql.charAt(i))) i++;
            } else if (Character.isDigit(c)) {
                kind = Kind.NUMBER; // never an identifier: 1e10 is no name "e10"
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '.')) i++;
            } else if (Character.isWhitespace(c)) {
                kind = Kind.WHITESPACE;
                while (i < n && Character.isWhitespace(sql.charAt(i))) i++;
            } else {
                kind = c == ';' ? Kind.SEMICOLON : Kind.SYMBOL;
                i++;
            }
            String text = sql.substring(start, i);
            tokens.add(new Token(kind, text, start, line));
            line += (int) text.chars().filter(ch -> ch == '\n').count();
        }
        return tokens;
    }

    /** The statements of {@code sql} that hold code or a comment, in order. */
    public static List<Statement> statements(String sql) {
        List<Statement> statements = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        for (Token token : tokens(sql)) {
            if (token.kind() == Kind.SEMICOLON) {
                add(statements, current);
                current = new ArrayList<>();
            } else {
                current.add(token);
            }
        }
        add(statements, current);
        return statements;
    }

    /** The text of each statement that holds code, without its comments ({@link Statement#text()}). */
    public static List<String> split(String sql) {
        return statements(sql).stream().filter(Statement::hasCode).map(Statement::text).toList();
    }

    /** {@code text} split at each {@code separator} outside parentheses, quotes and comments; the parts as written. */
    public static List<String> splitTopLevel(String text, char separator) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (Token token : tokens(text)) {
            if (token.is('(')) depth++;
            else if (token.is(')')) depth--;
            else if (depth == 0 && token.is(separator)) {
                parts.add(text.substring(start, token.start()));
                start = token.start() + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    /** Offset of the parenthesis closing the one at {@code open}, or the last offset when it is never closed. */
    public static int closingParenthesis(String text, int open) {
        int depth = 0;
        for (Token token : tokens(text)) {
            if (token.start() < open) continue;
            if (token.is('(')) depth++;
            else if (token.is(')') && --depth == 0) return token.start();
        }
        return text.length() - 1;
    }

    private static void add(List<Statement> statements, List<Token> tokens) {
        if (tokens.stream().anyMatch(token -> token.kind() != Kind.WHITESPACE)) statements.add(new Statement(tokens));
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    /** End (exclusive) of a comment opened at {@code start}; PostgreSQL nests them. */
    private static int endOfBlockComment(String sql, int start) {
        int depth = 0;
        int i = start;
        int n = sql.length();
        do {
            if (sql.startsWith("/*", i)) {
                depth++;
                i += 2;
            } else if (sql.startsWith("*/", i)) {
                depth--;
                i += 2;
            } else {
                i++;
            }
        } while (i < n && depth > 0);
        return Math.min(i, n);
    }

    /** End (exclusive) of a quoted token opened at {@code open}; a doubled quote escapes one, and a backslash in an E string. */
    private static int endOfQuoted(String sql, int open, char quote, boolean backslashEscapes) {
        int i = open + 1;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
            } else if (c == quote) {
                if (i + 1 < n && sql.charAt(i + 1) == quote) i += 2;
                else return i + 1;
            } else {
                i++;
            }
        }
        return n;
    }

    /** The dollar-quote opening tag at {@code i} ({@code $$} or {@code $name$}), or null ({@code $1} is a parameter). */
    private static String dollarTag(String sql, int i) {
        int j = i + 1;
        if (j < sql.length() && Character.isDigit(sql.charAt(j))) return null;
        while (j < sql.length() && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) j++;
        return j < sql.length() && sql.charAt(j) == '$' ? sql.substring(i, j + 1) : null;
    }
}
