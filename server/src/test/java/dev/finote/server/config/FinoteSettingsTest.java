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
}
