package dev.finote.server.auth;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code users} table, as the Node backend created it. */
@Repository
public class UserRepository {

    private final JdbcClient jdbc;
    private final JdbcTemplate template;

    public UserRepository(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    /**
     * Whether a user exists whose name has the same {@link Usernames#skeleton skeleton}: looked
     * up through users_username_skeleton_idx, plus the few rows whose skeleton is not stored yet
     * (see {@link #storeMissingSkeletons(int)}), compared here.
     */
    public boolean nameTaken(String username) {
        return inTransaction(connection -> nameTaken(connection, Usernames.skeleton(username)));
    }

    /**
     * Inserts a user; empty when the name (up to its skeleton) is taken. Registrations of the
     * same skeleton take turns on an advisory lock, so two racing ones cannot both pass the
     * check; the unique constraint still decides exact duplicates.
     */
    public Optional<CurrentUser> create(String username, String passwordHash) {
        String skeleton = Usernames.skeleton(username);
        return inTransaction(connection -> {
            try (var lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 7261))")) {
                lock.setString(1, "finote-username:" + skeleton);
                lock.execute();
            }
            if (nameTaken(connection, skeleton)) return Optional.empty();
            try (var insert = connection.prepareStatement(
                    "INSERT INTO users (username, password, username_skeleton) VALUES (?, ?, ?) ON CONFLICT (username) DO NOTHING RETURNING id, username")) {
                insert.setString(1, username);
                insert.setString(2, passwordHash);
                insert.setString(3, skeleton);
                try (ResultSet row = insert.executeQuery()) {
                    return row.next() ? Optional.of(new CurrentUser(row.getInt(1), row.getString(2))) : Optional.empty();
                }
            }
        });
    }

    private static boolean nameTaken(Connection connection, String skeleton) throws SQLException {
        try (var stored = connection.prepareStatement("SELECT EXISTS (SELECT 1 FROM users WHERE username_skeleton = ?)")) {
            stored.setString(1, skeleton);
            try (ResultSet row = stored.executeQuery()) {
                if (row.next() && row.getBoolean(1)) return true;
            }
        }
        // Rows without a stored skeleton: from before the column, or written by the previous
        // release during a rolling upgrade. Inside a transaction, so the driver reads them through
        // a cursor; the server stores their skeletons in the background, so this set stays small.
        try (var names = connection.prepareStatement("SELECT username FROM users WHERE username_skeleton IS NULL")) {
            names.setFetchSize(1000);
            try (ResultSet row = names.executeQuery()) {
                while (row.next()) {
                    if (Usernames.skeleton(row.getString(1)).equals(skeleton)) return true;
                }
            }
        }
        return false;
    }

    /**
     * Stores the skeleton of up to {@code batch} users that have none yet; the number stored.
     * Safe with several servers doing it at once: each row gets the same value, written once.
     */
    public int storeMissingSkeletons(int batch) {
        List<Map.Entry<Integer, String>> missing = jdbc.sql("SELECT id, username FROM users WHERE username_skeleton IS NULL ORDER BY id LIMIT ?")
                .param(batch).query((row, n) -> Map.entry(row.getInt(1), row.getString(2))).list();
        if (missing.isEmpty()) return 0;
        // One statement for the batch, not one per user.
        return jdbc.sql("UPDATE users SET username_skeleton = batch.skeleton FROM unnest(?::int[], ?::text[]) AS batch(id, skeleton) "
                        + "WHERE users.id = batch.id AND users.username_skeleton IS NULL")
                .params(missing.stream().map(Map.Entry::getKey).toArray(Integer[]::new),
                        missing.stream().map(user -> Usernames.skeleton(user.getValue())).toArray(String[]::new))
                .update();
    }

    /** One connection, one transaction: committed when {@code work} returns, rolled back when it throws. */
    private <T> T inTransaction(ConnectionCallback<T> work) {
        return template.execute((org.springframework.jdbc.core.ConnectionCallback<T>) connection -> {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                T result = work.doInConnection(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        });
    }

    private interface ConnectionCallback<T> {
        T doInConnection(Connection connection) throws SQLException;
    }

    /** The user as typed; failing that, as a new name would have been stored (NFC, trimmed). */
    public Optional<StoredUser> findByUsername(String username) {
        String normalized = Usernames.normalize(username);
        return jdbc.sql("SELECT id, username, password FROM users WHERE username = ? OR username = ? ORDER BY username = ? DESC LIMIT 1")
                .params(username, normalized, username)
                .query((row, n) -> new StoredUser(new CurrentUser(row.getInt(1), row.getString(2)), row.getString(3)))
                .optional();
    }

    public Optional<String> passwordHash(int userId) {
        return jdbc.sql("SELECT password FROM users WHERE id = ?").param(userId).query(String.class).optional();
    }

    /** Sets a new password hash and ends every session of the user except {@code keptSession}. */
    public void changePassword(int userId, String passwordHash, byte[] keptSession) {
        inTransaction(connection -> {
            try (var update = connection.prepareStatement("UPDATE users SET password = ? WHERE id = ?");
                 var end = connection.prepareStatement("DELETE FROM finote_sessions WHERE user_id = ? AND token_hash <> ?")) {
                update.setString(1, passwordHash);
                update.setInt(2, userId);
                update.executeUpdate();
                end.setInt(1, userId);
                end.setBytes(2, keptSession);
                return end.executeUpdate();
            }
        });
    }

    /**
     * Deletes the user, their notes, the Idempotency-Keys of their creates and their sessions (the
     * sessions' foreign key cascades), in one transaction.
     */
    public void delete(int userId) {
        inTransaction(connection -> {
            try (var notes = connection.prepareStatement("DELETE FROM notes WHERE user_id = ?");
                 var keys = connection.prepareStatement("DELETE FROM finote_idempotency_keys WHERE user_id = ?");
                 var user = connection.prepareStatement("DELETE FROM users WHERE id = ?")) {
                notes.setInt(1, userId);
                notes.executeUpdate();
                keys.setInt(1, userId);
                keys.executeUpdate();
                user.setInt(1, userId);
                return user.executeUpdate();
            }
        });
    }

    /** A user with their password hash; never serialised. */
    public record StoredUser(CurrentUser user, String passwordHash) {
        @Override
        public String toString() {
            return "StoredUser[" + user + "]";
        }
    }
}
