package dev.finote.db.backup;

import dev.finote.db.migrations.SchemaVersion;

import dev.finote.db.DatabaseException;
import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.Jdbc;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Takes a backup ({@link BackupFormat}) of a database while it keeps serving.
 *
 * <p>Everything is read in one {@code REPEATABLE READ, READ ONLY} transaction, so the
 * backup is one consistent snapshot however many writes happen meanwhile, and nothing
 * blocks writers (only DDL waits for it). Each table is streamed with {@code COPY … TO
 * STDOUT} through gzip to the file: memory does not grow with the data. The file is
 * written as {@code FILE.partial}, synced, then renamed: a backup that exists is complete.
 * It holds the tables of every schema the engine manages ({@link ManagedTables}), not only
 * {@code public}'s.
 */
public final class Backup {

    private Backup() {
    }

    /** What a backup holds and where it is. */
    public record Result(Path file, String schemaVersion, Map<String, Long> rowCounts, long rawBytes, long fileBytes,
                         String sha256, Duration elapsed) {
        public long totalRows() {
            return rowCounts.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    public static Result take(DatabaseUrl url, Path file, Progress progress) {
        if (Files.exists(file)) {
            throw new LifecycleException("the file " + file + " already exists", "name another file, or move that one away");
        }
        Instant started = Instant.now();
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
        } catch (IOException e) {
            throw new LifecycleException("cannot create the folder for " + file + ": " + e.getMessage(), "choose a writable folder");
        }
        try (Connection connection = Jdbc.connect(url)) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            }
            String schemaVersion = SchemaVersion.of(connection).orElseThrow(() -> new LifecycleException(
                    "database " + url.describe() + " has no migration history (flyway_schema_history), so there is no Finote schema to back up",
                    "apply the migrations first: finote db migrate"));
            List<ManagedTables.Table> tables = ManagedTables.inLoadOrder(connection);
            BackupManifest manifest = new BackupManifest(BackupFormat.VERSION, schemaVersion, started, url.describe(),
                    serverVersion(connection),
                    tables.stream().map(t -> new BackupManifest.Table(t.schema(), t.name(), t.columns())).toList());
            Result result = write(connection, manifest, tables, file, partial, progress);
            connection.commit();
            return new Result(result.file(), schemaVersion, result.rowCounts(), result.rawBytes(), result.fileBytes(),
                    result.sha256(), Duration.between(started, Instant.now()));
        } catch (SQLException e) {
            deleteQuietly(partial);
            throw new DatabaseException("backup of " + url.describe() + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            deleteQuietly(partial);
            throw new LifecycleException("could not write " + file + ": " + e.getMessage(), "check the disk space and the folder's permissions");
        } catch (RuntimeException e) {
            deleteQuietly(partial);
            throw e;
        }
    }

    private static Result write(Connection connection, BackupManifest manifest, List<ManagedTables.Table> tables,
                                Path file, Path partial, Progress progress) throws IOException, SQLException {
        MessageDigest sha = sha256();
        Map<String, Long> rowCounts = new LinkedHashMap<>();
        long rawBytes;
        String sha256Hex;
        try (OutputStream fileOut = Files.newOutputStream(partial, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
             GZIPOutputStream gzip = new GZIPOutputStream(new BufferedOutputStream(fileOut, 1 << 16), 1 << 16)) {
            DigestOutputStream digested = new DigestOutputStream(gzip, sha);
            CountingOutputStream counted = new CountingOutputStream(digested);
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(counted, 1 << 16));
            out.write(BackupFormat.MAGIC);
            frame(out, BackupFormat.MANIFEST, manifest.toText().getBytes(StandardCharsets.UTF_8));
            var copy = connection.unwrap(PGConnection.class).getCopyAPI();
            ByteArrayOutputStream chunk = new ByteArrayOutputStream(BackupFormat.CHUNK + (1 << 16));
            for (ManagedTables.Table table : tables) {
                progress.table("backing up", table.key());
                frame(out, BackupFormat.TABLE, table.key().getBytes(StandardCharsets.UTF_8));
                String sql = table.partitioned()
                        ? "COPY (SELECT " + table.columnList() + " FROM " + table.qualified() + ") TO STDOUT"
                        : "COPY " + table.qualified() + " (" + table.columnList() + ") TO STDOUT";
                long rows = 0;
                long bytes = 0;
                CopyOut copyOut = copy.copyOut(sql);
                byte[] row;
                while ((row = copyOut.readFromCopy()) != null) {
                    chunk.write(row);
                    rows++;
                    bytes += row.length;
                    if (chunk.size() >= BackupFormat.CHUNK) {
                        frame(out, BackupFormat.DATA, chunk.toByteArray());
                        chunk.reset();
                        progress.rows(rows, bytes);
                    }
                }
                if (chunk.size() > 0) {
                    frame(out, BackupFormat.DATA, chunk.toByteArray());
                    chunk.reset();
                }
                frame(out, BackupFormat.TABLE_END, Long.toString(rows).getBytes(StandardCharsets.US_ASCII));
                rowCounts.put(table.key(), rows);
                progress.rows(rows, bytes);
                progress.done();
            }
            out.flush();
            // The trailer is outside the checksum it carries.
            digested.on(false);
            String hex = HexFormat.of().formatHex(sha.digest());
            frame(out, BackupFormat.TRAILER, new BackupTrailer(rowCounts, hex).toText().getBytes(StandardCharsets.UTF_8));
            out.flush();
            rawBytes = counted.count();
            gzip.finish();
            gzip.flush();
            sha256Hex = hex;
        }
        // Closed, then made durable, then given its name: a file with the final name is complete.
        try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
        return new Result(file, manifest.schemaVersion(), rowCounts, rawBytes, Files.size(file), sha256Hex, Duration.ZERO);
    }

    static void frame(DataOutputStream out, byte kind, byte[] payload) throws IOException {
        out.writeByte(kind);
        out.writeInt(payload.length);
        out.write(payload);
    }

    private static String serverVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery("SHOW server_version")) {
            row.next();
            return "PostgreSQL " + row.getString(1);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove the incomplete backup " + path + ": " + e.getMessage(), e);
        }
    }

    /** Counts the bytes written through it: the uncompressed size of the backup. */
    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        private long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        long count() {
            return count;
        }
    }
}
