package dev.finote.server.auth;

import dev.finote.server.web.ApiException;

import java.text.Normalizer;
import java.util.Locale;

/**
 * How usernames are compared. A new name is stored as its NFC form without surrounding
 * white space; two names are the same account name when their {@link #skeleton skeletons}
 * are equal, so {@code Admin}/{@code admin}, NFD and NFC {@code josé}, full-width letters
 * and names with zero-width characters cannot be registered side by side. Names stored
 * before this rule keep their exact spelling: login still looks them up as typed.
 */
public final class Usernames {

    public static final int MAX_LENGTH = 100;

    private Usernames() {
    }

    /** The form a new name is stored in: NFC, surrounding white space removed. */
    public static String normalize(String username) {
        return Normalizer.normalize(username, Normalizer.Form.NFC).strip();
    }

    /**
     * The comparison key: invisible format characters (zero-width space and joiners, word
     * joiner, byte-order mark, soft hyphen …) removed, compatibility forms folded (NFKC),
     * case folded, and NFKC again (folding case can leave a non-normalised string).
     */
    public static String skeleton(String username) {
        String visible = username.strip().replaceAll("[\\p{Cf}\\u034F\\u115F\\u1160\\u3164\\uFFA0]", "");
        String folded = Normalizer.normalize(visible, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT).toUpperCase(Locale.ROOT)
                .toLowerCase(Locale.ROOT);
        return Normalizer.normalize(folded, Normalizer.Form.NFKC);
    }

    /** A new name as it will be stored, or a 400 naming the problem. */
    public static String validNew(String username) {
        String normalized = normalize(username);
        if (skeleton(normalized).isEmpty()) throw ApiException.invalidField("username_required", "username");
        if (normalized.length() > MAX_LENGTH) throw ApiException.invalidField("username_too_long", "username");
        if (normalized.codePoints().anyMatch(c -> Character.isISOControl(c))) {
            throw ApiException.invalidField("username_must_not_contain_control_characters", "username");
        }
        return normalized;
    }
}
