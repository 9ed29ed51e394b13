package dev.finote.server.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code ./finote} launcher, run for real on a copy of itself in a skeleton checkout, with a
 * stand-in {@code mvn} (which rewrites server/target/finote.jar in place, as Maven does, and
 * counts its builds) and a stand-in {@code java} (which prints the jar it was given): what it
 * builds, when, and which file it runs.
 */
class LauncherTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final String LAUNCHER_MARK = "org/springframework/boot/loader/launch/JarLauncher";

    @TempDir
    Path temp;
    Path checkout;
    Path tools;

    @BeforeEach
    void skeletonCheckout() throws IOException {
        checkout = temp.resolve("finote");
        for (String file : List.of("finote", "scripts/jdk.sh")) {
            Files.createDirectories(checkout.resolve(file).getParent());
            Files.copy(ROOT.resolve(file), checkout.resolve(file));
        }
        for (String file : List.of("pom.xml", "db/pom.xml", "server/pom.xml", "db/src/main/java/Db.java",
                "server/src/main/java/Server.java", "server/src/main/resources/db/schema.sql",
                "server/src/main/resources/db/migration/V1__first.sql")) {
            Files.createDirectories(checkout.resolve(file).getParent());
            Files.writeString(checkout.resolve(file), "x\n");
        }
        tools = temp.resolve("tools");
        executable(tools.resolve("bin/mvn"), """
                #!/bin/sh
                # Records its arguments and MAVEN_OPTS, then writes the jar in place (truncating it), as Maven does.
                echo "mvn $* | MAVEN_OPTS=$MAVEN_OPTS" >> "%1$s/mvn.log"
                n=$(grep -c '' "%1$s/mvn.log")
                pom=""; previous=""
                for arg in "$@"; do [ "$previous" = -f ] && pom="$arg"; previous="$arg"; done
                root=$(dirname "$pom")
                mkdir -p "$root/server/target"
                printf '%%s build %%s\\n' '%2$s' "$n" > "$root/server/target/finote.jar"
                """.formatted(temp, LAUNCHER_MARK));
        executable(tools.resolve("jdk/bin/javac"), "#!/bin/sh\nexit 0\n");
        executable(tools.resolve("jdk/bin/java"), """
                #!/bin/sh
                case "$*" in *-XshowSettings:properties*) echo '    java.specification.version = 25' >&2; exit 0 ;; esac
                echo "MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-}"
                jvm=""
                while [ $# -gt 0 ]; do
                  if [ "$1" = -jar ]; then echo "jvm:$jvm"; echo "ran $2: $(cat "$2")"; shift 2; echo "args: $*"; exit 0; fi
                  case "$1" in -XX:SharedArchiveFile=*|-XX:+AutoCreateSharedArchive|-Xlog:*) ;; *) jvm="$jvm $1" ;; esac
                  shift
                done
                """);
    }

    @Test
    void theFirstRunBuildsWithoutColoursAndRunsACopyOfTheJar() throws Exception {
        String output = launch("--version");

        assertThat(builds()).singleElement().asString()
                .contains("-B", "-Dstyle.color=never", "package", "-Djansi.noreset=true");
        assertThat(output).contains("ran " + checkout.resolve("server/target/launch/finote.jar") + ": " + LAUNCHER_MARK + " build 1")
                .contains("args: --version");
    }

    @Test
    void aRebuildNeverRewritesTheJarARunningServerUses() throws Exception {
        launch("dev");
        Path running = checkout.resolve("server/target/launch/finote.jar");
        try (FileChannel heldOpen = FileChannel.open(running)) { // as the JVM of `./finote dev` holds it
            touch(checkout.resolve("server/src/main/java/Server.java"));

            assertThat(launch("db", "status")).contains("build 2");

            ByteBuffer content = ByteBuffer.allocate(200);
            heldOpen.read(content, 0);
            assertThat(new String(content.array(), 0, content.position(), StandardCharsets.UTF_8))
                    .as("the running server's jar is untouched").contains("build 1");
        }
        assertThat(Files.readString(running)).contains("build 2");
        try (var left = Files.list(running.getParent())) {
            assertThat(left.map(path -> path.getFileName().toString())).noneMatch(name -> name.contains(".new."));
        }
    }

    @Test
    void changingTheSchemaOrTheMigrationsNeedsNoRebuild() throws Exception {
        launch("db", "status");
        touch(checkout.resolve("server/src/main/resources/db/schema.sql"));
        Files.writeString(checkout.resolve("server/src/main/resources/db/migration/V2__second.sql"), "y\n");
        touch(checkout.resolve("server/src/main/resources/db/migration/V2__second.sql"));

        String output = launch("db", "generate");

        assertThat(builds()).as("read from the checkout, not from the jar").hasSize(1);
        assertThat(output).doesNotContain("Building");
    }

    @Test
    void aJarLeftByAnInterruptedBuildIsRebuiltNotRun() throws Exception {
        launch("dev");
        Path built = checkout.resolve("server/target/finote.jar");
        Files.writeString(built, "a plain jar: Maven was stopped before repackaging\n");
        touch(built);

        String output = launch("dev");

        assertThat(output).contains("Building finote.jar (an earlier build did not finish)").contains("build 2");
    }

    @Test
    void maven_withTheLauncherSettings_printsNoEscapeCodes() throws Exception {
        launch("--version");
        String mavenOptions = builds().getFirst().replaceFirst("^.*MAVEN_OPTS=", "");
        ProcessBuilder maven = new ProcessBuilder("mvn", "-B", "-q", "-v").redirectErrorStream(true);
        maven.environment().put("MAVEN_OPTS", mavenOptions);
        maven.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = maven.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(output).contains("3.").doesNotContain("\u001b");
    }

    @Test
    void theServerGetsBoundedMemoryDefaultsWhichFinoteJavaOptsOverrides() throws Exception {
        String defaults = "jvm: -XX:+UseSerialGC -Xms32m -Xmx128m -XX:MaxMetaspaceSize=128m";
        assertThat(launch("serve")).contains(defaults + "\n").contains("MALLOC_ARENA_MAX=2");
        assertThat(launch("dev")).contains(defaults + "\n");
        assertThat(launch("db", "status")).contains("jvm:\n").contains("MALLOC_ARENA_MAX=\n");

        String overridden = launch(Map.of("FINOTE_JAVA_OPTS", "-Xmx512m -XX:+UseG1GC", "MALLOC_ARENA_MAX", "4"), "serve");
        assertThat(overridden).contains(defaults + " -Xmx512m -XX:+UseG1GC\n").as("later options win").contains("MALLOC_ARENA_MAX=4");
    }

    private String launch(String... args) throws Exception {
        return launch(Map.of(), args);
    }

    private String launch(Map<String, String> environment, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(checkout.resolve("finote").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", tools.resolve("jdk").toString());
        builder.environment().put("PATH", tools.resolve("bin") + ":" + System.getenv("PATH"));
        builder.environment().remove("MAVEN_OPTS");
        builder.environment().remove("FINOTE_JAVA_OPTS");
        builder.environment().remove("MALLOC_ARENA_MAX");
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private List<String> builds() throws IOException {
        Path log = temp.resolve("mvn.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    /** Newer than anything written so far (file times can be coarser than the test is fast). */
    private static void touch(Path file) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
    }

    private static void executable(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
