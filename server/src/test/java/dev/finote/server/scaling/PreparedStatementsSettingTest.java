package dev.finote.server.scaling;

import com.zaxxer.hikari.HikariDataSource;
import dev.finote.server.data.PreparedStatements;
import dev.finote.server.data.PreparedStatementsSetting;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The pooler check runs beside the context's start; the pool is configured with its answer before it connects. */
class PreparedStatementsSettingTest {

    @Test
    void behindAPoolerThePoolGetsNoNamedStatementsOnceTheCheckHasAnswered() throws Exception {
        CompletableFuture<PreparedStatements> decision = new CompletableFuture<>();
        try (HikariDataSource pool = new HikariDataSource()) {
            CompletableFuture<Object> configured = CompletableFuture.supplyAsync(
                    () -> new PreparedStatementsSetting(decision).postProcessAfterInitialization(pool, "dataSource"));

            assertThat(configured).as("the pool waits for the check").isNotDone();
            decision.complete(new PreparedStatements(false, "a transaction pooler"));

            assertThat(configured.get(10, TimeUnit.SECONDS)).isSameAs(pool);
            assertThat(pool.getDataSourceProperties()).containsEntry("prepareThreshold", "0");
        }
    }

    @Test
    void onSessionsOfTheirOwnThePoolKeepsNamedStatements() {
        try (HikariDataSource pool = new HikariDataSource()) {
            new PreparedStatementsSetting(CompletableFuture.completedFuture(new PreparedStatements(true, "direct")))
                    .postProcessAfterInitialization(pool, "dataSource");

            assertThat(pool.getDataSourceProperties()).doesNotContainKey("prepareThreshold");
        }
    }
}
