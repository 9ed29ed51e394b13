package dev.finote.server.scenarios;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The container image's entrypoint (scripts/image-entrypoint.sh), run as in /app with the image's
 * FINOTE_JVM_DEFAULTS and a stand-in JVM that prints the arguments it was started with, one per
 * line. The stand-in refuses the AOT cache with -Xmn64m (as JDK 25 does beside -Xms32m) and refuses
 * -XX:+Bogus itself. LauncherAotCacheIT runs the entrypoint with the real JVM.
 */
class ImageEntrypointTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path temp;
    Path app;
    Path jdk;
    String defaults;

    @BeforeEach
    void imageLayout() throws IOException {
        app = temp.resolve("app");
        Files.createDirectories(app);
        for (String script : List.of("image-entrypoint.sh", "jvm-options.sh")) {
            Files.copy(ROOT.resolve("scripts").resolve(script), app.resolve(script));
        }
        Files.setPosixFilePermissions(app.resolve("image-entrypoint.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(app.resolve("finote.jar"), "jar");
        Files.writeString(app.resolve("finote.aot"), "cache");
        jdk = temp.resolve("jdk");
        Files.createDirectories(jdk.resolve("bin"));
        Path java = jdk.resolve("bin/java");
        Files.writeString(java, """
                #!/bin/sh
                case " $* " in *" -version "*)
                  echo "probe $*" >> "%s/probes"
                  case " $* " in *" -Xmn64m "*) echo "Error occurred during initialization of VM"; echo "Unable to use AOT cache."; exit 1 ;; esac
                  case " $* " in *" -XX:+Bogus "*) echo "Unrecognized VM option 'Bogus'" >&2; exit 1 ;; esac
                  exit 0 ;;
                esac
                for arg in "$@"; do echo "arg: $arg"; done
                """.formatted(temp));
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Matcher image = Pattern.compile("FINOTE_JVM_DEFAULTS=\"([^\"]+)\"").matcher(Files.readString(ROOT.resolve("deploy/Dockerfile")));
        assertThat(image.find()).isTrue();
        defaults = image.group(1);
    }

    @Test
    void withoutOptionsItRunsTheDefaultsTheCacheAndTheCommandAsGivenAskingNothing() throws Exception {
        List<String> args = start(Map.of(), "db", "migrate", "--backup-dir", "/backups with space");

        assertThat(args).containsExactlyElementsOf(concat(List.of(defaults.split(" ")),
                List.of("-XX:AOTCache=" + app.resolve("finote.aot"), "-jar", app.resolve("finote.jar").toString(),
                        "db", "migrate", "--backup-dir", "/backups with space")));
        assertThat(temp.resolve("probes")).doesNotExist();
    }

    @Test
    void aCollectorOnAnyLineOfFinoteJavaOptsReplacesTheSerialOne() throws Exception {
        List<String> args = start(Map.of("FINOTE_JAVA_OPTS", "-Xmx512m\n  -XX:+UseG1GC\n"), "serve");

        assertThat(args).doesNotContain("-XX:+UseSerialGC").contains("-Xms32m", "-Xmx128m")
                .containsSubsequence("-XX:AOTCache=" + app.resolve("finote.aot"), "-Xmx512m", "-XX:+UseG1GC", "-jar");
        assertThat(Files.readString(temp.resolve("probes"))).doesNotContain("UseSerialGC").contains("-Xmx512m -XX:+UseG1GC -cp " + app.resolve("finote.jar") + " -version");
    }

    @Test
    void optionsTheJvmCannotUseTheCacheWithStartItWithoutTheCacheAndSaySo() throws Exception {
        Process process = process(Map.of("FINOTE_JAVA_OPTS", "-Xmn64m -javaagent:/opt/agent.jar -Dsome.property=1"), "serve");
        String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        List<String> args = arguments(process);

        assertThat(errors).contains("warning: the JVM cannot use finote's start-up cache with FINOTE_JAVA_OPTS (-Xmn64m -Dsome.property=1); the server starts without it");
        assertThat(args).noneMatch(arg -> arg.startsWith("-XX:AOTCache")).containsSubsequence("-XX:+UseSerialGC", "-Xmn64m", "-javaagent:/opt/agent.jar", "-Dsome.property=1", "-jar");
        assertThat(Files.readString(temp.resolve("probes"))).as("agents act as soon as a JVM starts: not in the question")
                .doesNotContain("agent").contains("-Xmn64m -Dsome.property=1 -cp");
    }

    @Test
    void optionsTheJvmRefusesThemselvesAreLeftForItToReport() throws Exception {
        Process process = process(Map.of("FINOTE_JAVA_OPTS", "-XX:+Bogus"), "serve");
        String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(arguments(process)).contains("-XX:AOTCache=" + app.resolve("finote.aot"), "-XX:+Bogus");
        assertThat(errors).doesNotContain("warning");
    }

    private List<String> start(Map<String, String> environment, String... command) throws Exception {
        Process process = process(environment, command);
        List<String> args = arguments(process);
        assertThat(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isEmpty();
        return args;
    }

    private Process process(Map<String, String> environment, String... command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(concat(List.of(app.resolve("image-entrypoint.sh").toString()), List.of(command)));
        builder.environment().put("JAVA_HOME", jdk.toString());
        builder.environment().put("FINOTE_JVM_DEFAULTS", defaults);
        builder.environment().remove("FINOTE_JAVA_OPTS");
        builder.environment().putAll(environment);
        return builder.start();
    }

    private static List<String> arguments(Process process) throws Exception {
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output.lines().filter(line -> line.startsWith("arg: ")).map(line -> line.substring(5)).toList();
    }

    private static List<String> concat(List<String> first, List<String> second) {
        return java.util.stream.Stream.concat(first.stream(), second.stream()).toList();
    }
}
