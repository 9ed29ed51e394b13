package dev.finote.server.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FinoteSettingsTest {

    @Test
    void developmentDefaultsMatchTheNodeBackend() {
        FinoteSettings settings = FinoteSettings.fromEnvironment(Map.of());

        assertThat(settings.production()).isFalse();
        assertThat(settings.port()).isEqualTo(3000);
        assertThat(settings.databaseUrl()).isEmpty();
        assertThat(settings.sessionName()).isEqualTo("finote.sid");
        assertThat(settings.corsOrigins()).isEmpty();
        assertThat(settings.dbPoolMax()).isEqualTo(5);
        assertThat(settings.sessionSecret()).isEqualTo(FinoteSettings.DEVELOPMENT_SECRET);
        assertThat(settings.serveProblems()).singleElement().asString().contains("DATABASE_URL is required");
    }

    @Test
    void readsEveryVariable() {
        FinoteSettings settings = FinoteSettings.fromEnvironment(Map.of(
                "NODE_ENV", "production", "PORT", "8080", "DATABASE_URL", "postgres://app:pw@db:5432/finote",
                "SESSION_SECRET", "3f9a1c7e5b2d8f4a6c0e9b1d7f3a5c8e", "SESSION_NAME", "sid", "CORS_ORIGIN", "https://a.example, http://localhost:5173",
                "DB_POOL_MAX", "12"));

        assertThat(settings.production()).isTrue();
        assertThat(settings.port()).isEqualTo(8080);
        assertThat(settings.databaseUrl()).get().extracting(url -> url.describe()).isEqualTo("db:5432/finote");
        assertThat(settings.sessionName()).isEqualTo("sid");
        assertThat(settings.corsOrigins()).containsExactly("https://a.example", "http://localhost:5173");
        assertThat(settings.dbPoolMax()).isEqualTo(12);
        assertThat(settings.serveProblems()).isEmpty();
    }

    @Test
    void productionRefusesMissingShortAndPlaceholderSecrets() {
        for (String secret : new String[]{null, "short", "keyboard cat", "CHANGEME", FinoteSettings.DEVELOPMENT_SECRET}) {
            var environment = new java.util.HashMap<>(Map.of("NODE_ENV", "production"));
            if (secret != null) environment.put("SESSION_SECRET", secret);
            assertThatThrownBy(() -> FinoteSettings.fromEnvironment(environment)).as(String.valueOf(secret))
                    .isInstanceOf(SettingsException.class).hasMessageContaining("SESSION_SECRET");
        }
    }

    @Test
    void reportsEveryProblemAtOnceWithWhatToSet() {
        assertThatThrownBy(() -> FinoteSettings.fromEnvironment(Map.of(
                "NODE_ENV", "staging", "PORT", "99999", "DB_POOL_MAX", "zero", "DATABASE_URL", "mysql://x/y",
                "CORS_ORIGIN", "*,https://ok.example,https://bad.example/path", "SESSION_NAME", "bad name;")))
                .isInstanceOfSatisfying(SettingsException.class, e -> assertThat(e.problems()).hasSize(7)
                        .anyMatch(p -> p.startsWith("NODE_ENV must be production, development or test"))
                        .anyMatch(p -> p.startsWith("PORT must be a whole number from 0 to 65535"))
                        .anyMatch(p -> p.startsWith("DB_POOL_MAX must be a whole number"))
                        .anyMatch(p -> p.startsWith("DATABASE_URL is not usable"))
                        .anyMatch(p -> p.contains("'*' would let any website read"))
                        .anyMatch(p -> p.contains("'https://bad.example/path' is not an origin"))
                        .anyMatch(p -> p.startsWith("SESSION_NAME must be a valid cookie name")));
    }

    @Test
    void neverPrintsTheSecretOrTheDatabasePassword() {
        FinoteSettings settings = FinoteSettings.fromEnvironment(Map.of(
                "SESSION_SECRET", "very-secret-value-0123456789abcdef", "DATABASE_URL", "postgresql://u:db-password@h/finote"));

        assertThat(settings.toString()).doesNotContain("very-secret-value", "db-password");
    }

    @Test
    void productionRefusesLowEntropySecretsThatPassTheLengthCheck() {
        for (String secret : new String[]{"a".repeat(40), "abcabcabcabcabcabcabcabcabcabcabcabc", "0123456789".repeat(4),
                "finotefinotefinotefinotefinotefinote", "passwordpasswordpasswordpassword", "ab".repeat(20)}) {
            assertThatThrownBy(() -> FinoteSettings.fromEnvironment(Map.of("NODE_ENV", "production", "SESSION_SECRET", secret)))
                    .as(secret).isInstanceOf(SettingsException.class).hasMessageContaining("SESSION_SECRET is too predictable");
        }
        // What `openssl rand -hex 16` and `-hex 32` print, and a long passphrase, are accepted.
        for (String secret : new String[]{"d2255109554cb9aa0021895efd571a95", "4f1c0e9a7b3d52e8a6c1f0b9d7e3a5c2",
                "be0f3165c34a884d9a567a67b94094ff8254684be9dda68af71e37b83af745e3", "Th1s-is-my-very-own-long-secret-phrase"}) {
            assertThat(FinoteSettings.fromEnvironment(Map.of("NODE_ENV", "production", "SESSION_SECRET", secret)).sessionSecret()).isEqualTo(secret);
        }
        // Outside production the check does not apply (tests and development use simple secrets).
        assertThat(FinoteSettings.fromEnvironment(Map.of("SESSION_SECRET", "a".repeat(40))).sessionSecret()).isEqualTo("a".repeat(40));
    }

    @Test
    void trustedProxiesAreAddressesOrCidrRanges() {
        FinoteSettings settings = FinoteSettings.fromEnvironment(Map.of("TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.7 ,::1, fd00::/8"));
        assertThat(settings.trustedProxies().trusts("10.1.2.3")).isTrue();
        assertThat(settings.trustedProxies().trusts("192.168.1.7")).isTrue();
        assertThat(settings.trustedProxies().trusts("192.168.1.8")).isFalse();
        assertThat(settings.trustedProxies().trusts("127.0.0.1")).isFalse();
        assertThat(settings.trustedProxies().trusts("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(settings.trustedProxies().trusts("fd12::1")).isTrue();
        assertThat(settings.trustedProxies().trusts("proxy.example.com")).isFalse();
        // None by default: forwarded headers are believed from nobody.
        assertThat(FinoteSettings.fromEnvironment(Map.of()).trustedProxies().trusts("127.0.0.1")).isFalse();
        assertThatThrownBy(() -> FinoteSettings.fromEnvironment(Map.of("TRUSTED_PROXIES", "proxy.example.com, 10.0.0.0/99")))
                .isInstanceOf(SettingsException.class)
                .satisfies(e -> assertThat(((SettingsException) e).problems())
                        .anyMatch(p -> p.contains("'proxy.example.com' is not an IP address"))
                        .anyMatch(p -> p.contains("'10.0.0.0/99'")));
    }

    @Test
    void registrationLimitAndMetricsTokenAreChecked() {
        assertThat(FinoteSettings.fromEnvironment(Map.of()).registrationsPerAddress()).isEqualTo(10);
        assertThat(FinoteSettings.fromEnvironment(Map.of("REGISTRATIONS_PER_ADDRESS", "0")).registrationsPerAddress()).isZero();
        assertThatThrownBy(() -> FinoteSettings.fromEnvironment(Map.of("REGISTRATIONS_PER_ADDRESS", "-1")))
                .hasMessageContaining("REGISTRATIONS_PER_ADDRESS must be a whole number");
        assertThat(FinoteSettings.fromEnvironment(Map.of()).metricsToken()).isEmpty();
        assertThatThrownBy(() -> FinoteSettings.fromEnvironment(Map.of("METRICS_TOKEN", "short")))
                .hasMessageContaining("METRICS_TOKEN must be at least 16 characters");
        FinoteSettings settings = FinoteSettings.fromEnvironment(Map.of("METRICS_TOKEN", "0123456789abcdef-token"));
        assertThat(settings.metricsToken()).contains("0123456789abcdef-token");
        assertThat(settings.toString()).doesNotContain("0123456789abcdef-token");
    }
}
