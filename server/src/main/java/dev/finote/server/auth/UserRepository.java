package dev.finote.server.auth;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.util.Optional;

/** The {@code users} table, as the Node backend created it. */
@Repository
public class UserRepository {

    private final JdbcClient jdbc;

    public UserRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts a user; empty when the username is taken (decided by the unique constraint, so races are safe). */
    public Optional<CurrentUser> create(String username, String passwordHash) {
        return jdbc.sql("INSERT INTO users (username, password) VALUES (?, ?) ON CONFLICT (username) DO NOTHING RETURNING id, username")
                .params(username, passwordHash)
                .query((row, n) -> new CurrentUser(row.getInt(1), row.getString(2)))
                .optional();
    }

    public Optional<StoredUser> findByUsername(String username) {
        return jdbc.sql("SELECT id, username, password FROM users WHERE username = ?")
                .param(username)
                .query((row, n) -> new StoredUser(new CurrentUser(row.getInt(1), row.getString(2)), row.getString(3)))
                .optional();
    }

    /** A user with their password hash; never serialised. */
    public record StoredUser(CurrentUser user, String passwordHash) {
        @Override
        public String toString() {
            return "StoredUser[" + user + "]";
        }
    }
}
