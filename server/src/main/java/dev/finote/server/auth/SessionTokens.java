package dev.finote.server.auth;

import dev.finote.server.config.FinoteSettings;
import org.springframework.stereotype.Component;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Session ids: 256 random bits sent as the cookie; the database stores only their
 * HMAC-SHA-256 under SESSION_SECRET, so a leaked dump of the sessions table cannot be
 * turned back into cookies, and rotating the secret logs everybody out.
 */
@Component
public class SessionTokens {

    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final String ALGORITHM = "HmacSHA256";

    private final SecureRandom random = new SecureRandom();
    private final SecretKeySpec key;

    public SessionTokens(FinoteSettings settings) {
        this.key = new SecretKeySpec(settings.sessionSecret().getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    public String newToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether a cookie value could be one of our tokens at all (saves a database read on garbage). */
    public boolean wellFormed(String token) {
        return token != null && SHAPE.matcher(token).matches();
    }

    public byte[] hash(String token) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM); // Mac is not thread-safe; a new one is cheap
            mac.init(key);
            return mac.doFinal(token.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
        }
    }
}
