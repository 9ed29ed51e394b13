package dev.finote.db.schema;

import dev.finote.db.migrations.DataLossScan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@link HazardComment} writes, it and every reader of a migration read back: the same hazards, the same reasons. */
class HazardCommentTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "column notes.color is removed with its values",
            "a: b: c, with colons",
            "quotes ' and \" and $$ and $tag$ and E'\\'",
            "comment markers -- inside /* and */ too",
            "ünïcödé, emoji \uD83D\uDCA5, tab\tinside",
            "; DROP TABLE notes; --",
            "",
    })
    void everyHazardAndReasonReadsBackAsWritten(String reason) {
        Map<Hazard, String> reasons = new EnumMap<>(Hazard.class);
        for (Hazard hazard : Hazard.values()) reasons.put(hazard, reason.isEmpty() ? "" : hazard.code() + " because " + reason);
        Step step = new Step("ALTER TABLE notes DROP COLUMN color", EnumSet.allOf(Hazard.class), "notes", TransactionMode.IN_TRANSACTION, reasons);

        StringBuilder file = new StringBuilder();
        List<HazardComment> written = new ArrayList<>();
        for (Hazard hazard : step.orderedHazards()) {
            file.append(HazardComment.write(step, hazard)).append('\n');
            written.add(new HazardComment(hazard.code(), step.reason(hazard)));
        }
        file.append(step.sql()).append(";\n");

        List<HazardComment> read = HazardComment.readAll(file.toString());
        assertThat(read).isEqualTo(written);
        assertThat(read).extracting(HazardComment::reason).containsExactlyElementsOf(reasons.values());
        assertThat(read).extracting(comment -> comment.hazard().orElseThrow()).containsExactly(Hazard.values());
        // The statement after the comments is still the only statement: no reason leaked into the SQL.
        assertThat(SqlLexer.split(file.toString())).containsExactly(step.sql());
        assertThat(DataLossScan.scan(file.toString())).extracting(DataLossScan.Finding::reason)
                .containsExactly(reason.isEmpty() ? "marked deletes-data" : reasons.get(Hazard.DELETES_DATA));
    }

    @Test
    void aReasonOverSeveralLinesIsWrittenOnOneAndReadBackSo() {
        Step step = new Step("DROP TABLE notes", EnumSet.of(Hazard.DELETES_DATA), "notes", TransactionMode.IN_TRANSACTION,
                Map.of(Hazard.DELETES_DATA, "  first line\n  second line\r\nthird\u2028fourth  "));

        String line = HazardComment.write(step, Hazard.DELETES_DATA);

        assertThat(line).isEqualTo("-- hazard: deletes-data: first line second line third fourth");
        String file = line + "\nSELECT 1;\n";
        assertThat(HazardComment.readAll(file)).containsExactly(new HazardComment("deletes-data", "first line second line third fourth"));
        assertThat(SqlLexer.split(file)).containsExactly("SELECT 1");
    }

    @Test
    void onlyLineCommentsCount() {
        String sql = """
                -- hazard: deletes-data: a real one
                SELECT '-- hazard: locks-table: in a string';
                /* -- hazard: rewrites-table: in a block comment */
                CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$
                -- hazard: fails-on-existing-rows: in a function body
                SELECT 1 $$;
                SELECT 1; -- HAZARD: Breaks-Running-Release: after a statement, any case
                """;

        assertThat(HazardComment.readAll(sql)).containsExactly(new HazardComment("deletes-data", "a real one"),
                new HazardComment("breaks-running-release", "after a statement, any case"));
        assertThat(HazardComment.codes(sql)).containsExactly("deletes-data", "breaks-running-release");
    }

    @Test
    void aCodeIsKebabCase() {
        assertThatThrownBy(() -> new HazardComment("deletes data", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThat(HazardComment.read("-- not a hazard: deletes-data")).isEmpty();
    }
}
