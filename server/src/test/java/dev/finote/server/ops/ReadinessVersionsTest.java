package dev.finote.server.ops;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * During a rolling deploy the new release's servers start before the post-deploy migrations
 * run (they run once the rollout is done), so readiness must not wait for them: otherwise the
 * rollout would never finish and the post-deploy step never come.
 */
class ReadinessVersionsTest {

    @Test
    void postDeployMigrationsAreNotRequiredForReadiness() {
        Map<String, String> files = Map.of(
                "V1__init.sql", "CREATE TABLE t (id int);\n",
                "V2__add_column.sql", "-- Generated\nALTER TABLE t ADD COLUMN c int;\n",
                "V3__drop_color.sql", "-- Generated\n-- finote: phase=post-deploy\nALTER TABLE t DROP COLUMN color;\n",
                "README.md", "not a migration");

        assertThat(ReadinessCheck.requiredVersions(files)).containsExactly("1", "2");
    }

    @Test
    void theBundledMigrationsAreAllRequiredToday() {
        assertThat(ReadinessCheck.bundledVersions()).containsExactly("1", "2", "3");
    }
}
