package dev.finote.db.backup;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The end of a backup: each table's row count and the SHA-256 (hex) of everything before it. */
record BackupTrailer(Map<String, Long> rowCounts, String sha256) {

    String toText() {
        StringBuilder text = new StringBuilder();
        rowCounts.forEach((table, rows) -> text.append("rows: ").append(URLEncoder.encode(table, StandardCharsets.UTF_8))
                .append(' ').append(rows).append('\n'));
        text.append("sha256: ").append(sha256).append('\n');
        return text.toString();
    }

    static BackupTrailer parse(String text) {
        Map<String, Long> rows = new LinkedHashMap<>();
        String sha = null;
        try {
            for (String line : text.split("\n")) {
                if (line.startsWith("rows: ")) {
                    String[] parts = line.substring(6).split(" ");
                    rows.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8), Long.parseLong(parts[1]));
                } else if (line.startsWith("sha256: ")) {
                    sha = line.substring(8).strip();
                }
            }
        } catch (RuntimeException e) {
            throw LifecycleException.damaged("its trailer is malformed");
        }
        if (sha == null) throw LifecycleException.damaged("its trailer has no checksum");
        return new BackupTrailer(rows, sha);
    }
}
