package dev.finote.server.notes.search;

import java.util.Locale;

/**
 * Accent folding shared by the search index and the query. The index (schema.sql,
 * notes_search_idx) folds with {@code translate(text, FROM, TO)}: unaccent() is not IMMUTABLE
 * and the schema holds no functions, so the table lives in the expression itself. The query's
 * words are folded here with the very same table, then lower-cased (the 'simple' text search
 * configuration lower-cases what it indexes). SearchApiTest checks that schema.sql holds
 * exactly these strings.
 */
public final class SearchFolding {

    /** Accented Latin letters, upper- and lower-case; then '.', '/', '@' and other punctuation, which separate words here. */
    public static final String FROM = "àáâãäåāăąÀÁÂÃÄÅĀĂĄçćĉċčÇĆĈĊČďĎèéêëēĕėęěÈÉÊËĒĔĖĘĚĝğġģĜĞĠĢĥĤìíîïĩīĭįÌÍÎÏĨĪĬĮİĵĴķĶĺļľĹĻĽñńņňÑŃŅŇòóôõöōŏőÒÓÔÕÖŌŎŐŕŗřŔŖŘśŝşšŚŜŞŠţťŢŤùúûüũūŭůűųÙÚÛÜŨŪŬŮŰŲŵŴýÿŷÝŸŶźżžŹŻŽøØđĐłŁı./@,;:!?()[]{}<>\"`~#$%^&*+=|\\-_“”‘’…–—«»'";
    /** What each of {@link #FROM} becomes: its base letter, lower-case, or a space. */
    public static final String TO = "aaaaaaaaaaaaaaaaaaccccccccccddeeeeeeeeeeeeeeeeeegggggggghhiiiiiiiiiiiiiiiiijjkkllllllnnnnnnnnoooooooooooooooorrrrrrssssssssttttuuuuuuuuuuuuuuuuuuuuwwyyyyyyzzzzzzooddlli                                         ";

    private SearchFolding() {
    }

    /** {@code translate(text, FROM, TO)} as PostgreSQL computes it, then lower case. */
    public static String fold(String text) {
        StringBuilder folded = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int at = FROM.indexOf(c);
            folded.append(at < 0 ? c : TO.charAt(at));
        }
        return folded.toString().toLowerCase(Locale.ROOT);
    }
}
