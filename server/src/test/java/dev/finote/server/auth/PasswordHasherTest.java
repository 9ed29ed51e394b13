package dev.finote.server.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The decoy an unknown username is checked against costs what a real user's check costs. */
class PasswordHasherTest {

    private final PasswordHasher hasher = new PasswordHasher();

    @Test
    void theDecoyIsARealHashOfTheSameAlgorithmAndCostAsNewPasswords() {
        String real = hasher.hash("a password of a real user");

        assertThat(PasswordHasher.DECOY_HASH).hasSameSizeAs(real)
                .startsWith(real.substring(0, "$2b$10$".length()));
        // A hash bcrypt accepts (not a string it rejects at once): checking it runs the whole key schedule.
        assertThat(hasher.matches("decoy-password-for-unknown-users", PasswordHasher.DECOY_HASH)).isTrue();
        assertThat(hasher.matches("anything else", PasswordHasher.DECOY_HASH)).isFalse();
    }
}
