package dev.finote.server;

import dev.finote.db.postgres.DatabaseUrl;
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

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
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

    /**
     * Only for Spring AOT at build time (spring-boot-maven-plugin's process-aot): it runs this to see
     * the context a server gets, and stops it before anything starts; nothing connects to the
     * stand-in database (a closed port). No profile is active: Spring AOT would activate the one it
     * saw at every start, and {@code NODE_ENV} chooses it at run time.
     */
    public static void main(String[] args) {
        String secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(32));
        FinoteSettings settings = FinoteSettings.fromEnvironment(Map.of("NODE_ENV", "production", "PORT", "0",
                "DATABASE_URL", "postgresql://aot@127.0.0.1:9/none", "SESSION_SECRET", secret));
        application(settings, settings.databaseUrl().orElseThrow(), false,
                CompletableFuture.completedFuture(new PreparedStatements(true, "not checked at build time"))).run();
    }

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
        SpringApplication application = application(settings, database, quiet, statements);
        application.setAdditionalProfiles(settings.production() ? "production" : "development");
        ConfigurableApplicationContext context = application.run();
        LoggerFactory.getLogger(FinoteApplication.class).info("{}", statements.join().reason());
        return context;
    }

    private static SpringApplication application(FinoteSettings settings, DatabaseUrl database, boolean quiet,
                                                 CompletableFuture<PreparedStatements> statements) {
        SpringApplication application = new SpringApplication(FinoteApplication.class);
        // With -Dspring.aot.enabled=true, Spring finds the generated context by this class's name
        // (it would guess FinoteMain, the class whose main method runs).
        application.setMainApplicationClass(FinoteApplication.class);
        Map<String, Object> properties = properties(settings, database);
        if (quiet) {
            properties.put("logging.level.root", "WARN");
        }
        application.setDefaultProperties(properties);
        application.addInitializers(context -> {
            context.getBeanFactory().registerSingleton("finoteSettings", settings);
            context.getBeanFactory().addBeanPostProcessor(new PreparedStatementsSetting(statements));
        });
        return application;
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
