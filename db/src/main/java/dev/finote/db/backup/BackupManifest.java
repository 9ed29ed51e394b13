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
 * version, and each table with its columns, in load order. Row counts are known only once
 * the rows are streamed, so they are in the trailer ({@link BackupTrailer}).
 */
public record BackupManifest(int formatVersion, String schemaVersion, Instant createdAt, String source,
                             String serverVersion, List<Table> tables) {

    /** A table of the {@code public} schema and the columns the backup holds, in COPY order. */
    public record Table(String name, List<String> columns) {
    }

    String toText() {
        StringBuilder text = new StringBuilder();
        text.append("format: ").append(formatVersion).append('\n');
        text.append("schema-version: ").append(schemaVersion).append('\n');
        text.append("created-at: ").append(createdAt).append('\n');
        text.append("source: ").append(encode(source)).append('\n');
        text.append("server-version: ").append(encode(serverVersion)).append('\n');
        for (Table table : tables) {
            text.append("table: ").append(encode(table.name())).append(' ')
                    .append(String.join(",", table.columns().stream().map(BackupManifest::encode).toList())).append('\n');
        }
        return text.toString();
    }

    static BackupManifest parse(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        List<Table> tables = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) continue;
            int colon = line.indexOf(": ");
            if (colon < 0) throw LifecycleException.damaged("its manifest has a malformed line");
            String key = line.substring(0, colon);
            String value = line.substring(colon + 2);
            if (key.equals("table")) {
                String[] parts = value.split(" ", 2);
                List<String> columns = parts.length < 2 || parts[1].isEmpty() ? List.of()
                        : Arrays.stream(parts[1].split(",")).map(BackupManifest::decode).toList();
                tables.add(new Table(decode(parts[0]), columns));
            } else {
                values.put(key, value);
            }
        }
        try {
            return new BackupManifest(Integer.parseInt(values.get("format")), values.get("schema-version"),
                    Instant.parse(values.get("created-at")), decode(values.get("source")),
                    decode(values.get("server-version")), List.copyOf(tables));
        } catch (RuntimeException e) {
            throw LifecycleException.damaged("its manifest is incomplete");
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }
}
