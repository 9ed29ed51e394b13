package dev.finote.server.notes;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * A note as the API returns it. {@code createdAt} is ISO-8601 UTC with milliseconds and a
 * {@code Z}; {@code tags} is null for rows created without tags, as before.
 */
public record Note(
        int id,
        int userId,
        String title,
        String content,
        @JsonProperty("isPinned") boolean isPinned,
        String color,
        List<String> tags,
        String createdAt) {
}
