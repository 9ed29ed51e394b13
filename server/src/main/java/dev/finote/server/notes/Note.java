package dev.finote.server.notes;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * A note as the API returns it. {@code createdAt}, {@code updatedAt} and {@code deletedAt} are
 * ISO-8601 UTC with milliseconds and a {@code Z}; {@code tags} is null for rows created without
 * tags, as before. {@code updatedAt} equals {@code createdAt} until the first edit;
 * {@code deletedAt} appears only on notes in the trash.
 */
public record Note(
        int id,
        int userId,
        String title,
        String content,
        @JsonProperty("isPinned") boolean isPinned,
        String color,
        List<String> tags,
        String createdAt,
        String updatedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String deletedAt) {
}
