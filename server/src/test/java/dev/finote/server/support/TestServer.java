package dev.finote.server.support;

import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.server.FinoteApplication;
import dev.finote.server.config.FinoteSettings;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.HashMap;
import java.util.Map;

/** A Finote server started in-process, on a free port, exactly as `finote serve` starts it. */
public final class TestServer implements AutoCloseable {

    public static final String SECRET = "9c1e4a7f3b8d2e6a0f5c9b3d7e1a4f8c2b6d0e9a3c7f1b5d8e2a6c0f4b9d3e7a";

    private final ConfigurableApplicationContext context;
    private final String baseUrl;

    private TestServer(ConfigurableApplicationContext context) {
        this.context = context;
        this.baseUrl = "http://localhost:" + context.getEnvironment().getProperty("local.server.port");
    }

    /** Starts a server against {@code database} with the given extra environment variables. */
    public static TestServer start(DatabaseUrl database, Map<String, String> extraEnvironment) {
        Map<String, String> environment = new HashMap<>();
        environment.put("PORT", "0");
        environment.put("NODE_ENV", "test");
        environment.put("SESSION_SECRET", SECRET);
        environment.put("DATABASE_URL", database.toUrlWithPassword());
        // Every test registers from 127.0.0.1; tests of the registration limit set their own.
        environment.put("REGISTRATIONS_PER_ADDRESS", "1000000");
        environment.putAll(extraEnvironment);
        FinoteSettings settings = FinoteSettings.fromEnvironment(environment);
        return new TestServer(FinoteApplication.start(settings, database));
    }

    public static TestServer start(DatabaseUrl database) {
        return start(database, Map.of());
    }

    public String baseUrl() {
        return baseUrl;
    }

    public Api api() {
        return new Api(baseUrl);
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    @Override
    public void close() {
        context.close();
    }
}
