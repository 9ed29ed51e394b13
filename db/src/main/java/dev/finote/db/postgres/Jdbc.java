package dev.finote.db.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Opening connections and quoting identifiers: the few JDBC helpers every command shares. */
public final class Jdbc {

    private Jdbc() {
    }

    /** Opens a connection, with a bounded connect timeout so an unreachable host fails fast. */
    public static Connection connect(DatabaseUrl url) throws SQLException {
        Properties properties = new Properties();
        if (url.user() != null) properties.setProperty("user", url.user());
        if (url.password() != null) properties.setProperty("password", url.password());
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("ApplicationName", "finote-db");
        // Unnamed statements only: a transaction pooler (PgBouncer before 1.21) hands each transaction
        // to another server connection, where pgjdbc's named ones ("S_1") would clash. A URL's own
        // prepareThreshold still wins.
        properties.setProperty("prepareThreshold", "0");
        return DriverManager.getConnection(url.jdbcUrl(), properties);
    }

    /** Quotes an SQL identifier the way PostgreSQL's quote_ident does. */
    public static String quoteIdentifier(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
