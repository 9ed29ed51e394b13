package dev.finote.server.notes;

import dev.finote.server.notes.search.SearchQuery;
import dev.finote.server.web.ApiException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The query parameters of {@code GET /api/notes}, validated: {@code q} (search words),
 * {@code tag}, {@code pinned}, {@code limit} (1–200; none means every note) and {@code cursor}.
 */
public record NoteFilter(Optional<SearchQuery> search, Optional<String> tag, Optional<Boolean> pinned,
                         OptionalInt limit, Optional<String> cursor) {

    public static final int MAX_LIMIT = 200;

    public static NoteFilter parse(String q, String tag, String pinned, String limit, String cursor) {
        if (q != null && q.length() > SearchQuery.MAX_LENGTH) throw ApiException.invalidField("q_too_long", "q");
        if (tag != null && tag.length() > NoteDraft.MAX_TAG) throw ApiException.invalidField("field_too_long", "tag");
        Optional<Boolean> pinnedValue = switch (pinned) {
            case null -> Optional.empty();
            case "true" -> Optional.of(true);
            case "false" -> Optional.of(false);
            default -> throw ApiException.invalidField("pinned_must_be_true_or_false", "pinned");
        };
        OptionalInt limitValue = OptionalInt.empty();
        if (limit != null) {
            if (!limit.matches("[0-9]{1,3}") || Integer.parseInt(limit) < 1 || Integer.parseInt(limit) > MAX_LIMIT) {
                throw ApiException.invalidField("limit_must_be_1_to_200", "limit");
            }
            limitValue = OptionalInt.of(Integer.parseInt(limit));
        }
        return new NoteFilter(SearchQuery.parse(q), Optional.ofNullable(tag), pinnedValue, limitValue,
                Optional.ofNullable(cursor).filter(c -> !c.isEmpty()));
    }

    /** The plain list: no filter, no page (the hot path, served straight from the list index). */
    public boolean isPlainList() {
        return search.isEmpty() && tag.isEmpty() && pinned.isEmpty() && limit.isEmpty() && cursor.isEmpty();
    }

    /** What a cursor is bound to: the filters (not the page size), as a short hash. */
    public String identity() {
        String text = search.map(s -> String.join(" ", s.words())).orElse("") + "\u0000" + tag.orElse("\u0001")
                + "\u0000" + pinned.map(String::valueOf).orElse("");
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(hash, 12));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
