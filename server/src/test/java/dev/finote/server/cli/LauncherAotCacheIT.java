package dev.finote.server.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real launcher and JVM on the packaged jar (in a skeleton checkout that needs no build): a
 * first `finote serve` makes the AOT cache (from a training server that answers a request of each
 * kind), every start maps it, and a class file changed after it was made gets a new cache instead of
 * the JVM's refusal on the console. Each start exits as soon as
 * the context has started ({@code -Dspring.context.exit=onRefresh}), with the JVM's [aot] log on.
 * LauncherTest covers the rest of the launcher's choices with a stand-in JVM.
 */
class LauncherAotCacheIT {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path temp;

    @Test
    void serveMapsACacheMadeForItsClassesAndNeverOneOlderThanThem() throws Exception {
        Path checkout = skeletonWithThePackagedJar();

        String first = serve(checkout);
        Path unpacked = checkout.resolve("server/target/launch").resolve(Files.readString(checkout.resolve("server/target/launch/app.current")).strip());
        Path cache;
        try (var files = Files.list(unpacked)) {
            cache = files.filter(file -> file.getFileName().toString().endsWith(".aot")).findFirst().orElseThrow();
        }
        assertThat(first).contains("Preparing the start-up cache").contains("Opened AOT cache " + cache);
        assertNothingAlarming(first);
        // The training server answered requests (so serving's classes are in the cache), each as a
        // server without its database answers them.
        String training = Files.readString(Path.of(cache + ".log"));
        assertThat(training).contains("training request GET /healthz: HTTP/1.1 200", "training request GET /: HTTP/1.1 200",
                "training request GET /api/notes?limit=50: HTTP/1.1 401", "training request POST /api/auth/login: HTTP/1.1 503");
        assertThat(ProcessHandle.allProcesses().filter(process -> process.info().commandLine().orElse("").contains("-XX:AOTCacheOutput=" + cache)))
                .as("no training server left running").isEmpty();

        String second = serve(checkout);
        assertThat(second).doesNotContain("Preparing").contains("Opened AOT cache " + cache);
        assertNothingAlarming(second);

        // A library changed in place after the cache was made: the JVM would refuse the cache (with
        // errors on the console, and a slow start); the launcher makes it again first.
        Path library;
        try (var libraries = Files.list(unpacked.resolve("lib"))) {
            library = libraries.filter(file -> file.getFileName().toString().startsWith("HikariCP")).findFirst().orElseThrow();
        }
        Files.setLastModifiedTime(library, FileTime.from(Instant.now().plusSeconds(5)));
        String changed = serve(checkout);
        assertThat(changed).contains("Preparing the start-up cache").contains("Opened AOT cache " + cache);
        assertNothingAlarming(changed);
    }

    private static void assertNothingAlarming(String output) {
        assertThat(output).doesNotContain("[error").doesNotContain("[warning][aot").doesNotContain("mismatch")
                .doesNotContain("Exception").doesNotContain("could not be made");
    }

    /** The launcher and the packaged jar as a freshly built checkout holds them, its sources older than the jar. */
    private Path skeletonWithThePackagedJar() throws IOException {
        Path checkout = temp.resolve("finote");
        FileTime old = FileTime.from(Instant.now().minusSeconds(3600));
        for (String file : List.of("finote", "scripts/jdk.sh", "scripts/aot-training.sh")) {
            Files.createDirectories(checkout.resolve(file).getParent());
            Files.copy(ROOT.resolve(file), checkout.resolve(file));
        }
        for (String file : List.of("pom.xml", "db/pom.xml", "server/pom.xml", "db/src/main/java/Db.java", "server/src/main/java/Server.java")) {
            Files.createDirectories(checkout.resolve(file).getParent());
            Files.writeString(checkout.resolve(file), "x\n");
            Files.setLastModifiedTime(checkout.resolve(file), old);
        }
        for (String directory : List.of("db/src/main/java", "db/src/main", "server/src/main/java", "server/src/main")) {
            Files.setLastModifiedTime(checkout.resolve(directory), old);
        }
        Path jar = checkout.resolve("server/target/finote.jar");
        Files.createDirectories(jar.getParent());
        Files.copy(Path.of(System.getProperty("finote.jar", "target/finote.jar")), jar);
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now()));
        return checkout;
    }

    private static String serve(Path checkout) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(checkout.resolve("finote").toString(), "serve").redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("NODE_ENV");
        builder.environment().remove("MAVEN_OPTS");
        builder.environment().put("DATABASE_URL", "postgresql://finote@127.0.0.1:" + closedPort() + "/finote");
        builder.environment().put("PORT", "0");
        builder.environment().put("FINOTE_JAVA_OPTS", "-Dspring.context.exit=onRefresh -Xlog:aot=info");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
