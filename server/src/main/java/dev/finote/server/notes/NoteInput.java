package dev.finote.server.notes;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/**
 * The body of {@code POST /api/notes} and {@code PUT /api/notes/{id}}, for the OpenAPI
 * description only: the controllers read bodies strictly through {@link NoteDraft}.
 */
@Schema(description = "A note to create (title and content required) or the fields to change (all optional).")
public record NoteInput(
        @Schema(maxLength = NoteDraft.MAX_TITLE) String title,
        @Schema(maxLength = NoteDraft.MAX_CONTENT) String content,
        @JsonProperty("isPinned") @Schema(defaultValue = "false") Boolean isPinned,
        @Schema(maxLength = NoteDraft.MAX_COLOR, defaultValue = "default") String color,
        @ArraySchema(maxItems = NoteDraft.MAX_TAGS, schema = @Schema(maxLength = NoteDraft.MAX_TAG)) List<String> tags) {
}
