package dev.finote.server.notes.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A search as typed: its words, folded, joined into a PostgreSQL {@code tsquery} where every
 * word must match and the last one is a prefix ({@code kopi & caf:*}), so results follow the
 * typing. Only letters and digits make words (the text search parser splits on everything
 * else too), so the tsquery text holds no operator a user typed.
 */
public record SearchQuery(List<String> words) {

    public static final int MAX_LENGTH = 200;

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

    /** The words of {@code q}; empty when it holds none (blank q is no filter). */
    public static Optional<SearchQuery> parse(String q) {
        if (q == null) return Optional.empty();
        List<String> words = new ArrayList<>();
        Matcher matcher = WORD.matcher(SearchFolding.fold(q));
        while (matcher.find()) words.add(matcher.group());
        return words.isEmpty() ? Optional.empty() : Optional.of(new SearchQuery(List.copyOf(words)));
    }

    /**
     * The text for {@code to_tsquery('simple', ?)} against the search indexes (schema.sql,
     * search_notes), whose words carry their user's id: each word quoted, the last one a prefix
     * ({@code '42ukopi' & '42usu':*}).
     */
    public String tsquery(int userId) {
        return tsquery(userId + "u");
    }

    private String tsquery(String prefix) {
        StringBuilder query = new StringBuilder();
        for (int i = 0; i < words.size(); i++) {
            if (i > 0) query.append(" & ");
            query.append('\'').append(prefix).append(words.get(i).replace("'", "''")).append('\'');
            if (i == words.size() - 1) query.append(":*");
        }
        return query.toString();
    }
}
