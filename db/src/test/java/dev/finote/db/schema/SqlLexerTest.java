package dev.finote.db.schema;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The lexer's edge cases as a table: one row per case, what it must split into and how it tokenises. */
class SqlLexerTest {

    /** SQL, then the statements {@link SqlLexer#split} must give (comments dropped, strings kept as written). */
    static Stream<Arguments> statements() {
        return Stream.of(
                arguments("SELECT 1; SELECT 2;", List.of("SELECT 1", "SELECT 2")),
                arguments("SELECT 1", List.of("SELECT 1")),
                arguments(";;  ;\n", List.of()),
                arguments("", List.of()),
                arguments("SELECT 'a;b'; SELECT 2", List.of("SELECT 'a;b'", "SELECT 2")),
                arguments("SELECT 'it''s; fine'; SELECT 2", List.of("SELECT 'it''s; fine'", "SELECT 2")),
                arguments("SELECT E'it\\'s; fine'; SELECT 2", List.of("SELECT E'it\\'s; fine'", "SELECT 2")),
                arguments("SELECT e'\\\\'; SELECT 2", List.of("SELECT e'\\\\'", "SELECT 2")),
                // A backslash ends nothing in a standard string: 'a\' is the whole string.
                arguments("SELECT 'a\\'; SELECT 2", List.of("SELECT 'a\\'", "SELECT 2")),
                // An identifier ending in E is no E'' prefix.
                arguments("SELECT TYPE'a\\'; SELECT 2", List.of("SELECT TYPE'a\\'", "SELECT 2")),
                arguments("CREATE TABLE \"a;b\" (\"x\"\"y\" int); SELECT 2", List.of("CREATE TABLE \"a;b\" (\"x\"\"y\" int)", "SELECT 2")),
                arguments("CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql; SELECT 2",
                        List.of("CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql", "SELECT 2")),
                arguments("DO $body$ BEGIN PERFORM $$x;$$; END $body$; SELECT 2",
                        List.of("DO $body$ BEGIN PERFORM $$x;$$; END $body$", "SELECT 2")),
                // $1 is a parameter, not a dollar quote.
                arguments("PREPARE p AS SELECT $1; SELECT $2", List.of("PREPARE p AS SELECT $1", "SELECT $2")),
                // A $ inside an identifier is part of it, so a$b$ opens no quote.
                arguments("SELECT a$b$c; SELECT 2", List.of("SELECT a$b$c", "SELECT 2")),
                arguments("SELECT 1; -- a comment; with a semicolon\nSELECT 2", List.of("SELECT 1", "SELECT 2")),
                arguments("SELECT 1 /* c; /* nested; */ still; */ + 1; SELECT 2", List.of("SELECT 1   + 1", "SELECT 2")),
                arguments("SELECT '--not a comment'; SELECT 2", List.of("SELECT '--not a comment'", "SELECT 2")),
                arguments("SELECT $$ /* not a comment; $$; SELECT 2", List.of("SELECT $$ /* not a comment; $$", "SELECT 2")),
                arguments("-- only a comment\n/* and another */", List.of()),
                // Unterminated: runs to the end, no statement invented after it.
                arguments("SELECT 'open; SELECT 2", List.of("SELECT 'open; SELECT 2")),
                arguments("SELECT 1 /* open; SELECT 2", List.of("SELECT 1")),
                arguments("SELECT $x$ open; SELECT 2", List.of("SELECT $x$ open; SELECT 2")));
    }

    @ParameterizedTest
    @MethodSource("statements")
    void splitsIntoStatements(String sql, List<String> expected) {
        assertThat(SqlLexer.split(sql)).isEqualTo(expected);
        assertThat(String.join("", SqlLexer.tokens(sql).stream().map(SqlLexer.Token::text).toList())).isEqualTo(sql);
    }

    /** SQL, then its tokens other than whitespace, as {@code KIND text}. */
    static Stream<Arguments> tokens() {
        return Stream.of(
                arguments("a.\"B\"\"c\"::text", "WORD a|SYMBOL .|QUOTED_IDENTIFIER \"B\"\"c\"|SYMBOL :|SYMBOL :|WORD text"),
                arguments("E'x\\'y' e'' 'p''q'", "STRING E'x\\'y'|STRING e''|STRING 'p''q'"),
                arguments("$$a$$ $t$b$$c$t$ $1", "DOLLAR_STRING $$a$$|DOLLAR_STRING $t$b$$c$t$|SYMBOL $|NUMBER 1"),
                arguments("1e10 1.5 x1", "NUMBER 1e10|NUMBER 1.5|WORD x1"),
                arguments("-- c\nx -1", "LINE_COMMENT -- c|WORD x|SYMBOL -|NUMBER 1"),
                arguments("/* a /* b */ c */d", "BLOCK_COMMENT /* a /* b */ c */|WORD d"),
                arguments("a;b", "WORD a|SEMICOLON ;|WORD b"),
                arguments("über_1$", "WORD über_1$"));
    }

    @ParameterizedTest
    @MethodSource("tokens")
    void tokenises(String sql, String expected) {
        assertThat(SqlLexer.tokens(sql).stream().filter(token -> token.kind() != SqlLexer.Kind.WHITESPACE)
                .map(token -> token.kind() + " " + token.text()).collect(Collectors.joining("|"))).isEqualTo(expected);
    }

    /** Text, separator position to split at, the parts; and the closing parenthesis of the first one. */
    static Stream<Arguments> topLevel() {
        return Stream.of(
                arguments("a, b(c, d), 'e,f', \"g,h\"", List.of("a", " b(c, d)", " 'e,f'", " \"g,h\"")),
                arguments("x /* , */ , y -- ,\n", List.of("x /* , */ ", " y -- ,\n")),
                arguments("(a, ')'), b", List.of("(a, ')')", " b")));
    }

    @ParameterizedTest
    @MethodSource("topLevel")
    void splitsAtTopLevelSeparators(String text, List<String> parts) {
        assertThat(SqlLexer.splitTopLevel(text, ',')).isEqualTo(parts);
    }

    @org.junit.jupiter.api.Test
    void findsTheClosingParenthesisPastQuotedOnes() {
        String text = "f(a, ')', \"(\", (b)) + 1";
        assertThat(SqlLexer.closingParenthesis(text, 1)).isEqualTo(text.indexOf(") + 1"));
    }

    @org.junit.jupiter.api.Test
    void numbersLinesFromTheStartOfEachToken() {
        List<SqlLexer.Token> tokens = SqlLexer.tokens("a\n'b\nc'\n/* d\n*/ e");
        assertThat(tokens.stream().filter(SqlLexer.Token::isCode).map(SqlLexer.Token::line)).containsExactly(1, 2, 5);
    }
}
