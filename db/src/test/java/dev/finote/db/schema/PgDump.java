package dev.finote.db.schema;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code pg_dump --schema-only} of a database, the second witness (besides the {@link Catalog})
 * that a migrated database is exactly the one its schema builds. It runs the PostgreSQL client's
 * pg_dump ({@code postgresql-client}, which {@code .ci/run} installs; the zonky binaries have no
 * pg_dump), which refuses a server newer than itself: {@link #schemaOf} returns null for such a
 * server, and callers say which versions they compare.
 *
 * <p>Normalised for what legitimately differs between two dumps of equal schemas, nothing else:
 * the header's version comments; the restrict and unrestrict meta-command lines, whose key
 * pg_dump draws at random on every run (15.14 and later); and the order of the lines inside a
 * {@code CREATE TABLE}, which is the column order: not part of the engine's model (README), and
 * different where a column had to be dropped and added back (a generated column whose expression
 * changes: PostgreSQL before 17 has no {@code SET EXPRESSION}), since a column is added last.
 * pg_dump orders objects by kind, schema and name (and by dependencies), not by OID, so their
 * order needs no normalising.
 */
public final class PgDump {

    private static final String PG_DUMP = System.getProperty("pgdump.path", "/usr/bin/pg_dump");
    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)");
    private static final Pattern RESTRICT = Pattern.compile("(?m)^\\\\(un)?restrict \\S+$");
    private static final Pattern HEADER_VERSIONS = Pattern.compile("(?m)^-- Dumped (from database|by pg_dump) version .*$");

    private PgDump() {
    }

    /** The major version of the pg_dump used. */
    public static int major() {
        String version = run(List.of(PG_DUMP, "--version")).strip();
        Matcher number = VERSION.matcher(version);
        if (!number.find()) throw new IllegalStateException("unexpected pg_dump --version: " + version);
        return Integer.parseInt(number.group(1));
    }

    /**
     * The normalised schema-only dump of the database {@code connection} is connected to (an
     * embedded server: trust authentication, no password), without {@code excludedTables}
     * ({@code schema.table}); null when the server is newer than pg_dump.
     */
    public static String schemaOf(Connection connection, List<String> excludedTables) throws SQLException {
        int server = connection.getMetaData().getDatabaseMajorVersion();
        if (server > major()) return null;
        URI url = URI.create(connection.getMetaData().getURL().substring("jdbc:".length()));
        List<String> command = new ArrayList<>(List.of(PG_DUMP, "--schema-only", "--no-password", "-h", url.getHost(),
                "-p", String.valueOf(url.getPort()), "-U", connection.getMetaData().getUserName(), "-d", url.getPath().substring(1)));
        for (String table : excludedTables) command.add("--exclude-table=" + table);
        return normalised(run(command));
    }

    static String normalised(String dump) {
        String text = RESTRICT.matcher(dump).replaceAll("\\\\$1restrict (random key)");
        text = HEADER_VERSIONS.matcher(text).replaceAll("-- Dumped $1 version (left out)");
        StringBuilder result = new StringBuilder();
        List<String> columns = null; // inside a CREATE TABLE: its lines, sorted at its end
        for (String line : text.lines().toList()) {
            if (columns != null && line.startsWith(")")) {
                columns.stream().sorted().forEach(column -> result.append(column).append('\n'));
                columns = null;
            } else if (columns != null) {
                columns.add(line.endsWith(",") ? line.substring(0, line.length() - 1) : line);
                continue;
            }
            result.append(line).append('\n');
            if (line.startsWith("CREATE TABLE ") && line.endsWith(" (")) columns = new ArrayList<>();
        }
        return result.toString();
    }

    /** The lines of {@code actual} that are not in {@code expected} and the reverse, for a failure message. */
    public static String difference(String expected, String actual) {
        List<String> want = expected.lines().toList();
        List<String> got = actual.lines().toList();
        String missing = want.stream().filter(line -> !got.contains(line)).map(line -> "- " + line).collect(Collectors.joining("\n"));
        String extra = got.stream().filter(line -> !want.contains(line)).map(line -> "+ " + line).collect(Collectors.joining("\n"));
        return missing + (missing.isEmpty() || extra.isEmpty() ? "" : "\n") + extra;
    }

    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in 60 s");
            }
            if (process.exitValue() != 0) throw new IllegalStateException(String.join(" ", command) + " failed: " + err);
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + command.getFirst() + " (install postgresql-client): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
