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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    /**
     * FINOTE_JAVA_OPTS overrides the defaults with the real JVM, through the launcher and through the
     * container image's entrypoint (run here from the unpacked jar's directory, as from /app). Two
     * used to keep the server from starting: a collector of its own ("Multiple garbage collectors
     * selected") and a young generation as big as the default initial heap, with which the JVM cannot
     * load the cache's objects and refused to start ("Unable to use AOT cache").
     */
    @Test
    void finoteJavaOptsOverrideTheDefaultsWithoutKeepingTheServerFromStarting() throws Exception {
        Path checkout = skeletonWithThePackagedJar();
        assertThat(serve(checkout)).contains("Preparing the start-up cache");
        Path unpacked = checkout.resolve("server/target/launch").resolve(Files.readString(checkout.resolve("server/target/launch/app.current")).strip());

        String parallel = serve(checkout, "-XX:+UseParallelGC");
        assertThat(parallel).contains("Opened AOT cache").doesNotContain("warning: the JVM cannot use");
        assertNothingAlarming(parallel);
        String young = serve(checkout, "-Xmn64m");
        assertThat(young).contains("warning: the JVM cannot use finote's start-up cache with FINOTE_JAVA_OPTS (-Xmn64m")
                .doesNotContain("Opened AOT cache").doesNotContain("Unable to use AOT cache").doesNotContain("Exception");

        Path cache;
        try (var files = Files.list(unpacked)) {
            cache = files.filter(file -> file.getFileName().toString().endsWith(".aot")).findFirst().orElseThrow();
        }
        Files.copy(cache, unpacked.resolve("finote.aot"));
        for (String file : List.of("image-entrypoint.sh", "jvm-options.sh")) {
            Files.copy(checkout.resolve("scripts").resolve(file), unpacked.resolve(file));
        }
        String imageParallel = entrypoint(unpacked, "-XX:+UseParallelGC");
        assertThat(imageParallel).contains("Opened AOT cache " + unpacked.resolve("finote.aot")).doesNotContain("warning: the JVM cannot use");
        assertNothingAlarming(imageParallel);
        assertThat(entrypoint(unpacked, "-Xmn64m")).contains("warning: the JVM cannot use finote's start-up cache with FINOTE_JAVA_OPTS (-Xmn64m")
                .doesNotContain("Opened AOT cache").doesNotContain("Unable to use AOT cache").doesNotContain("Exception");
    }

    private static void assertNothingAlarming(String output) {
        assertThat(output).doesNotContain("[error").doesNotContain("[warning][aot").doesNotContain("mismatch")
                .doesNotContain("Exception").doesNotContain("could not be made");
    }

    /** The launcher and the packaged jar as a freshly built checkout holds them, its sources older than the jar. */
    private Path skeletonWithThePackagedJar() throws IOException {
        Path checkout = temp.resolve("finote");
        FileTime old = FileTime.from(Instant.now().minusSeconds(3600));
        for (String file : List.of("finote", "scripts/jdk.sh", "scripts/aot-training.sh", "scripts/jvm-options.sh", "scripts/image-entrypoint.sh")) {
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
        return serve(checkout, "");
    }

    /** `finote serve`, with {@code options} in FINOTE_JAVA_OPTS before the test's own. */
    private static String serve(Path checkout, String options) throws Exception {
        return run(new ProcessBuilder(checkout.resolve("finote").toString(), "serve"), options);
    }

    /** The image's entrypoint in {@code app}, with the image's FINOTE_JVM_DEFAULTS (the launcher's defaults). */
    private static String entrypoint(Path app, String options) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(app.resolve("image-entrypoint.sh").toString(), "serve");
        Matcher defaults = Pattern.compile("^FINOTE_SERVER_JVM_DEFAULTS=\"([^\"]+)\"$", Pattern.MULTILINE)
                .matcher(Files.readString(app.resolve("jvm-options.sh")));
        assertThat(defaults.find()).isTrue();
        builder.environment().put("FINOTE_JVM_DEFAULTS", defaults.group(1));
        return run(builder, options);
    }

    private static String run(ProcessBuilder builder, String options) throws Exception {
        builder.redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("NODE_ENV");
        builder.environment().remove("MAVEN_OPTS");
        builder.environment().put("DATABASE_URL", "postgresql://finote@127.0.0.1:" + closedPort() + "/finote");
        builder.environment().put("PORT", "0");
        builder.environment().put("FINOTE_JAVA_OPTS", (options + " -Dspring.context.exit=onRefresh -Xlog:aot=info").strip());
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
