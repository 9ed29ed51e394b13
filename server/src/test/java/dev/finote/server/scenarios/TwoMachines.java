package dev.finote.server.scenarios;

import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.EmbeddedDatabase;
import dev.finote.server.FinoteMain;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The two machines of SCENARIOS.md: a laptop and a server, each with its own PostgreSQL
 * 15 cluster, and {@code finote} run on either the way an operator runs it (the whole
 * command line, in-process, with only environment variables and arguments). The laptop's
 * cluster keeps its data in a folder that survives a restart, like a volume. Working
 * directories are empty folders, as on a server: commands use the migrations built in.
 */
final class TwoMachines implements AutoCloseable {

    /** What a command printed and returned. */
    record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    private final Path root;
    private final Path laptopData;
    private EmbeddedDatabase laptop;
    private final EmbeddedDatabase server;

    TwoMachines() {
        try {
            root = Files.createTempDirectory("finote-scenarios");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        laptopData = root.resolve("laptop-pgdata");
        laptop = EmbeddedDatabase.persistent(laptopData);
        server = EmbeddedDatabase.temporary();
    }

    EmbeddedDatabase laptop() {
        return laptop;
    }

    EmbeddedDatabase server() {
        return server;
    }

    Path laptopDataDirectory() {
        return laptopData;
    }

    /** A folder for files the operator handles (backups, dumps). */
    Path folder(String name) {
        try {
            return Files.createDirectories(root.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new, empty database on the given machine, named for the scenario. */
    static DatabaseUrl newDatabase(EmbeddedDatabase machine, String prefix) {
        return machine.createDatabase(prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8));
    }

    /** Stops the laptop's PostgreSQL (its data stays in its folder) and starts it again on the same port. */
    void restartLaptop() {
        int port = laptop.url().port();
        laptop.close();
        laptop = EmbeddedDatabase.persistent(laptopData, port);
    }

    void stopLaptop() {
        laptop.close();
    }

    void startLaptop(int port) {
        laptop = EmbeddedDatabase.persistent(laptopData, port);
    }

    /** {@code finote ARGS} with exactly this environment, in an empty working directory. */
    Run finote(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = FinoteMain.commandLine(environment, folder("cwd"), new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** {@code DATABASE_URL=url finote ARGS}, as in production. */
    Run finote(DatabaseUrl url, String... args) {
        return finote(Map.of("NODE_ENV", "production", "DATABASE_URL", url.toUrlWithPassword()), args);
    }

    /** Runs one of PostgreSQL's client tools (pg_dump, psql) as the operator would. */
    static Run tool(List<String> command) {
        try {
            Path errors = Files.createTempFile("finote-tool", ".err");
            try {
                Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
                process.getOutputStream().close();
                String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                if (!process.waitFor(120, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError(command + " did not finish in 120 s");
                }
                return new Run(process.exitValue(), out, Files.readString(errors));
            } finally {
                Files.deleteIfExists(errors);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** libpq connection options for {@code url} (the embedded clusters trust local connections). */
    static List<String> libpq(DatabaseUrl url) {
        return List.of("-h", url.host(), "-p", Integer.toString(url.port()), "-U", url.user(), "-d", url.database());
    }

    static Map<String, String> environment(String... namesAndValues) {
        Map<String, String> environment = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) environment.put(namesAndValues[i], namesAndValues[i + 1]);
        return environment;
    }

    static List<String> concat(List<String> first, String... more) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(more));
        return all;
    }

    @Override
    public void close() {
        try {
            laptop.close();
        } finally {
            server.close();
            deleteTree(root);
        }
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
