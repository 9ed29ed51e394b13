package dev.finote.server.data;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.DestructionAwareBeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Puts the queue of {@link QueuedDataSource} in front of the connection pool Spring Boot configures. */
@Configuration(proxyBeanMethods = false)
public class QueuedDataSourceConfig {

    /** How long one borrowed connection may be held before it is aborted (was pgjdbc's socketTimeout). */
    static final Duration HOLD_LIMIT = Duration.ofSeconds(30);

    @Bean
    static BeanPostProcessor queueInFrontOfThePool() {
        return new QueueInFrontOfThePool();
    }

    /**
     * The queue's waits on /metrics (see {@link ConnectionQueueMetrics}), found through any
     * wrapper around it; nothing when there is no data source or no queue.
     */
    @Bean
    MeterBinder connectionQueueMetrics(ObjectProvider<DataSource> dataSource) {
        return registry -> {
            DataSource found = dataSource.getIfAvailable();
            if (found == null) return;
            try {
                if (found.isWrapperFor(QueuedDataSource.class)) new ConnectionQueueMetrics(found.unwrap(QueuedDataSource.class)).bindTo(registry);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot reach the connection queue behind " + found, e);
            }
        };
    }

    /**
     * Replaces the pool bean with the queue in front of it. Spring keeps the pool's own
     * destroy callback (it closes the pool at shutdown); this stops the queue just before.
     */
    private static final class QueueInFrontOfThePool implements DestructionAwareBeanPostProcessor {
        private final Map<HikariDataSource, QueuedDataSource> queues = new ConcurrentHashMap<>();

        @Override
        public Object postProcessAfterInitialization(Object bean, String name) {
            if (!(bean instanceof HikariDataSource pool)) return bean;
            // The queue waits as long as the pool would have (spring.datasource.hikari.connection-timeout).
            return queues.computeIfAbsent(pool, key ->
                    new QueuedDataSource(pool, pool.getMaximumPoolSize(), Duration.ofMillis(pool.getConnectionTimeout()), HOLD_LIMIT));
        }

        @Override
        public boolean requiresDestruction(Object bean) {
            return bean instanceof HikariDataSource;
        }

        @Override
        public void postProcessBeforeDestruction(Object bean, String name) {
            QueuedDataSource queue = queues.remove(bean);
            if (queue != null) queue.shutdown();
        }
    }
}
