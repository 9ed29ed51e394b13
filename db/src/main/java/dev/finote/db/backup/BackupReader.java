package dev.finote.db.backup;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a backup from start to end, checking everything: the magic line, the frame
 * structure, each table's row count against its rows, the trailer's counts and SHA-256,
 * and that nothing follows the trailer. Any damage is a {@link LifecycleException#damaged damaged backup}.
 * Rows are handed to a {@link Rows} consumer in chunks as they are read, so memory stays flat.
 */
public final class BackupReader {

    /** Receives each table's rows (COPY text format, whole rows per chunk). */
    public interface Rows {
        void begin(BackupManifest.Table table);

        void chunk(byte[] buffer, int length);

        void end(BackupManifest.Table table, long rows);
    }

    /** A backup read to the end without damage. */
    public record Verified(Path file, BackupManifest manifest, Map<String, Long> rowCounts, String sha256, long fileBytes) {
        public long totalRows() {
            return rowCounts.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static final int MAX_TEXT_FRAME = 16 * 1024 * 1024;

    private BackupReader() {
    }

    /** Reads the whole backup without loading it anywhere: the check restore runs before it touches the target. */
    public static Verified verify(Path file) {
        return read(file, new Rows() {
            @Override
            public void begin(BackupManifest.Table table) {
            }

            @Override
            public void chunk(byte[] buffer, int length) {
            }

            @Override
            public void end(BackupManifest.Table table, long rows) {
            }
        });
    }

    public static Verified read(Path file, Rows consumer) {
        MessageDigest sha = Backup.sha256();
        try (InputStream raw = Files.newInputStream(file);
             GZIPInputStream gzip = new GZIPInputStream(new BufferedInputStream(raw, 1 << 16), 1 << 16)) {
            DigestInputStream digested = new DigestInputStream(new BufferedInputStream(gzip, 1 << 16), sha);
            DataInputStream in = new DataInputStream(digested);
            byte[] magic = new byte[BackupFormat.MAGIC.length];
            in.readFully(magic);
            Integer version = BackupFormat.READABLE.stream().filter(v -> Arrays.equals(magic, BackupFormat.magic(v))).findFirst().orElse(null);
            if (version == null) {
                throw LifecycleException.damaged("it is not a Finote backup (or one of an unknown format version)");
            }
            expectKind(in, BackupFormat.MANIFEST);
            BackupManifest manifest = BackupManifest.parse(text(in));
            if (manifest.formatVersion() != version) throw LifecycleException.damaged("its manifest's format version does not match its first line");
            Map<String, Long> counts = new LinkedHashMap<>();
            byte[] buffer = new byte[1 << 16];
            for (BackupManifest.Table table : manifest.tables()) {
                expectKind(in, BackupFormat.TABLE);
                String name = text(in);
                if (!name.equals(table.key())) throw LifecycleException.damaged("table " + name + " is out of place");
                consumer.begin(table);
                long rows = 0;
                while (true) {
                    byte kind = in.readByte();
                    if (kind == BackupFormat.TABLE_END) {
                        long declared = parseLong(text(in));
                        if (declared != rows) {
                            throw LifecycleException.damaged("table " + name + " should hold " + declared + " rows but holds " + rows);
                        }
                        consumer.end(table, rows);
                        counts.put(name, rows);
                        break;
                    }
                    if (kind != BackupFormat.DATA) throw LifecycleException.damaged("unexpected frame in table " + name);
                    int length = in.readInt();
                    if (length < 0) throw LifecycleException.damaged("a frame of table " + name + " has a negative length");
                    int left = length;
                    while (left > 0) {
                        int n = Math.min(left, buffer.length);
                        in.readFully(buffer, 0, n);
                        for (int i = 0; i < n; i++) if (buffer[i] == '\n') rows++;
                        consumer.chunk(buffer, n);
                        left -= n;
                    }
                }
            }
            digested.on(false);
            expectKind(in, BackupFormat.TRAILER);
            BackupTrailer trailer = BackupTrailer.parse(text(in));
            String actual = HexFormat.of().formatHex(sha.digest());
            if (!actual.equalsIgnoreCase(trailer.sha256())) {
                throw LifecycleException.damaged("its SHA-256 checksum does not match its content");
            }
            if (!trailer.rowCounts().equals(counts)) throw LifecycleException.damaged("its trailer does not match its tables");
            if (in.read() != -1) throw LifecycleException.damaged("there is data after its end");
            return new Verified(file, manifest, counts, actual, Files.size(file));
        } catch (NoSuchFileException e) {
            throw new LifecycleException("there is no file " + file, "give the path of a backup made by finote db backup");
        } catch (EOFException e) {
            throw LifecycleException.damaged("it is truncated (it ends before its trailer)", e);
        } catch (ZipException e) {
            throw LifecycleException.damaged("its compressed data is corrupt (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void expectKind(DataInputStream in, byte kind) throws IOException {
        byte actual = in.readByte();
        if (actual != kind) throw LifecycleException.damaged("its structure is broken (expected frame " + (char) kind + ")");
    }

    private static String text(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > MAX_TEXT_FRAME) throw LifecycleException.damaged("its structure is broken (bad frame length)");
        byte[] payload = new byte[length];
        in.readFully(payload);
        return new String(payload, StandardCharsets.UTF_8);
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw LifecycleException.damaged("a row count is not a number");
        }
    }
}
