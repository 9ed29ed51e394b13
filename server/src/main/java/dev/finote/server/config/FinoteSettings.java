package dev.finote.server.config;

import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.InvalidDatabaseUrlException;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The server's configuration, read once from the same environment variables the Node
 * backend used (the README's "The API" section). Everything else in the server receives this record.
 *
 * @param production     NODE_ENV=production
 * @param port           PORT (0 picks a free port; tests use that)
 * @param databaseUrl    DATABASE_URL, when set
 * @param sessionSecret  SESSION_SECRET, or the development value outside production
 * @param sessionName    SESSION_NAME, the session cookie's name
 * @param corsOrigins    CORS_ORIGIN, the origins allowed to call the API with credentials
 * @param dbPoolMax      DB_POOL_MAX, the connection pool's size
 * @param trustedProxies TRUSTED_PROXIES, the addresses and CIDR ranges whose X-Forwarded-For/-Proto are believed
 * @param metricsToken   METRICS_TOKEN, when set the bearer token /metrics requires
 * @param registrationsPerAddress REGISTRATIONS_PER_ADDRESS, registrations allowed per client address in 15 minutes (0: none)
 */
public record FinoteSettings(boolean production, int port, Optional<DatabaseUrl> databaseUrl, String sessionSecret,
                             String sessionName, List<String> corsOrigins, int dbPoolMax, TrustedProxies trustedProxies,
                             Optional<String> metricsToken, int registrationsPerAddress) {

    /** Used outside production when SESSION_SECRET is unset; refused in production. */
    static final String DEVELOPMENT_SECRET = "finote-development-only-secret-never-use-in-production";
    static final int MINIMUM_SECRET_LENGTH = 32;
    /** Values seen in example files and tutorials: a production secret must not be one of them. */
    private static final Set<String> PLACEHOLDER_SECRETS = Set.of(DEVELOPMENT_SECRET, "secret", "changeme", "change-me",
            "change_me", "changethis", "replace-me", "replaceme", "keyboard cat", "your-secret", "your_secret",
            "your-session-secret", "your_session_secret", "session-secret", "session_secret", "supersecret",
            "super-secret", "mysecret", "my-secret", "dev-secret", "development", "password", "xxx");

    public static FinoteSettings fromEnvironment(Map<String, String> environment) {
        List<String> problems = new ArrayList<>();
        String nodeEnv = value(environment, "NODE_ENV", "development").toLowerCase(Locale.ROOT);
        if (!Set.of("production", "development", "test").contains(nodeEnv)) {
            problems.add("NODE_ENV must be production, development or test (it is '" + nodeEnv + "')");
        }
        boolean production = nodeEnv.equals("production");
        int port = integer(environment, "PORT", 3000, 0, 65535, problems);
        int poolMax = integer(environment, "DB_POOL_MAX", 5, 1, 500, problems);
        int registrations = integer(environment, "REGISTRATIONS_PER_ADDRESS", 10, 0, 1_000_000, problems);

        Optional<DatabaseUrl> databaseUrl = Optional.empty();
        String rawUrl = value(environment, "DATABASE_URL", null);
        if (rawUrl != null) {
            try {
                databaseUrl = Optional.of(DatabaseUrl.parse(rawUrl));
            } catch (InvalidDatabaseUrlException e) {
                problems.add(e.getMessage());
            }
        }

        String secret = value(environment, "SESSION_SECRET", null);
        if (production) {
            if (secret == null) {
                problems.add("SESSION_SECRET is required in production: set it to a long random value, e.g. the output of `openssl rand -hex 32`");
            } else if (PLACEHOLDER_SECRETS.contains(secret.toLowerCase(Locale.ROOT)) || secret.length() < MINIMUM_SECRET_LENGTH) {
                problems.add("SESSION_SECRET is a placeholder or shorter than " + MINIMUM_SECRET_LENGTH
                        + " characters: set it to a long random value, e.g. the output of `openssl rand -hex 32`");
            } else if (SecretStrength.estimatedBits(secret) < SecretStrength.MINIMUM_BITS) {
                problems.add("SESSION_SECRET is too predictable (repeated or sequential characters, too few distinct ones): "
                        + "set it to a long random value, e.g. the output of `openssl rand -hex 32`");
            }
        }

        String sessionName = value(environment, "SESSION_NAME", "finote.sid");
        if (!sessionName.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
            problems.add("SESSION_NAME must be a valid cookie name (letters, digits and !#$%&'*+.^_`|~-)");
        }

        List<String> origins = corsOrigins(value(environment, "CORS_ORIGIN", ""), problems);
        TrustedProxies proxies = TrustedProxies.parse(value(environment, "TRUSTED_PROXIES", ""), problems);
        Optional<String> metricsToken = Optional.ofNullable(value(environment, "METRICS_TOKEN", null));
        if (metricsToken.isPresent() && metricsToken.get().length() < 16) {
            problems.add("METRICS_TOKEN must be at least 16 characters (e.g. the output of `openssl rand -hex 16`), or unset");
        }
        if (!problems.isEmpty()) throw new SettingsException(problems);
        return new FinoteSettings(production, port, databaseUrl, secret != null ? secret : DEVELOPMENT_SECRET,
                sessionName, origins, poolMax, proxies, metricsToken, registrations);
    }

    /** The problems that make this configuration unfit for {@code finote serve}. */
    public List<String> serveProblems() {
        List<String> problems = new ArrayList<>();
        if (databaseUrl.isEmpty()) {
            problems.add("DATABASE_URL is required by `finote serve` (use `finote dev` for the embedded development database)");
        }
        return problems;
    }

    private static List<String> corsOrigins(String raw, List<String> problems) {
        List<String> origins = Arrays.stream(raw.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        for (String origin : origins) {
            if (origin.contains("*")) {
                problems.add("CORS_ORIGIN must list exact origins; '*' would let any website read a logged-in user's notes");
                continue;
            }
            try {
                URI uri = URI.create(origin);
                boolean plainOrigin = uri.getScheme() != null && uri.getHost() != null
                        && (uri.getPath() == null || uri.getPath().isEmpty()) && uri.getQuery() == null;
                if (!plainOrigin || !Set.of("http", "https").contains(uri.getScheme())) {
                    problems.add("CORS_ORIGIN entry '" + origin + "' is not an origin like https://notes.example.com (scheme, host and optional port, no path)");
                }
            } catch (IllegalArgumentException e) {
                problems.add("CORS_ORIGIN entry '" + origin + "' is not a valid origin");
            }
        }
        return origins.stream().filter(o -> !o.contains("*")).toList();
    }

    private static String value(Map<String, String> environment, String name, String fallback) {
        String value = environment.get(name);
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    private static int integer(Map<String, String> environment, String name, int fallback, int min, int max, List<String> problems) {
        String value = value(environment, name, null);
        if (value == null) return fallback;
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) return parsed;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        problems.add(name + " must be a whole number from " + min + " to " + max + " (it is '" + value + "')");
        return fallback;
    }

    @Override
    public String toString() {
        // Never print the secret or the database password.
        return "FinoteSettings[production=" + production + ", port=" + port + ", database=" + databaseUrl.map(DatabaseUrl::toString).orElse("embedded")
                + ", sessionName=" + sessionName + ", corsOrigins=" + corsOrigins + ", dbPoolMax=" + dbPoolMax
                + ", trustedProxies=" + trustedProxies + ", metricsToken=" + (metricsToken.isPresent() ? "set" : "none") + ", registrationsPerAddress=" + registrationsPerAddress + "]";
    }
}
