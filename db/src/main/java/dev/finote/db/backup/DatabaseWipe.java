package dev.finote.db.backup;

import dev.finote.db.DatabaseException;
import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.Jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Drops everything {@link DatabaseInventory} lists, in one transaction: all or nothing.
 * The managed schemas besides {@code public} are dropped with everything in them (the
 * migrations create them again). The {@code public} schema itself stays, with its owner and
 * privileges (a restricted application role's grants on the schema and its default
 * privileges survive).
 */
public final class DatabaseWipe {

    private DatabaseWipe() {
    }

    public static void wipe(DatabaseUrl url) {
        try (Connection connection = Jdbc.connect(url)) {
            connection.setAutoCommit(false);
            List<String> drops = new ArrayList<>();
            try (Statement statement = connection.createStatement()) {
                // A running server holds locks on its tables: fail clearly rather than wait forever.
                statement.execute("SET LOCAL lock_timeout = '15s'");
                collect(statement, drops, "SELECT 'DROP SCHEMA IF EXISTS drizzle CASCADE' FROM pg_namespace WHERE nspname = 'drizzle'");
                // The schemas besides public go whole; public's objects are dropped one by one below (IF EXISTS: the
                // cascade may have taken a view or a key of public's that used them already).
                collect(statement, drops, "SELECT 'DROP SCHEMA IF EXISTS ' || quote_ident(n.nspname) || ' CASCADE' FROM pg_namespace n WHERE"
                        + ManagedTables.managed("n") + "AND n.nspname <> 'public' ORDER BY n.nspname");
                collect(statement, drops, "SELECT 'DROP EXTENSION IF EXISTS ' || quote_ident(extname) || ' CASCADE' FROM pg_extension "
                        + "WHERE extnamespace = 'public'::regnamespace");
                collect(statement, drops, """
                        SELECT 'DROP ' || CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE'
                                                         WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END
                               || ' IF EXISTS public.' || quote_ident(c.relname) || ' CASCADE'
                          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                         WHERE n.nspname = 'public' AND c.relkind IN ('v', 'm', 'f', 'r', 'p', 'S')
                           AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
                         ORDER BY CASE c.relkind WHEN 'v' THEN 0 WHEN 'm' THEN 0 ELSE 1 END, c.relname""");
                collect(statement, drops, """
                        SELECT 'DROP ' || CASE p.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END
                               || ' IF EXISTS ' || p.oid::regprocedure::text || ' CASCADE'
                          FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
                           AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')""");
                collect(statement, drops, """
                        SELECT 'DROP ' || CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END
                               || ' IF EXISTS public.' || quote_ident(t.typname) || ' CASCADE'
                          FROM pg_type t
                         WHERE t.typnamespace = 'public'::regnamespace AND t.typtype IN ('e', 'd', 'r', 'c')
                           AND (t.typtype <> 'c' OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
                           AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = t.oid AND d.deptype = 'e')""");
                for (String drop : drops) statement.execute(drop);
            }
            connection.commit();
        } catch (SQLException e) {
            if ("55P03".equals(e.getSQLState())) {
                throw new LifecycleException("database " + url.describe() + " is in use: a table stayed locked for 15 s; nothing was dropped",
                        "stop the Finote server (and anything else using the database), then run this again", e);
            }
            throw new DatabaseException("could not drop the objects of " + url.describe() + ": " + e.getMessage(), e);
        }
    }

    private static void collect(Statement statement, List<String> drops, String query) throws SQLException {
        try (ResultSet rows = statement.executeQuery(query)) {
            while (rows.next()) drops.add(rows.getString(1));
        }
    }
}
