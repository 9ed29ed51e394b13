package dev.finote.server.scenarios;

import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.EmbeddedDatabase;
import dev.finote.server.support.Sql;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code db backup}, {@code db restore} and {@code db reset} from the packaged jar, as a
 * process in a folder that is not a checkout (as in the container image): the migrations
 * come from inside the jar, and every refusal is an {@code error:}/{@code next:} pair, never
 * a stack trace.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LifecycleCommandsIT {

    @AutoClose
    private final EmbeddedDatabase postgres = EmbeddedDatabase.temporary();

    record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    static Result jar(Path workingDirectory, DatabaseUrl url, String... args) throws Exception {
        String jar = Path.of(System.getProperty("finote.jar", "target/finote.jar")).toAbsolutePath().toString();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-jar", jar));
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
        builder.environment().keySet().removeIf(key -> !key.equals("PATH") && !key.equals("HOME"));
        builder.environment().put("NODE_ENV", "production");
        builder.environment().put("DATABASE_URL", url.toUrlWithPassword());
        Path out = Files.createTempFile(workingDirectory, "out", ".log");
        Path err = Files.createTempFile(workingDirectory, "err", ".log");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish within 120 s");
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    static void assertOneErrorAndNoTrace(Result result) {
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.stderr()).as(result.toString()).startsWith("error: ").contains("\nnext:  ")
                .doesNotContain("\tat ", "Exception");
    }

    @Test
    void backupRestoreAndResetWorkFromThePackagedJar(@TempDir Path dir) throws Exception {
        DatabaseUrl laptop = postgres.createDatabase("jar_source");
        DatabaseUrl server = postgres.createDatabase("jar_target");
        Result migrate = jar(dir, laptop, "db", "migrate");
        assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
        Sql.update(laptop, "INSERT INTO users (username, password) VALUES ('fi', 'hash'), ('budi', 'hash')");
        Sql.update(laptop, "INSERT INTO notes (user_id, title, content, tags) VALUES (1, 'a', 'x', ARRAY['t']), (2, 'b', E'y\\nz', NULL)");

        Result backup = jar(dir, laptop, "db", "backup");
        try (var files = Files.list(dir)) {
            List<Path> backups = files.filter(p -> p.toString().endsWith(".finote-backup")).toList();
            assertThat(backups).as("the backup goes to the working directory outside a checkout").hasSize(1);
            assertThat(backup.exitCode()).as(backup.toString()).isZero();
            assertThat(backup.stderr()).as("no progress without a terminal").isEmpty();

            Result restore = jar(dir, server, "db", "restore", backups.getFirst().toString());
            assertThat(restore.exitCode()).as(restore.toString()).isZero();
            assertThat(restore.stdout()).contains("Restored 4 rows", "Schema version is now " + newestBundledVersion());
            assertThat(Sql.rows(server, "SELECT id, user_id, title, content, tags::text FROM notes ORDER BY id"))
                    .isEqualTo(Sql.rows(laptop, "SELECT id, user_id, title, content, tags::text FROM notes ORDER BY id"));

            assertOneErrorAndNoTrace(jar(dir, server, "db", "restore", backups.getFirst().toString()));
            byte[] bytes = Files.readAllBytes(backups.getFirst());
            Path truncated = Files.write(dir.resolve("truncated.finote-backup"), Arrays.copyOf(bytes, bytes.length / 2));
            Result damaged = jar(dir, postgres.createDatabase("jar_empty"), "db", "restore", truncated.toString());
            assertOneErrorAndNoTrace(damaged);
            assertThat(damaged.stderr()).contains("the backup is damaged");
        }

        Result reset = jar(dir, server, "db", "reset");
        assertOneErrorAndNoTrace(reset);
        assertThat(reset.stdout()).containsPattern("table +notes +2 rows");
        Result confirmed = jar(dir, server, "db", "reset", "--confirm", "jar_target");
        assertThat(confirmed.exitCode()).as(confirmed.toString()).isZero();
        assertThat(Sql.value(server, "SELECT count(*) FROM notes")).isEqualTo(0L);
        assertThat(Sql.value(server, "SELECT count(*) FROM flyway_schema_history")).isEqualTo((long) newestBundledVersion());
    }

    @Test
    void theNewCommandsHaveHelp(@TempDir Path dir) throws Exception {
        DatabaseUrl any = postgres.url();
        for (String command : List.of("backup", "restore", "reset")) {
            Result help = jar(dir, any, "db", command, "--help");
            assertThat(help.exitCode()).as(help.toString()).isZero();
            assertThat(help.stdout()).contains("Usage: finote db " + command);
        }
    }


    /** The newest migration this build bundles: what `migrate` brings a database to. */
    private static int newestBundledVersion() throws java.io.IOException {
        try (var files = Files.list(Path.of("src", "main", "resources", "db", "migration"))) {
            return files.map(f -> f.getFileName().toString()).filter(name -> name.matches("V\\d+__.*\\.sql"))
                    .mapToInt(name -> Integer.parseInt(name.substring(1, name.indexOf("__")))).max().orElseThrow();
        }
    }
}
