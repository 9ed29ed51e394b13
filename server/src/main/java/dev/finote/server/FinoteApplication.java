package dev.finote.server;

import dev.finote.db.DatabaseUrl;
import dev.finote.server.config.FinoteSettings;
import dev.finote.server.data.PreparedStatements;
import dev.finote.server.data.PreparedStatementsSetting;
import dev.finote.server.data.ReadOnlyHostEviction;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.scheduling.annotation.EnableScheduling;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The Spring Boot application. It is started only through {@link #start}, which turns the
 * validated {@link FinoteSettings} into Spring properties: the environment variables are
 * read in exactly one place.
 */
/** No user store of Spring's: users live in the users table, authenticated by our session filter. */
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@EnableScheduling
public class FinoteApplication {

    /** Starts the HTTP server against {@code database}; the schema must already be migrated. */
    public static ConfigurableApplicationContext start(FinoteSettings settings, DatabaseUrl database) {
        return start(settings, database, false);
    }

    /**
     * As {@link #start(FinoteSettings, DatabaseUrl)}; {@code quiet} (what {@code finote dev} asks for)
     * keeps Spring's, Tomcat's and Hikari's INFO lines out of the console: warnings and errors
     * still show, and the command prints the lines that matter itself.
     */
    public static ConfigurableApplicationContext start(FinoteSettings settings, DatabaseUrl database, boolean quiet) {
        // The pooler check starts first and runs beside the context's start (it was 0.1-0.2 s of the
        // start-up before it); the pool waits for its answer (PreparedStatementsSetting).
        CompletableFuture<PreparedStatements> statements = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("finote-pooler-check").start(() -> {
            try {
                statements.complete(PreparedStatements.choose(database));
            } catch (RuntimeException | Error e) {
                statements.completeExceptionally(e);
            }
        });
        SpringApplication application = new SpringApplication(FinoteApplication.class);
        Map<String, Object> properties = properties(settings, database);
        if (quiet) {
            properties.put("logging.level.root", "WARN");
        }
        application.setDefaultProperties(properties);
        application.setAdditionalProfiles(settings.production() ? "production" : "development");
        application.addInitializers(context -> {
            context.getBeanFactory().registerSingleton("finoteSettings", settings);
            context.getBeanFactory().addBeanPostProcessor(new PreparedStatementsSetting(statements));
        });
        ConfigurableApplicationContext context = application.run();
        LoggerFactory.getLogger(FinoteApplication.class).info("{}", statements.join().reason());
        return context;
    }

    private static Map<String, Object> properties(FinoteSettings settings, DatabaseUrl database) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("server.port", settings.port());
        properties.put("spring.datasource.url", database.jdbcUrl());
        if (database.user() != null) properties.put("spring.datasource.username", database.user());
        if (database.password() != null) properties.put("spring.datasource.password", database.password());
        properties.put("spring.datasource.hikari.maximum-pool-size", settings.dbPoolMax());
        properties.put("spring.datasource.hikari.minimum-idle", Math.min(2, settings.dbPoolMax()));
        properties.put("spring.datasource.hikari.exception-override-class-name", ReadOnlyHostEviction.class.getName());
        return properties;
    }
}
