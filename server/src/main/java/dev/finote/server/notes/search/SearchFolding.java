package dev.finote.server.notes.search;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Accent folding shared by the search indexes and the query, so that {@code cafe} finds
 * {@code Café} and {@code lodz} finds {@code Łódź}. The indexes (schema.sql, notes_words_idx and
 * notes_title_words_idx) fold in SQL: Unicode decomposition (NFD) with the combining accents
 * removed, punctuation turned into spaces (so '.', '/', '@', '-' separate words: host names,
 * paths, addresses), and the few letters that do not decompose mapped to their base letter. The
 * query's words are folded here the same way, then lower-cased (the 'simple' text search
 * configuration lower-cases what it indexes). SearchApiTest checks that schema.sql folds with
 * exactly these characters and that PostgreSQL and {@link #fold(String)} agree.
 *
 * <p>Why not one translate() table of every accented letter (the first version): translate()
 * compares each character of the text with each of the table's, which cost about 0.4 ms per
 * note on every insert and update, more than the rest of the write. unaccent() is not
 * IMMUTABLE, so an index cannot use it.
 */
public final class SearchFolding {

    /** Combining diacritical marks (U+0300–U+036F), which NFD splits off accented letters: removed. */
    private static final char FIRST_MARK = '\u0300';
    private static final char LAST_MARK = '\u036f';

    /** Punctuation that separates words: each becomes a space. */
    public static final String PUNCTUATION = "./@,;:!?()[]{}<>\"`~#$%^&*+=|\\-_“”‘’…–—«»'";

    /** Letters that NFD leaves whole, and their base letters. */
    public static final String LETTERS_FROM = "øØđĐłŁı";
    public static final String LETTERS_TO = "ooddlli";

    private SearchFolding() {
    }

    /** The folded form of a text, lower-cased: the words as the search indexes hold them. */
    public static String fold(String text) {
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFD);
        StringBuilder folded = new StringBuilder(decomposed.length());
        for (int i = 0; i < decomposed.length(); i++) {
            char c = decomposed.charAt(i);
            if (c >= FIRST_MARK && c <= LAST_MARK) continue;
            int letter = LETTERS_FROM.indexOf(c);
            if (letter >= 0) folded.append(LETTERS_TO.charAt(letter));
            else folded.append(PUNCTUATION.indexOf(c) >= 0 ? ' ' : c);
        }
        return folded.toString().toLowerCase(Locale.ROOT);
    }
}
