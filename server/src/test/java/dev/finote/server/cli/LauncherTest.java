package dev.finote.server.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
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
        for (String file : List.of("finote", "scripts/jdk.sh", "scripts/aot-training.sh", "scripts/jvm-options.sh")) {
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
                # Answers the version, unpacks a jar as Spring Boot's extract does (the thin jar here is a copy),
                # writes an AOT cache naming the jar it was trained on and the database it was given, and otherwise
                # prints the options, the cache and the jar it was given.
                case "$*" in *-XshowSettings:properties*) echo "    java.specification.version = ${FAKE_JAVA_VERSION:-25}" >&2; exit 0 ;; esac
                case "$*" in *-Djarmode=tools*)
                  jar=""; dest=""; previous=""
                  for arg in "$@"; do [ "$previous" = -jar ] && jar="$arg"; [ "$previous" = --destination ] && dest="$arg"; previous="$arg"; done
                  mkdir -p "$dest/lib" && cp "$jar" "$dest/finote.jar"; exit 0 ;;
                esac
                # The launcher's question whether a cache fits some options: refused with -Xmn64m, as the JVM does.
                case " $* " in *" -version "*)
                  echo "probe $*" >> "%1$s/java.log"
                  case " $* " in *" -Xmn64m "*) echo "Unable to use AOT cache." >&2; exit 1 ;; esac
                  case " $* " in *" -XX:+Bogus "*) echo "Unrecognized VM option 'Bogus'" >&2; exit 1 ;; esac
                  exit 0 ;;
                esac
                echo "MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-}"
                jvm=""; cache=""; output=""
                while [ $# -gt 0 ]; do
                  if [ "$1" = -jar ]; then
                    if [ -n "$output" ]; then
                      # A training server: says where it listens (a closed port: its requests fail fast), and
                      # writes the cache when SIGTERM ends it, as the JVM does.
                      if [ -f "%1$s/training-crashes" ]; then echo "training crashed" >&2; exit 1; fi
                      trained="trained on $(cat "$2") with$jvm, DATABASE_URL=$DATABASE_URL, NODE_ENV=$NODE_ENV, PORT=$PORT, args $3"
                      trap 'echo "$trained" > "$output"; echo "trained" >> "%1$s/java.log"; exit 143' TERM
                      echo "Tomcat started on port 9 (http) with context path '/'"
                      while :; do sleep 0.1; done
                    fi
                    echo "jvm:$jvm"; echo "cache:$cache"; echo "ran $2: $(cat "$2")"; shift 2; echo "args: $*"; exit 0
                  fi
                  case "$1" in
                    -XX:AOTCacheOutput=*) output="${1#*=}" ;;
                    -XX:AOTCache=*) cache="$cache $1 ($(cat "${1#*=}"))" ;;
                    -XX:SharedArchiveFile=*) cache="$cache $1" ;;
                    -XX:+AutoCreateSharedArchive|-Xlog:*) ;;
                    *) jvm="$jvm $1" ;;
                  esac
                  shift
                done
                """.formatted(temp));
    }

    @Test
    void theFirstRunBuildsWithoutColoursAndRunsACopyOfTheJar() throws Exception {
        String output = launch("--version");

        assertThat(builds()).singleElement().asString()
                .contains("-B", "-Dstyle.color=never", "package", "-Djansi.noreset=true");
        assertThat(output).containsPattern("ran " + checkout.resolve("server/target/launch/app-") + "[0-9-]+/finote.jar: " + LAUNCHER_MARK + " build 1\n")
                .contains("args: --version");
    }

    @Test
    void aRebuildNeverRewritesTheJarARunningServerUses() throws Exception {
        launch("dev");
        Path running = unpacked();
        Process server = holdInUse(running); // as the JVM of `./finote dev`, which inherits the launcher's lock
        try {
            touch(checkout.resolve("server/src/main/java/Server.java"));

            assertThat(launch("db", "status")).contains("build 2");

            assertThat(Files.readString(running.resolve("finote.jar"))).as("the running server's jar is untouched").contains("build 1");
            assertThat(unpacked()).isNotEqualTo(running);
            assertThat(Files.readString(unpacked().resolve("finote.jar"))).contains("build 2");
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
        launch("db", "status");
        assertThat(running).as("removed once no JVM runs it").doesNotExist();
        try (var left = Files.list(checkout.resolve("server/target/launch"))) {
            assertThat(left.map(path -> path.getFileName().toString())).noneMatch(name -> name.contains(".new.")).noneMatch(name -> name.endsWith(".err"));
        }
    }

    @Test
    void serveStartsFromAnAotCacheTrainedOnceForThisBuildWithoutTheDatabase() throws Exception {
        String first = launch(Map.of("DATABASE_URL", "postgresql://app:secret@db.example:5432/finote", "NODE_ENV", "development"), "serve");
        Path cache = unpacked().resolve("server-jdk25.aot");

        assertThat(first).contains("Preparing the start-up cache").contains("cache: -XX:AOTCache=" + cache + " (trained on " + LAUNCHER_MARK + " build 1 ");
        assertThat(Files.readString(cache)).as("the training run")
                .contains("with -XX:+UseSerialGC -Xms32m -Xmx128m -XX:MaxMetaspaceSize=128m -XX:TrimNativeHeapInterval=2000 -Dspring.aot.enabled=true,")
                .contains("DATABASE_URL=postgresql://training@127.0.0.1:9/none,").doesNotContain("db.example").contains("PORT=0,").contains("args serve");
        assertThat(Files.readString(Path.of(cache + ".log"))).as("the training requests")
                .contains("training request GET /healthz: \n").contains("training request POST /api/auth/login: \n");
        String again = launch("serve");
        assertThat(again).doesNotContain("Preparing").contains("cache: -XX:AOTCache=" + cache + " (");
        assertThat(launch("dev")).doesNotContain("Preparing").contains("cache: -XX:AOTCache=" + cache + " (");
        assertThat(trainings()).isEqualTo(1);
        assertThat(launch("db", "status")).as("db commands keep a CDS archive of their own").contains("cache: -XX:SharedArchiveFile=" + unpacked().resolve("db-jdk25.jsa") + "\n");
        assertThat(launch("serve", "--help")).contains("cache: -XX:AOTCache=");
    }

    @Test
    void aTrainingThatFailsLeavesNoCacheAndTheServerStartsWithoutOne() throws Exception {
        Files.writeString(temp.resolve("training-crashes"), "");

        String first = launch("serve");

        assertThat(first).contains("Preparing the start-up cache").contains("warning: the start-up cache could not be made")
                .contains("cache: -XX:SharedArchiveFile=").doesNotContain("AOTCache").contains("args: serve");
        assertThat(unpacked().resolve("server-jdk25.aot")).doesNotExist();
        assertThat(Files.readString(unpacked().resolve("server-jdk25.aot.log"))).contains("training crashed");
        assertThat(launch("serve")).as("not tried again for this build").doesNotContain("Preparing").doesNotContain("AOTCache");
    }

    @Test
    void aCacheIsNeverUsedWithClassesNewerThanItself() throws Exception {
        launch("serve");
        Path before = unpacked();
        // Older than the sources: the next launch builds again (a source touched into the future would
        // make every launch within those seconds build again).
        Files.setLastModifiedTime(checkout.resolve("server/target/finote.jar"), FileTime.from(Instant.now().minusSeconds(3600)));

        String rebuilt = launch("serve");

        assertThat(unpacked()).isNotEqualTo(before);
        assertThat(rebuilt).contains("Preparing the start-up cache")
                .contains("cache: -XX:AOTCache=" + unpacked().resolve("server-jdk25.aot") + " (trained on " + LAUNCHER_MARK + " build 2 ");
        assertThat(trainings()).isEqualTo(2);

        // A class file changed in place (not by a build): the cache no longer matches it, and is made again.
        Path library = Files.createFile(unpacked().resolve("lib/changed.jar"));
        touch(library);
        assertThat(launch("serve")).contains("Preparing the start-up cache").contains("cache: -XX:AOTCache=");
        assertThat(trainings()).isEqualTo(3);
    }

    @Test
    void beforeJdk25TheServerKeepsADynamicCdsArchiveAndNoTrainingRuns() throws Exception {
        String serve = launch(Map.of("FAKE_JAVA_VERSION", "21"), "serve");

        assertThat(serve).doesNotContain("Preparing").doesNotContain("AOTCache")
                .contains("cache: -XX:SharedArchiveFile=" + unpacked().resolve("serve-jdk21.jsa") + "\n");
        assertThat(trainings()).isZero();
    }

    @Test
    void helpMakesNoCacheAndOptionsChoosingClassSharingTurnTheLaunchersOff() throws Exception {
        assertThat(launch("serve", "--help")).doesNotContain("Preparing").contains("cache: -XX:SharedArchiveFile=");
        assertThat(trainings()).isZero();

        String own = launch(Map.of("FINOTE_JAVA_OPTS", "-Xshare:off"), "serve");
        assertThat(own).doesNotContain("Preparing").contains("cache:\n").contains("-Xshare:off");
        assertThat(launch(Map.of("FINOTE_JAVA_OPTS", "-Xmx512m\n-Xshare:off"), "serve")).as("on a line of its own too")
                .doesNotContain("Preparing").contains("cache:\n");
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
        // And its context from Spring AOT's generated code (SpringAotServerIT runs the server that way).
        String defaults = "jvm: -XX:+UseSerialGC -Xms32m -Xmx128m -XX:MaxMetaspaceSize=128m -XX:TrimNativeHeapInterval=2000 -Dspring.aot.enabled=true";
        assertThat(launch("serve")).contains(defaults + "\n").contains("MALLOC_ARENA_MAX=2");
        assertThat(launch("dev")).contains(defaults + "\n");
        assertThat(launch("db", "status")).contains("jvm:\n").contains("MALLOC_ARENA_MAX=\n");

        String overridden = launch(Map.of("FINOTE_JAVA_OPTS", "-Xmx512m -XX:MaxMetaspaceSize=256m", "MALLOC_ARENA_MAX", "4"), "serve");
        assertThat(overridden).contains(defaults + " -Xmx512m -XX:MaxMetaspaceSize=256m\n").as("later options win").contains("MALLOC_ARENA_MAX=4");
    }

    @Test
    void aCollectorChosenInFinoteJavaOptsReplacesTheSerialOne() throws Exception {
        // The JVM refuses two collectors ("Multiple garbage collectors selected") instead of taking the later one.
        String g1 = launch(Map.of("FINOTE_JAVA_OPTS", "-Xmx512m -XX:+UseG1GC"), "serve");
        assertThat(g1).contains("jvm: -Xms32m -Xmx128m -XX:MaxMetaspaceSize=128m -XX:TrimNativeHeapInterval=2000 -Dspring.aot.enabled=true -Xmx512m -XX:+UseG1GC\n");
        assertThat(launch(Map.of("FINOTE_JAVA_OPTS", "-XX:+UseStringDeduplication"), "serve")).as("not a collector")
                .contains("jvm: -XX:+UseSerialGC -Xms32m");
        assertThat(launch(Map.of("FINOTE_JAVA_OPTS", "-Xmx512m\n  -XX:+UseZGC\n"), "serve")).as("one option per line, as a YAML block holds them")
                .contains("jvm: -Xms32m -Xmx128m -XX:MaxMetaspaceSize=128m -XX:TrimNativeHeapInterval=2000 -Dspring.aot.enabled=true -Xmx512m -XX:+UseZGC\n");
        assertThat(Files.readString(unpacked().resolve("server-jdk25.aot"))).as("the cache is trained with the defaults all the same")
                .contains("with -XX:+UseSerialGC -Xms32m -Xmx128m");
    }

    @Test
    void optionsTheJvmCannotUseTheCacheWithStartTheServerWithoutItOnceAskedAndSaySo() throws Exception {
        assertThat(launch("serve")).contains("cache: -XX:AOTCache=");
        Path cache = unpacked().resolve("server-jdk25.aot");
        assertThat(probes()).as("the defaults need no question: the cache is made with them").isEmpty();

        String refused = launch(Map.of("FINOTE_JAVA_OPTS", "-Xmn64m -javaagent:/opt/agent.jar"), "serve");
        assertThat(refused).contains("warning: the JVM cannot use finote's start-up cache with FINOTE_JAVA_OPTS (-Xmn64m); the server starts without it")
                .contains("cache: -XX:SharedArchiveFile=").doesNotContain("AOTCache").contains("-Xmn64m -javaagent:/opt/agent.jar\n");
        assertThat(probes()).singleElement().asString()
                .contains("-XX:AOTCache=" + cache, "-XX:+UseSerialGC -Xms32m", "-Xmn64m -cp " + unpacked().resolve("finote.jar") + " -version")
                .as("an agent acts as soon as a JVM starts: not in the question").doesNotContain("agent");
        assertThat(launch(Map.of("FINOTE_JAVA_OPTS", "-Xmn64m -javaagent:/opt/agent.jar"), "serve")).as("remembered, and said again")
                .contains("warning: the JVM cannot use").doesNotContain("AOTCache");
        assertThat(probes()).hasSize(1);

        String bogus = launch(Map.of("FINOTE_JAVA_OPTS", "-XX:+Bogus"), "serve");
        assertThat(bogus).as("an option the JVM refuses itself is left for the start to report").contains("cache: -XX:AOTCache=").doesNotContain("warning");
        try (var files = Files.list(unpacked())) {
            assertThat(files.map(path -> path.getFileName().toString()).filter(name -> name.contains(".refused-")))
                    .as("only -Xmn64m's refusal is remembered").hasSize(1);
        }
        assertThat(probes()).hasSize(2);

        assertThat(launch(Map.of("FINOTE_JAVA_OPTS", "-Xmx512m"), "serve")).contains("cache: -XX:AOTCache=" + cache).doesNotContain("warning");
        assertThat(launch(Map.of("FINOTE_JAVA_OPTS", "-Xmx512m"), "serve")).contains("cache: -XX:AOTCache=" + cache);
        assertThat(probes()).as("a fit is remembered too").hasSize(3);

        // The cache made again (a class file changed): what was asked about the old one is forgotten.
        touch(Files.createFile(unpacked().resolve("lib/changed.jar")));
        assertThat(launch(Map.of("FINOTE_JAVA_OPTS", "-Xmx512m"), "serve")).contains("Preparing the start-up cache").contains("cache: -XX:AOTCache=" + cache);
        assertThat(probes()).hasSize(4);
    }

    private List<String> probes() throws IOException {
        Path log = temp.resolve("java.log");
        return Files.exists(log) ? Files.readAllLines(log).stream().filter(line -> line.startsWith("probe ")).toList() : List.of();
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

    /** The unpacked jar the launcher runs now. */
    private Path unpacked() throws IOException {
        return checkout.resolve("server/target/launch").resolve(Files.readString(checkout.resolve("server/target/launch/app.current")).strip());
    }

    private long trainings() throws IOException {
        Path log = temp.resolve("java.log");
        return Files.exists(log) ? Files.readAllLines(log).stream().filter("trained"::equals).count() : 0;
    }

    /** One process (as the launcher execs java) holding the shared lock a running JVM holds on its unpacked jar's directory. */
    private static Process holdInUse(Path unpacked) throws IOException {
        Process holder = new ProcessBuilder("sh", "-c", "exec 8<>\"$0/.in-use\" && flock -s 8 && echo locked && exec sleep 600", unpacked.toString())
                .redirectErrorStream(true).start();
        String line = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(line).isEqualTo("locked");
        return holder;
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
