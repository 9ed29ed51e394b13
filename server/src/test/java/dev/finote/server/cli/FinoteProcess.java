package dev.finote.server.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The packaged jar run as a separate process, the way operators run it. */
final class FinoteProcess implements AutoCloseable {

    private final Process process;
    private final Path output;

    private FinoteProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /**
     * Starts {@code java -Dspring.aot.enabled=true -jar finote.jar args…} with exactly this environment
     * (plus PATH and HOME): the server's context from the code Spring AOT generated, as the launcher
     * and the container image run it.
     */
    static FinoteProcess start(Map<String, String> environment, String... args) throws IOException {
        String jar = System.getProperty("finote.jar", "target/finote.jar");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Dspring.aot.enabled=true", "-jar", jar));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(key -> !key.equals("PATH") && !key.equals("HOME"));
        builder.environment().putAll(environment);
        Path output = Files.createTempFile("finote-process", ".log");
        builder.redirectErrorStream(true).redirectOutput(output.toFile());
        return new FinoteProcess(builder.start(), output);
    }

    /** Runs a command to completion and returns its exit code and output. */
    static Result run(Map<String, String> environment, String... args) throws Exception {
        try (FinoteProcess process = start(environment, args)) {
            return process.waitForExit(Duration.ofSeconds(60));
        }
    }

    Result waitForExit(Duration timeout) throws Exception {
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            throw new AssertionError("finote did not exit within " + timeout + "; output:\n" + output());
        }
        return new Result(process.exitValue(), output());
    }

    /** Polls {@code url} until it answers 200, or fails with the process output. */
    void awaitHttp(String url, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) throw new AssertionError("finote exited with " + process.exitValue() + ":\n" + output());
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no answer from " + url + " within " + timeout + "; output:\n" + output());
    }

    /** Sends SIGTERM, as a container runtime or systemd would. */
    void terminate() {
        process.destroy();
    }

    String output() throws IOException {
        return Files.readString(output);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        Files.deleteIfExists(output);
    }

    record Result(int exitCode, String output) {
    }
}
