package dev.finote.server.data;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

/** Puts the queue of {@link QueuedDataSource} in front of the connection pool Spring Boot configures. */
@Configuration(proxyBeanMethods = false)
public class QueuedDataSourceConfig {

    /** How long one borrowed connection may be held before it is aborted (was pgjdbc's socketTimeout). */
    static final Duration HOLD_LIMIT = Duration.ofSeconds(30);

    @Bean
    static BeanPostProcessor queueInFrontOfThePool() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (bean instanceof HikariDataSource pool) {
                    // The queue waits as long as the pool would have (spring.datasource.hikari.connection-timeout).
                    return new QueuedDataSource(pool, pool.getMaximumPoolSize(), Duration.ofMillis(pool.getConnectionTimeout()), HOLD_LIMIT);
                }
                return bean;
            }
        };
    }
}
