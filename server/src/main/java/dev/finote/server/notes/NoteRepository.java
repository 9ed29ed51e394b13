package dev.finote.server.notes;

import dev.finote.server.notes.search.SearchQuery;
import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The {@code notes} table. Every statement is scoped by the owner's id, so a note that
 * belongs to someone else behaves exactly like one that does not exist. A note in the trash
 * ({@code deleted_at} set) is left out of everything but the trash and the export.
 *
 * <p>Times are {@code timestamp} without time zone holding UTC wall-clock time (how the Node
 * backend stored {@code created_at}); they are written as UTC explicitly, so the result does not
 * depend on the session's TimeZone. {@code updated_at} is NULL on rows made before this release
 * (or by a previous release's server still running during a rolling upgrade): the API shows
 * {@code created_at} then.
 */
@Repository
public class NoteRepository {

    static final String COLUMNS = "id, user_id, title, content, is_pinned, color, tags, created_at, updated_at, deleted_at";
    private static final String NOW = "timezone('UTC', now())";
    private static final String LIST_ORDER = " ORDER BY is_pinned DESC, created_at DESC, id DESC";
    private static final String PIN_KEY = "CASE WHEN is_pinned IS NULL THEN 2 WHEN is_pinned THEN 1 ELSE 0 END";
    private static final String CREATED_KEY = "coalesce(created_at, 'infinity'::timestamp)";
    /**
     * A search: schema.sql's search_notes, which runs one generic plan for every search instead
     * of planning each (a third of a search's time in PostgreSQL); its comment says why.
     */
    private static final String SEARCH = "SELECT " + COLUMNS + ", title_hit FROM search_notes(?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /** Rows fetched per round trip while streaming: memory stays flat however long the list. */
    private static final int FETCH_SIZE = 100;
    private static final RowMapper<Note> NOTE = NoteRepository::toNote;

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final TransactionTemplate transaction;

    public NoteRepository(JdbcClient jdbc, JdbcTemplate template, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.template = template;
        this.transaction = new TransactionTemplate(transactions);
    }

    /**
     * Every note of the owner that {@code filter} selects, in the list's order, handed to
     * {@code each} one by one as PostgreSQL sends them (a cursor, {@value #FETCH_SIZE} rows per
     * round trip): a list of any length takes the same memory.
     *
     * <p>The plain list is served in order by notes_user_pinned_created_idx. Plain rows, turned
     * into JSON by the server: rendering the JSON in PostgreSQL cost it about 80 µs more per call,
     * and on a machine where both share the CPUs plain rows gave about 15% more list requests.
     */
    public void stream(int userId, NoteFilter filter, Consumer<Note> each) {
        stream(select(userId, filter, Optional.empty(), Optional.of(FETCH_SIZE + 1)), select(userId, filter, Optional.empty(), Optional.empty()), each);
    }

    /** One page of at most {@code limit} notes after {@code after}, and where the next page starts when more remain. */
    public Page page(int userId, NoteFilter filter, Optional<NotePosition> after, int limit) {
        Query query = select(userId, filter, after, Optional.of(limit + 1));
        List<Positioned> rows = template.query(query.sql(), (row, n) -> new Positioned(toNote(row, n), position(row, filter)),
                query.params().toArray());
        if (rows.size() <= limit) return new Page(rows.stream().map(Positioned::note).toList(), Optional.empty());
        List<Positioned> shown = rows.subList(0, limit);
        return new Page(shown.stream().map(Positioned::note).toList(), Optional.of(shown.getLast().position()));
    }

    /** The owner's trash, most recently deleted first, streamed as {@link #stream(int, NoteFilter, Consumer)} does. */
    public void streamTrash(int userId, Consumer<Note> each) {
        stream(new Query("SELECT " + COLUMNS + " FROM notes WHERE user_id = ? AND deleted_at IS NOT NULL ORDER BY deleted_at DESC, id DESC",
                List.of(userId)), each);
    }

    /** Every note of the owner, trash included, oldest first (the export). */
    public void streamAll(int userId, Consumer<Note> each) {
        stream(new Query("SELECT " + COLUMNS + " FROM notes WHERE user_id = ? ORDER BY id", List.of(userId)), each);
    }

    public Note create(int userId, NoteDraft draft) {
        return jdbc.sql("INSERT INTO notes (user_id, title, content, is_pinned, color, tags, created_at, updated_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?::text[], " + NOW + ", " + NOW + ") RETURNING " + COLUMNS)
                .params(userId, draft.title().orElseThrow(), draft.content().orElseThrow(), draft.isPinned().orElse(false),
                        draft.color().orElse(NoteDraft.DEFAULT_COLOR), tagArray(draft.tags()))
                .query(NOTE).single();
    }

    /** The owner's note, in the list or in the trash. */
    public Optional<Note> find(int userId, int id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM notes WHERE id = ? AND user_id = ?").params(id, userId).query(NOTE).optional();
    }

    /** Applies the fields present in {@code draft} and moves updatedAt; empty when the owner has no such note outside the trash. */
    public Optional<Note> update(int userId, int id, NoteDraft draft) {
        return jdbc.sql("""
                        UPDATE notes SET
                            title = coalesce(?::text, title),
                            content = coalesce(?::text, content),
                            is_pinned = coalesce(?::boolean, is_pinned),
                            color = coalesce(?::text, color),
                            tags = CASE WHEN ?::boolean THEN ?::text[] ELSE tags END,
                            updated_at = timezone('UTC', now())
                         WHERE id = ? AND user_id = ? AND deleted_at IS NULL
                        RETURNING\s""" + COLUMNS)
                .params(draft.title().orElse(null), draft.content().orElse(null), draft.isPinned().orElse(null),
                        draft.color().orElse(null), draft.tagsGiven(), tagArray(draft.tags()), id, userId)
                .query(NOTE).optional();
    }

    /** Moves the note to the trash; false when the owner has no such note outside it. */
    public boolean trash(int userId, int id) {
        return jdbc.sql("UPDATE notes SET deleted_at = " + NOW + " WHERE id = ? AND user_id = ? AND deleted_at IS NULL")
                .params(id, userId).update() > 0;
    }

    /** Takes the note out of the trash, with all its fields as they were. */
    public Optional<Note> restore(int userId, int id) {
        return jdbc.sql("UPDATE notes SET deleted_at = NULL WHERE id = ? AND user_id = ? AND deleted_at IS NOT NULL RETURNING " + COLUMNS)
                .params(id, userId).query(NOTE).optional();
    }

    /** Deletes a note in the trash for good. */
    public boolean deleteForever(int userId, int id) {
        return jdbc.sql("DELETE FROM notes WHERE id = ? AND user_id = ? AND deleted_at IS NOT NULL").params(id, userId).update() > 0;
    }

    /** Empties the owner's trash; the number of notes deleted for good. */
    public int emptyTrash(int userId) {
        return jdbc.sql("DELETE FROM notes WHERE user_id = ? AND deleted_at IS NOT NULL").param(userId).update();
    }

    /** A statement and its parameters, in order. */
    record Query(String sql, List<Object> params) {

        /** The first {@code rows} rows of this statement. */
        Query limited(int rows) {
            List<Object> limited = new ArrayList<>(params);
            limited.add(rows);
            return new Query(sql + " LIMIT ?", limited);
        }
    }

    private record Positioned(Note note, NotePosition position) {
    }

    public record Page(List<Note> notes, Optional<NotePosition> next) {
    }

    /**
     * The SELECT for a list, search or page. Without search the order is the list index's
     * (is_pinned, created_at, id, all DESC), and a page after a position without NULLs is a
     * row comparison over those columns, which the index serves; NULLs (rows the Node backend
     * may have left) sort first under DESC and are compared through their sort keys instead.
     * A search is search_notes: title matches first, then the same order.
     */
    static Query select(int userId, NoteFilter filter, Optional<NotePosition> after, Optional<Integer> limit) {
        Optional<SearchQuery> search = filter.search();
        if (search.isPresent()) {
            // Typed, so that a NULL (no tag, no position, no limit) is sent as it is, without asking the driver for the parameter's type.
            return new Query(SEARCH, List.of(userId, search.get().tsquery(userId),
                    new SqlParameterValue(Types.VARCHAR, filter.tag().orElse(null)),
                    new SqlParameterValue(Types.BOOLEAN, filter.pinned().orElse(null)),
                    new SqlParameterValue(Types.INTEGER, after.map(NotePosition::rank).orElse(null)),
                    new SqlParameterValue(Types.INTEGER, after.map(NotePosition::pinKey).orElse(null)),
                    new SqlParameterValue(Types.TIMESTAMP, after.map(NotePosition::created).orElse(null)),
                    new SqlParameterValue(Types.INTEGER, after.map(NotePosition::id).orElse(null)),
                    new SqlParameterValue(Types.INTEGER, limit.orElse(null))));
        }
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM notes WHERE user_id = ? AND deleted_at IS NULL");
        params.add(userId);
        filter.tag().ifPresent(tag -> {
            sql.append(" AND tags @> ARRAY[?]::text[]");
            params.add(tag);
        });
        filter.pinned().ifPresent(pinned -> {
            sql.append(" AND is_pinned = ?");
            params.add(pinned);
        });
        after.ifPresent(position -> {
            if (position.hasNoNulls()) {
                sql.append(" AND (is_pinned, created_at, id) < (?, ?, ?)");
                params.addAll(List.of(position.pinKey() == 1, position.created(), position.id()));
            } else {
                sql.append(" AND (").append(PIN_KEY).append(", ").append(CREATED_KEY)
                        .append(", id) < (?, coalesce(?::timestamp, 'infinity'::timestamp), ?)");
                params.add(position.pinKey());
                params.add(position.created());
                params.add(position.id());
            }
        });
        sql.append(LIST_ORDER);
        Query query = new Query(sql.toString(), params);
        return limit.map(query::limited).orElse(query);
    }

    /** {@link #stream(Query, Query, Consumer)} of {@code whole}, whose first rows are {@code whole.limited(…)}. */
    private void stream(Query whole, Consumer<Note> each) {
        stream(whole.limited(FETCH_SIZE + 1), whole, each);
    }

    /**
     * Hands each row of {@code whole} to {@code each}, never holding more than about
     * {@value #FETCH_SIZE} rows. {@code firstRows} is the same statement cut to
     * {@value #FETCH_SIZE} + 1 rows: a list of at most {@value #FETCH_SIZE} notes (most of them)
     * is that one plain query; a longer one is read again in a transaction, so that pgjdbc
     * fetches it through a cursor instead of reading every row first. The transaction's extra
     * round trips cost the 20-note list about 10% of its requests/s in the benchmark.
     */
    private void stream(Query firstRows, Query whole, Consumer<Note> each) {
        List<Note> first = template.query(firstRows.sql(), NOTE, firstRows.params().toArray());
        if (first.size() <= FETCH_SIZE) {
            first.forEach(each);
            return;
        }
        transaction.executeWithoutResult(status -> template.query(connection -> {
            PreparedStatement statement = connection.prepareStatement(whole.sql());
            statement.setFetchSize(FETCH_SIZE);
            new ArgumentPreparedStatementSetter(whole.params().toArray()).setValues(statement);
            return statement;
        }, row -> {
            each.accept(toNote(row, 0));
        }));
    }

    private static NotePosition position(ResultSet row, NoteFilter filter) throws SQLException {
        Boolean pinned = row.getObject("is_pinned", Boolean.class);
        return new NotePosition(filter.search().isPresent() ? row.getInt("title_hit") : 0,
                pinned == null ? 2 : pinned ? 1 : 0, row.getObject("created_at", LocalDateTime.class), row.getInt("id"));
    }

    static String[] tagArray(List<String> tags) {
        return tags == null ? null : tags.toArray(String[]::new);
    }

    private static Note toNote(ResultSet row, int rowNumber) throws SQLException {
        Array tags = row.getArray("tags");
        LocalDateTime created = row.getObject("created_at", LocalDateTime.class);
        LocalDateTime updated = row.getObject("updated_at", LocalDateTime.class);
        return new Note(
                row.getInt("id"),
                row.getInt("user_id"),
                row.getString("title"),
                row.getString("content"),
                row.getBoolean("is_pinned"),
                row.getString("color"),
                tags == null ? null : Arrays.asList((String[]) tags.getArray()),
                UtcTimes.iso(created),
                UtcTimes.iso(updated == null ? created : updated),
                UtcTimes.iso(row.getObject("deleted_at", LocalDateTime.class)));
    }
}
