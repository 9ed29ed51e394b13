package dev.finote.server.web;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Typed, strict reads of a JSON request body. Unlike data binding, a wrong type is an
 * error naming the field (never a silent coercion of {@code "yes"} to {@code true}).
 */
public record JsonBody(JsonNode node) {

    /** PostgreSQL text cannot hold U+0000: refused here as a 400 rather than failing in the database as a 500. */
    static final String NUL_CHARACTER = "field_must_not_contain_nul_character";
    /** A JSON escape such as \ud800 can make a lone surrogate, which is no character (PostgreSQL would store "?"). */
    static final String INVALID_UNICODE = "field_must_be_valid_unicode";

    /** A request's body; no body at all reads as an empty object (every field absent). */
    public static JsonBody of(JsonNode node) {
        if (node == null || node.isMissingNode()) return new JsonBody(tools.jackson.databind.node.JsonNodeFactory.instance.objectNode());
        if (!node.isObject()) throw new ApiException(org.springframework.http.HttpStatus.BAD_REQUEST, "body_must_be_json_object");
        return new JsonBody(node);
    }

    public boolean has(String field) {
        return node.has(field);
    }

    /** A string field: empty when absent or null; a non-string is an error. */
    public Optional<String> string(String field, int maxLength) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) return Optional.empty();
        if (!value.isString()) throw ApiException.invalidField("field_must_be_string", field);
        String text = value.stringValue();
        if (text.length() > maxLength) throw ApiException.invalidField("field_too_long", field);
        if (text.indexOf('\0') >= 0) throw ApiException.invalidField(NUL_CHARACTER, field);
        if (hasLoneSurrogate(text)) throw ApiException.invalidField(INVALID_UNICODE, field);
        return Optional.of(text);
    }

    /** A string field that must be present and not null. */
    public String requiredString(String field, int maxLength) {
        return string(field, maxLength).orElseThrow(() -> ApiException.invalidField("field_required", field));
    }

    /** A boolean field: empty when absent; null or a non-boolean is an error. */
    public Optional<Boolean> bool(String field) {
        JsonNode value = node.get(field);
        if (value == null) return Optional.empty();
        if (!value.isBoolean()) throw ApiException.invalidField("field_must_be_boolean", field);
        return Optional.of(value.booleanValue());
    }

    /** An array of strings, or null; a list of null means "explicitly null". */
    public List<String> stringArrayOrNull(String field, int maxItems, int maxItemLength) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) return null;
        if (!value.isArray()) throw ApiException.invalidField("field_must_be_array_of_strings", field);
        if (value.size() > maxItems) throw ApiException.invalidField("too_many_items", field);
        List<String> items = new ArrayList<>(value.size());
        for (JsonNode item : value) {
            if (!item.isString()) throw ApiException.invalidField("field_must_be_array_of_strings", field);
            if (item.stringValue().length() > maxItemLength) throw ApiException.invalidField("field_too_long", field);
            if (item.stringValue().indexOf('\0') >= 0) throw ApiException.invalidField(NUL_CHARACTER, field);
            if (hasLoneSurrogate(item.stringValue())) throw ApiException.invalidField(INVALID_UNICODE, field);
            items.add(item.stringValue());
        }
        return items;
    }

    static boolean hasLoneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) i++;
            else if (Character.isSurrogate(c)) return true;
        }
        return false;
    }
}
