package dev.finote.db.backup;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a backup holds, written at its start as readable {@code key: value} lines: the
 * format version, the schema version (from {@code flyway_schema_history}), when and from
 * where it was taken (host, port and database: never credentials), the PostgreSQL
 * version, and each table with its schema and columns, in load order. Row counts are known only once
 * the rows are streamed, so they are in the trailer ({@link BackupTrailer}).
 *
 * <p>Format 1 (before the engine managed schemas besides {@code public}) names a table by its
 * name alone ({@code table: NAME COLUMNS}), and its tables are all in {@code public}; format 2
 * names its schema too ({@code table: SCHEMA NAME COLUMNS}). Both are read.
 */
public record BackupManifest(int formatVersion, String schemaVersion, Instant createdAt, String source,
                             String serverVersion, List<Table> tables) {

    /** A table, its schema and the columns the backup holds, in COPY order. */
    public record Table(String schema, String name, List<String> columns) {

        /** How the backup's frames and trailer name it: bare in public, {@code schema.name} elsewhere. */
        public String key() {
            return ManagedTables.key(schema, name);
        }
    }

    String toText() {
        StringBuilder text = new StringBuilder();
        text.append("format: ").append(formatVersion).append('\n');
        text.append("schema-version: ").append(schemaVersion).append('\n');
        text.append("created-at: ").append(createdAt).append('\n');
        text.append("source: ").append(encode(source)).append('\n');
        text.append("server-version: ").append(encode(serverVersion)).append('\n');
        for (Table table : tables) {
            text.append("table: ");
            if (formatVersion >= 2) text.append(encode(table.schema())).append(' ');
            text.append(encode(table.name())).append(' ')
                    .append(String.join(",", table.columns().stream().map(BackupManifest::encode).toList())).append('\n');
        }
        return text.toString();
    }

    static BackupManifest parse(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> tableLines = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) continue;
            int colon = line.indexOf(": ");
            if (colon < 0) throw LifecycleException.damaged("its manifest has a malformed line");
            String key = line.substring(0, colon);
            String value = line.substring(colon + 2);
            if (key.equals("table")) {
                tableLines.add(value);
            } else {
                values.put(key, value);
            }
        }
        try {
            int format = Integer.parseInt(values.get("format"));
            List<Table> tables = new ArrayList<>();
            for (String line : tableLines) tables.add(table(format, line));
            return new BackupManifest(format, values.get("schema-version"),
                    Instant.parse(values.get("created-at")), decode(values.get("source")),
                    decode(values.get("server-version")), List.copyOf(tables));
        } catch (RuntimeException e) {
            throw LifecycleException.damaged("its manifest is incomplete");
        }
    }

    /** A {@code table:} line's value: encoded words separated by single spaces (an encoded word holds none). */
    private static Table table(int format, String value) {
        String schema = "public";
        if (format >= 2) {
            String[] parts = value.split(" ", 2);
            schema = decode(parts[0]);
            value = parts.length < 2 ? "" : parts[1];
        }
        String[] parts = value.split(" ", 2);
        if (parts[0].isEmpty()) throw LifecycleException.damaged("its manifest names a table without a name");
        List<String> columns = parts.length < 2 || parts[1].isEmpty() ? List.of()
                : Arrays.stream(parts[1].split(",")).map(BackupManifest::decode).toList();
        return new Table(schema, decode(parts[0]), columns);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }
}
