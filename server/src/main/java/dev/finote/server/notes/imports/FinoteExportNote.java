package dev.finote.server.notes.imports;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/** One note of a Finote export ({@code GET /api/notes/export}), with its times and trash state. */
final class FinoteExportNote {

    private FinoteExportNote() {
    }

    /** The note, or the problem that keeps it out, reported as {@code notes[index]}. */
    static Object read(int index, JsonNode node) {
        String name = "notes[" + index + "]";
        if (!node.isObject()) return new ImportProblem(name, "note_must_be_object");
        String title = node.path("title").isString() ? node.path("title").stringValue() : null;
        String content = node.path("content").isString() ? node.path("content").stringValue() : null;
        String color = node.path("color").isString() ? node.path("color").stringValue() : "default";
        List<String> tags = null;
        JsonNode tagNodes = node.path("tags");
        if (tagNodes.isArray()) {
            tags = new ArrayList<>();
            for (JsonNode tag : tagNodes) tags.add(tag.isString() ? tag.stringValue() : null);
        } else if (!tagNodes.isMissingNode() && !tagNodes.isNull()) {
            return new ImportProblem(name, "invalid_tag");
        }
        String refusal = NoteSources.refusal(title, content, color, tags);
        if (refusal != null) return new ImportProblem(name, refusal);
        // The note's own id and owner are not part of its identity: the same export imports once into any account.
        ObjectNode source = ((ObjectNode) node).deepCopy();
        source.remove(List.of("id", "userId"));
        return new ImportedNote(title, content, node.path("isPinned").asBoolean(false), color, tags,
                NoteSources.isoTime(node.get("createdAt")), NoteSources.isoTime(node.get("updatedAt")),
                NoteSources.isoTime(node.get("deletedAt")), NoteSources.key("finote", source));
    }
}
