package dev.finote.db.backup;

import java.nio.charset.StandardCharsets;

/**
 * The backup file format, version 1: a gzip stream holding
 * <pre>
 *   FINOTE-BACKUP 1\n                   magic line
 *   frame*                              kind (1 byte), length (4 bytes, big-endian), payload
 * </pre>
 * Frames, in order: one {@code M} (the manifest, UTF-8 text), then per table a {@code T}
 * (its name), any number of {@code D} (whole rows in PostgreSQL's COPY text format, at most
 * {@link #CHUNK} bytes each) and an {@code E} (its row count); last a {@code Z} trailer
 * holding every table's row count and the SHA-256 of everything before the trailer.
 * Truncation is detected by the missing trailer (and gzip's own length check), corruption
 * by gzip's CRC-32 and the SHA-256.
 */
final class BackupFormat {

    static final int VERSION = 1;
    static final byte[] MAGIC = ("FINOTE-BACKUP " + VERSION + "\n").getBytes(StandardCharsets.US_ASCII);
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
}
