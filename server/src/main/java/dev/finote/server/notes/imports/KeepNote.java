package dev.finote.server.notes.imports;

import tools.jackson.databind.JsonNode;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One Google Keep note as Google Takeout writes it ({@code Takeout/Keep/<title>.json}): title,
 * text, checklist items (as {@code - [ ] item} / {@code - [x] item} lines), labels (as tags),
 * pinned, color (as a lower-case name), trashed (into the trash), archived (as the tag
 * {@code archived}) and the created/edited times.
 */
final class KeepNote {

    private KeepNote() {
    }

    /** Whether {@code node} has the shape of a Keep note. */
    static boolean looksLike(JsonNode node) {
        return node != null && node.isObject() && (node.has("textContent") || node.has("listContent"))
                && (node.has("userEditedTimestampUsec") || node.has("isTrashed") || node.has("isArchived"));
    }

    /** The note, or the problem that keeps it out, reported under {@code name}. */
    static Object read(String name, JsonNode node) {
        String title = node.path("title").isString() ? node.path("title").stringValue() : "";
        StringBuilder content = new StringBuilder(node.path("textContent").isString() ? node.path("textContent").stringValue() : "");
        JsonNode items = node.path("listContent");
        if (items.isArray()) {
            for (JsonNode item : items) {
                if (!content.isEmpty()) content.append('\n');
                content.append(item.path("isChecked").asBoolean(false) ? "- [x] " : "- [ ] ").append(item.path("text").asString(""));
            }
        }
        List<String> tags = new ArrayList<>();
        for (JsonNode label : node.path("labels")) {
            if (label.path("name").isString() && !tags.contains(label.path("name").stringValue())) tags.add(label.path("name").stringValue());
        }
        if (node.path("isArchived").asBoolean(false) && !tags.contains("archived")) tags.add("archived");
        String color = node.path("color").isString() ? node.path("color").stringValue().toLowerCase(Locale.ROOT) : "default";
        String refusal = NoteSources.refusal(title, content.toString(), color, tags);
        if (refusal != null) return new ImportProblem(name, refusal);
        LocalDateTime edited = NoteSources.microsTime(node.get("userEditedTimestampUsec"));
        LocalDateTime created = NoteSources.microsTime(node.get("createdTimestampUsec"));
        LocalDateTime trashed = node.path("isTrashed").asBoolean(false) ? LocalDateTime.now(ZoneOffset.UTC) : null;
        return new ImportedNote(title, content.toString(), node.path("isPinned").asBoolean(false), color,
                tags.isEmpty() ? null : List.copyOf(tags), created != null ? created : edited, edited, trashed,
                NoteSources.key("keep", node));
    }
}
