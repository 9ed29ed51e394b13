package dev.finote.server.notes.imports;

import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;

/** Validation and conversions shared by the import formats. */
final class NoteSources {

    static final int MAX_TITLE = 1_000;
    static final int MAX_CONTENT = 100_000;
    static final int MAX_COLOR = 32;
    static final int MAX_TAGS = 50;
    static final int MAX_TAG = 100;

    private NoteSources() {
    }

    /** The reason a note cannot be imported, as the API would refuse it; null when it can. */
    static String refusal(String title, String content, String color, List<String> tags) {
        if (title == null) return "title_missing";
        if (content == null) return "content_missing";
        if (title.length() > MAX_TITLE) return "title_too_long";
        if (content.length() > MAX_CONTENT) return "content_too_long";
        if (color != null && color.length() > MAX_COLOR) return "color_too_long";
        if (title.indexOf('\0') >= 0 || content.indexOf('\0') >= 0) return "nul_character";
        if (tags != null) {
            if (tags.size() > MAX_TAGS) return "too_many_tags";
            for (String tag : tags) {
                if (tag == null || tag.length() > MAX_TAG || tag.indexOf('\0') >= 0) return "invalid_tag";
            }
        }
        return null;
    }

    /** "format:" + SHA-256 of the note's source JSON. */
    static String key(String format, JsonNode source) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(source.toString().getBytes(StandardCharsets.UTF_8));
            return format + ":" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** An ISO-8601 instant ({@code 2026-11-24T04:00:37.390Z}) as UTC wall-clock time; null when absent or unreadable. */
    static LocalDateTime isoTime(JsonNode value) {
        if (value == null || !value.isString()) return null;
        try {
            return LocalDateTime.ofInstant(Instant.parse(value.stringValue()), ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Microseconds since the epoch (Keep's {@code …TimestampUsec}) as UTC wall-clock time; null when absent. */
    static LocalDateTime microsTime(JsonNode value) {
        if (value == null || !value.isNumber()) return null;
        long micros = value.longValue();
        if (micros <= 0) return null;
        return LocalDateTime.ofInstant(Instant.EPOCH.plusNanos(0).plusSeconds(micros / 1_000_000).plusNanos((micros % 1_000_000) * 1_000),
                ZoneOffset.UTC);
    }
}
