package dev.finote.server.auth;

import dev.finote.server.web.ApiException;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a new password must be (NIST SP 800-63B): at least {@link #MIN_LENGTH} characters,
 * at most bcrypt's 72 bytes, and not one of the most common passwords. Only new passwords
 * are checked (register, change): existing users log in with whatever they chose.
 *
 * <p>{@code auth/common-passwords.txt} holds the 10,000 most frequent passwords, most
 * frequent first, lower-cased: the first 10,000 lines of the {@code passwords.txt}
 * frequency list that zxcvbn4j 1.9.0 ({@code com.nulab-inc:zxcvbn}, MIT licence) ships,
 * itself taken from zxcvbn's list of leaked passwords. It is compared case-insensitively.
 */
@Component
public class PasswordPolicy {

    public static final int MIN_LENGTH = 8;
    static final String COMMON_PASSWORDS = "auth/common-passwords.txt";

    private final Set<String> common;

    public PasswordPolicy() {
        this.common = load();
    }

    /** Refuses an unusable new password with a 400 naming {@code field}. */
    public void checkNew(String password, String field) {
        if (password.codePointCount(0, password.length()) < MIN_LENGTH) throw ApiException.invalidField("password_too_short", field);
        if (PasswordHasher.tooLong(password)) throw ApiException.invalidField("password_too_long", field);
        if (common.contains(password.toLowerCase(Locale.ROOT))) throw ApiException.invalidField("password_too_common", field);
    }

    private static Set<String> load() {
        Set<String> passwords = new HashSet<>(16_384);
        try (var reader = new BufferedReader(new InputStreamReader(new ClassPathResource(COMMON_PASSWORDS).getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                if (!line.isEmpty()) passwords.add(line.toLowerCase(Locale.ROOT));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the list of common passwords " + COMMON_PASSWORDS + " is missing from the build", e);
        }
        return Set.copyOf(passwords);
    }
}
