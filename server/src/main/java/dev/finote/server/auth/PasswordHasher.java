package dev.finote.server.auth;

import org.springframework.security.crypto.bcrypt.BCrypt;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * bcrypt, compatible with the hashes the Node {@code bcrypt} package wrote ({@code $2b$10$…}).
 *
 * <p>bcrypt only reads the first 72 bytes of a password, and Node's bcrypt silently ignored
 * the rest; an old user who chose a longer password must still get in, so verification
 * truncates the same way. New passwords longer than that are refused at registration
 * instead, so nobody gets a password that is only partly checked.
 */
@Component
public class PasswordHasher {

    public static final int MAX_PASSWORD_BYTES = 72;
    /** The Node backend's cost; 10 keeps logins fast and is OWASP's minimum for bcrypt. */
    private static final int COST = 10;

    /**
     * Compared against when the username does not exist, so that costs the same time as a wrong
     * password: a bcrypt hash of cost {@link #COST}, of a password nobody is ever checked for. It is
     * a constant rather than hashed at start, which cost the server's start-up 0.1-0.2 s (bcrypt
     * not yet compiled); it protects nothing, it only has to cost what a real check costs.
     */
    static final String DECOY_HASH = "$2b$10$WLJAPokerlfhfagHaLFi7O3HPOe.Or4eNNPH1YxZYAPQe74rpGNg6";

    private final SecureRandom random = new SecureRandom();

    /** Callers run inside the {@link CredentialGate}, which bounds how many hashes are computed at once. */
    public String hash(String password) {
        return BCrypt.hashpw(bytes(password), BCrypt.gensalt("$2b", COST, random));
    }

    public boolean matches(String password, String hash) {
        try {
            return hash != null && BCrypt.checkpw(bytes(password), hash);
        } catch (IllegalArgumentException e) {
            return false; // not a bcrypt hash: no password matches it
        }
    }

    /** Spends the time of a real check, for a username that does not exist. */
    public void matchDecoy(String password) {
        matches(password, DECOY_HASH);
    }

    public static boolean tooLong(String password) {
        return password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES;
    }

    private static byte[] bytes(String password) {
        byte[] utf8 = password.getBytes(StandardCharsets.UTF_8);
        return utf8.length > MAX_PASSWORD_BYTES ? Arrays.copyOf(utf8, MAX_PASSWORD_BYTES) : utf8;
    }
}
