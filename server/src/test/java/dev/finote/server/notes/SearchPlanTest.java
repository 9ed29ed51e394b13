package dev.finote.server.notes;

import dev.finote.db.postgres.EmbeddedDatabase;
import dev.finote.db.postgres.Jdbc;
import dev.finote.db.migrations.Migrator;
import dev.finote.db.migrations.ProjectLayout;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How PostgreSQL runs a search, for a user the planner's statistics do not know yet: one who
 * has just imported thousands of notes into a big table, where autovacuum analyzes again only
 * after a tenth of the table has changed. Planned on {@code user_id = ?}, such a search walked
 * the owner's list index alone and folded every one of the user's notes row by row (230 ms
 * instead of half a millisecond). The search indexes carry the owner in every word, so they
 * are all a search needs. A search runs inside schema.sql's search_notes, so its plan is read
 * with auto_explain, which logs the plans of statements that functions run.
 */
class SearchPlanTest {

    @AutoClose
    private final EmbeddedDatabase database = EmbeddedDatabase.temporary();
    private int newcomer;

    @BeforeEach
    void aTableAnalyzedBeforeTheNewcomerImportedTheirNotes() throws SQLException {
        new Migrator(database.url(), ProjectLayout.CLASSPATH_MIGRATIONS).migrate();
        try (Connection connection = Jdbc.connect(database.url()); Statement sql = connection.createStatement()) {
            sql.execute("INSERT INTO users (username, password) SELECT 'known-' || u, 'x' FROM generate_series(1, 8) u");
            sql.execute(notesOf("(SELECT id FROM users WHERE username LIKE 'known-%')", 300));
            sql.execute("ANALYZE notes");
            try (ResultSet row = sql.executeQuery("INSERT INTO users (username, password) VALUES ('newcomer', 'x') RETURNING id")) {
                row.next();
                newcomer = row.getInt(1);
            }
            sql.execute(notesOf("(SELECT " + newcomer + " AS id)", 3000));
        }
    }

    private static String notesOf(String users, int each) {
        return "INSERT INTO notes (user_id, title, content, tags) SELECT u.id, 'Catatan ' || i, "
                + "CASE WHEN i % 10 = 0 THEN 'kopi susu gula aren' ELSE 'beras telur minyak ' || i END, ARRAY['rumah'] "
                + "FROM " + users + " u, generate_series(1, " + each + ") i";
    }

    @Test
    void aSearchPageReadsTheSearchIndexesNotEveryNoteOfTheOwner() throws SQLException {
        String plan = searchPlan(NoteRepository.select(newcomer, filter("kopi su", 50), Optional.empty(), Optional.of(51)));
        assertThat(plan).contains("Bitmap Index Scan on notes_words_idx", "Bitmap Index Scan on notes_title_words_idx", "Tid Scan on notes n")
                .doesNotContain("notes_user_pinned_created_idx");
    }

    @Test
    void anUnpagedSearchDoesToo() throws SQLException {
        String plan = searchPlan(NoteRepository.select(newcomer, filter("kopi", null), Optional.empty(), Optional.empty()));
        assertThat(plan).contains("Bitmap Index Scan on notes_words_idx").doesNotContain("notes_user_pinned_created_idx");
    }

    /**
     * Every search runs one generic plan, not a plan made for its values: the owner is compared
     * with a parameter. Planned per call, a search spent a third of its time in the planner. The
     * generic plan must not start parallel workers (they cost milliseconds) either.
     */
    @Test
    void aSearchRunsTheGenericPlanWithoutParallelWorkers() throws SQLException {
        String plan = searchPlan(NoteRepository.select(newcomer, filter("kopi", 20), Optional.empty(), Optional.of(21)));
        assertThat(plan).contains("(user_id + 0) = $1").doesNotContain("(user_id + 0) = " + newcomer).doesNotContain("Gather");
        // The generic plan's estimate is above jit_above_cost: on a PostgreSQL built with LLVM every
        // search would compile its expressions (milliseconds). This one has no LLVM, so the setting is checked.
        try (Connection connection = Jdbc.connect(database.url()); Statement sql = connection.createStatement();
             ResultSet settings = sql.executeQuery("SELECT array_to_string(proconfig, ',') FROM pg_proc WHERE proname = 'search_notes'")) {
            assertThat(settings.next()).isTrue();
            assertThat(settings.getString(1).split(",")).contains("jit=off", "max_parallel_workers_per_gather=0", "plan_cache_mode=force_generic_plan");
        }
    }

    @Test
    void thePlainListStillWalksTheOwnersListIndex() throws SQLException {
        String plan = plan(NoteRepository.select(newcomer, filter(null, 50), Optional.empty(), Optional.of(51)));
        assertThat(plan).contains("notes_user_pinned_created_idx");
    }

    private static NoteFilter filter(String q, Integer limit) {
        return NoteFilter.parse(q, null, null, limit == null ? null : limit.toString(), null);
    }

    /**
     * The plan of the statement search_notes runs, as auto_explain logs it (its LOG messages are
     * sent to this session, where pgjdbc keeps them as warnings).
     */
    private String searchPlan(NoteRepository.Query query) throws SQLException {
        assertThat(query.sql()).contains("search_notes(");
        try (Connection connection = Jdbc.connect(database.url())) {
            try (Statement settings = connection.createStatement()) {
                settings.execute("LOAD 'auto_explain'");
                settings.execute("SET auto_explain.log_min_duration = 0");
                settings.execute("SET auto_explain.log_nested_statements = on");
                settings.execute("SET client_min_messages = log");
            }
            try (PreparedStatement search = connection.prepareStatement(query.sql())) {
                new ArgumentPreparedStatementSetter(query.params().toArray()).setValues(search);
                try (ResultSet rows = search.executeQuery()) {
                    while (rows.next()) {
                        // read to the end: the plans are logged when the statements finish
                    }
                }
                StringBuilder plans = new StringBuilder();
                for (SQLWarning log = search.getWarnings(); log != null; log = log.getNextWarning()) plans.append(log.getMessage()).append('\n');
                assertThat(plans).as("the plans auto_explain logged").contains("Query Text: SELECT n.id");
                return plans.substring(plans.indexOf("Query Text: SELECT n.id"));
            }
        }
    }

    private String plan(NoteRepository.Query query) throws SQLException {
        try (Connection connection = Jdbc.connect(database.url());
             PreparedStatement explain = connection.prepareStatement("EXPLAIN " + query.sql())) {
            List<Object> params = query.params();
            for (int i = 0; i < params.size(); i++) explain.setObject(i + 1, params.get(i));
            StringBuilder plan = new StringBuilder();
            try (ResultSet rows = explain.executeQuery()) {
                while (rows.next()) plan.append(rows.getString(1)).append('\n');
            }
            return plan.toString();
        }
    }
}
