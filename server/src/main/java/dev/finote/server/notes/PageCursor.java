package dev.finote.server.notes;

import dev.finote.server.config.FinoteSettings;
import dev.finote.server.web.ApiException;
import org.springframework.stereotype.Component;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.util.Base64;

/**
 * The {@code cursor} of a page: where the previous page ended, for whom and for which filters,
 * signed with a key derived from SESSION_SECRET. A cursor that was changed, belongs to another
 * user or to other filters is refused (400, field {@code cursor}) instead of leaking or skipping
 * notes.
 */
@Component
public class PageCursor {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final int MAX_LENGTH = 512;

    private final SecretKeySpec key;

    public PageCursor(FinoteSettings settings) {
        this.key = new SecretKeySpec(hmac(new SecretKeySpec(settings.sessionSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"),
                "finote page cursor v1".getBytes(StandardCharsets.UTF_8)), "HmacSHA256");
    }

    /** The signed text of {@code position}, for {@code userId} and the filters identified by {@code filters}. */
    public String encode(int userId, String filters, NotePosition position) {
        String payload = "1|" + userId + "|" + filters + "|" + position.rank() + "|" + position.pinKey() + "|"
                + (position.created() == null ? "-" : position.created().toString()) + "|" + position.id();
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        return ENCODER.encodeToString(bytes) + "." + ENCODER.encodeToString(hmac(key, bytes));
    }

    /** The position in {@code cursor}, or 400 {@code invalid_cursor} unless it was made here for this user and these filters. */
    public NotePosition decode(String cursor, int userId, String filters) {
        try {
            if (cursor.length() > MAX_LENGTH) throw invalid();
            int dot = cursor.indexOf('.');
            if (dot < 0) throw invalid();
            byte[] payload = DECODER.decode(cursor.substring(0, dot));
            byte[] signature = DECODER.decode(cursor.substring(dot + 1));
            if (!MessageDigest.isEqual(signature, hmac(key, payload))) throw invalid();
            String[] parts = new String(payload, StandardCharsets.UTF_8).split("\\|", -1);
            if (parts.length != 7 || !parts[0].equals("1") || !parts[1].equals(Integer.toString(userId)) || !parts[2].equals(filters)) {
                throw invalid();
            }
            return new NotePosition(Integer.parseInt(parts[3]), Integer.parseInt(parts[4]),
                    parts[5].equals("-") ? null : LocalDateTime.parse(parts[5]), Integer.parseInt(parts[6]));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw invalid();
        }
    }

    private static ApiException invalid() {
        return ApiException.invalidField("invalid_cursor", "cursor");
    }

    private static byte[] hmac(SecretKeySpec key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
