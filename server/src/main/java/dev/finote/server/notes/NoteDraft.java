package dev.finote.server.notes;

import dev.finote.server.web.JsonBody;

import java.util.List;
import java.util.Optional;

/**
 * The fields a request may set on a note, validated. For a new note {@code title} and
 * {@code content} are required; for an update every field is optional and only those
 * present change. {@code id}, {@code userId} and {@code createdAt} are never taken from a body.
 */
public record NoteDraft(Optional<String> title, Optional<String> content, Optional<Boolean> isPinned,
                        Optional<String> color, boolean tagsGiven, List<String> tags) {

    static final int MAX_TITLE = 1_000;
    static final int MAX_CONTENT = 100_000;
    static final int MAX_COLOR = 32;
    static final int MAX_TAGS = 50;
    static final int MAX_TAG = 100;
    static final String DEFAULT_COLOR = "default";

    /** A new note: title and content must be present; isPinned defaults to false and color to "default". */
    public static NoteDraft forCreate(JsonBody body) {
        String title = body.requiredString("title", MAX_TITLE);
        String content = body.requiredString("content", MAX_CONTENT);
        return new NoteDraft(Optional.of(title), Optional.of(content),
                Optional.of(body.bool("isPinned").orElse(false)),
                Optional.of(body.string("color", MAX_COLOR).orElse(DEFAULT_COLOR)),
                body.has("tags"), body.stringArrayOrNull("tags", MAX_TAGS, MAX_TAG));
    }

    /** A partial update: absent fields keep their value; {@code "tags": null} clears the tags. */
    public static NoteDraft forUpdate(JsonBody body) {
        Optional<String> title = body.has("title") ? Optional.of(body.requiredString("title", MAX_TITLE)) : Optional.empty();
        Optional<String> content = body.has("content") ? Optional.of(body.requiredString("content", MAX_CONTENT)) : Optional.empty();
        Optional<String> color = body.has("color") ? Optional.of(body.requiredString("color", MAX_COLOR)) : Optional.empty();
        return new NoteDraft(title, content, body.bool("isPinned"), color,
                body.has("tags"), body.stringArrayOrNull("tags", MAX_TAGS, MAX_TAG));
    }
}
