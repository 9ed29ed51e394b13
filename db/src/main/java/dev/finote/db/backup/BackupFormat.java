package dev.finote.db.backup;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The backup file format, version 2: a gzip stream holding
 * <pre>
 *   FINOTE-BACKUP 2\n                   magic line
 *   frame*                              kind (1 byte), length (4 bytes, big-endian), payload
 * </pre>
 * Frames, in order: one {@code M} (the manifest, UTF-8 text), then per table a {@code T}
 * (its name), any number of {@code D} (whole rows in PostgreSQL's COPY text format, at most
 * {@link #CHUNK} bytes each) and an {@code E} (its row count); last a {@code Z} trailer
 * holding every table's row count and the SHA-256 of everything before the trailer.
 * Truncation is detected by the missing trailer (and gzip's own length check), corruption
 * by gzip's CRC-32 and the SHA-256.
 *
 * <p>A table in {@code public} is named by its name, one elsewhere by {@code schema.name}
 * (frames and trailer); the manifest gives each table's schema apart ({@link BackupManifest}).
 * Version 1, written before backups covered schemas besides {@code public}, differs only
 * in its magic line and in the manifest naming no schema: it is still read. A build that
 * knows only version 1 refuses a version 2 backup instead of silently leaving out the
 * tables of the other schemas.
 */
final class BackupFormat {

    static final int VERSION = 2;
    static final byte[] MAGIC = magic(VERSION);
    /** The versions this build reads: every one written so far. */
    static final List<Integer> READABLE = List.of(1, 2);
    static final byte MANIFEST = 'M';
    static final byte TABLE = 'T';
    static final byte DATA = 'D';
    static final byte TABLE_END = 'E';
    static final byte TRAILER = 'Z';
    /** Rows are grouped into frames of about this size: memory stays flat whatever the data. */
    static final int CHUNK = 256 * 1024;
    /** No frame is larger than this; a bigger length means a damaged file. */
    static final int MAX_FRAME = 64 * 1024 * 1024;
    static final String SUFFIX = ".finote-backup";

    private BackupFormat() {
    }

    static byte[] magic(int version) {
        return ("FINOTE-BACKUP " + version + "\n").getBytes(StandardCharsets.US_ASCII);
    }
}
