package dev.finote.server.data;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;

import java.util.concurrent.CompletableFuture;

/**
 * Gives the connection pool the {@link PreparedStatements} decision once it is known. The check
 * behind it (two connections, twenty rounds) runs beside the application context's start instead
 * of before it; the pool is configured here, after its properties are bound and before it opens
 * its first connection (Hikari starts lazily), so no connection is ever made without the decision.
 * Registered ahead of every other post-processor, so it sees the pool before
 * {@link QueuedDataSourceConfig} puts the queue in front of it.
 */
public final class PreparedStatementsSetting implements BeanPostProcessor {

    private final CompletableFuture<PreparedStatements> decision;

    public PreparedStatementsSetting(CompletableFuture<PreparedStatements> decision) {
        this.decision = decision;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String name) {
        if (bean instanceof HikariDataSource pool && !decision.join().named()) {
            pool.addDataSourceProperty("prepareThreshold", "0");
        }
        return bean;
    }
}
