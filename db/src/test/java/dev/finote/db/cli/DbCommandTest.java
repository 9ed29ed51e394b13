package dev.finote.db.cli;

import dev.finote.db.postgres.EmbeddedDatabase;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** `finote db migrate|status` as an operator runs them: exit codes and what they print. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DbCommandTest {

    @AutoClose
    private final EmbeddedDatabase postgres = EmbeddedDatabase.temporary();
    private final DbCli cli = new DbCli(postgres);

    private DbCli.Run run(Map<String, String> environment, String... args) {
        return cli.run(environment, args);
    }

    private String newDatabaseUrl() {
        return cli.newDatabase().toUrlWithPassword();
    }

    private static Path migrations(Path dir) throws Exception {
        Files.writeString(dir.resolve("V1__create_items.sql"), "CREATE TABLE items (id serial PRIMARY KEY);");
        Files.writeString(dir.resolve("V2__add_name.sql"), "ALTER TABLE items ADD COLUMN name text;");
        return dir;
    }

    @Test
    void statusShowsPendingThenMigrateAppliesThenStatusIsUpToDate(@TempDir Path dir) throws Exception {
        String url = newDatabaseUrl();
        String folder = migrations(dir).toString();

        DbCli.Run before = run(Map.of("DATABASE_URL", url), "status", "--migrations", folder);
        DbCli.Run migrate = run(Map.of(), "migrate", "--url", url, "--migrations", folder);
        DbCli.Run again = run(Map.of("DATABASE_URL", url), "migrate", "--migrations", folder);
        DbCli.Run after = run(Map.of("DATABASE_URL", url), "status", "--migrations", folder);

        assertThat(before.exitCode()).isEqualTo(StatusCommand.EXIT_PENDING);
        assertThat(before.out()).contains("V1", "create items", "pending", "2 pending migration(s). Next: finote db migrate");
        assertThat(migrate.exitCode()).isZero();
        assertThat(migrate.out()).contains("Applied 2 migration(s)", "V1, V2", "Schema version is now 2");
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("is up to date (schema version 2)");
        assertThat(after.exitCode()).isZero();
        assertThat(after.out()).contains("applied", "Up to date.").doesNotContain("pending");
    }

    @Test
    void anEmptyMigrationsFolderIsAllowed(@TempDir Path dir) {
        DbCli.Run migrate = run(Map.of("DATABASE_URL", newDatabaseUrl()), "migrate", "--migrations", dir.toString());

        assertThat(migrate.exitCode()).isZero();
        assertThat(migrate.out()).contains("up to date");
    }

    @Test
    void aBadUrlIsOneClearLineAndExitOne(@TempDir Path dir) {
        DbCli.Run run = run(Map.of("DATABASE_URL", "mysql://root@localhost/finote"), "migrate", "--migrations", dir.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: DATABASE_URL is not usable").contains("next:").doesNotContain("Exception", "\tat ");
    }

    @Test
    void anUnreachableDatabaseSaysSoWithoutAStackTrace(@TempDir Path dir) {
        DbCli.Run run = run(Map.of("DATABASE_URL", "postgresql://postgres@127.0.0.1:1/finote"), "status", "--migrations", dir.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("error:", "refused", "next:").doesNotContain("\tat ");
    }

    @Test
    void aMissingMigrationsFolderIsRefused() {
        DbCli.Run run = run(Map.of("DATABASE_URL", newDatabaseUrl()), "migrate", "--migrations", "/no/such/folder");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("error: the migrations folder /no/such/folder does not exist");
    }

    @Test
    void productionWithoutDatabaseUrlIsRefusedRatherThanUsingTheEmbeddedDatabase(@TempDir Path dir) {
        DbCli.Run run = run(Map.of("NODE_ENV", "production"), "migrate", "--migrations", dir.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("DATABASE_URL is not set and NODE_ENV=production");
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[]{"migrate", "status"}) {
            DbCli.Run help = run(Map.of(), command, "--help");
            assertThat(help.exitCode()).isZero();
            assertThat(help.out()).contains("Usage: db " + command, "--url", "--migrations");
        }
        DbCli.Run missing = run(Map.of());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("Missing subcommand");
    }
}
