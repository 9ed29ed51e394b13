package dev.finote.server.scenarios;

import dev.finote.server.FinoteMain;
import dev.finote.server.config.FinoteSettings;
import dev.finote.server.support.FinoteExtension;
import dev.finote.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The files of {@code deploy/}, checked without a Docker engine or a cluster: they parse,
 * and what they name exists in this project — the subcommands and options they run, the
 * jar path the build produces, the port the server listens on and its probes' paths, and
 * the environment variables the server reads.
 */
@ExtendWith(FinoteExtension.class)
class DeploymentFilesTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path DEPLOY = ROOT.resolve("deploy");
    /** The variables the server reads (README, "Configuration"). */
    static final Set<String> SERVER_VARIABLES = Set.of("NODE_ENV", "PORT", "DATABASE_URL", "SESSION_SECRET", "SESSION_NAME",
            "CORS_ORIGIN", "DB_POOL_MAX", "TRUSTED_PROXIES", "REGISTRATIONS_PER_ADDRESS", "METRICS_TOKEN");
    /** Variables a deployment may leave out (a feature that is off unless set). */
    static final Set<String> OPTIONAL_VARIABLES = Set.of("METRICS_TOKEN");
    /** What the `finote db` commands read besides: the direct URL for those that need a session (README, "Scaling out"). */
    static final Set<String> COMMAND_VARIABLES = Set.of("NODE_ENV", "DATABASE_URL", "DIRECT_DATABASE_URL");

    // ---------------------------------------------------------------- helpers

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, String... path) {
        Object current = node;
        for (String key : path) current = ((Map<String, Object>) current).get(key);
        return (Map<String, Object>) current;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object node, String... path) {
        Object current = node;
        for (String key : path) current = ((Map<String, Object>) current).get(key);
        return (List<Object>) current;
    }

    static List<Map<String, Object>> kubernetes() throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (var files = Files.list(DEPLOY.resolve("k8s"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object document : new Yaml().loadAll(Files.readString(file))) {
                    if (document != null) documents.add(map(document));
                }
            }
        }
        return documents;
    }

    static Map<String, Object> kind(List<Map<String, Object>> documents, String kind, String name) {
        return documents.stream().filter(d -> kind.equals(d.get("kind")) && name.equals(map(d, "metadata").get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in deploy/k8s"));
    }

    static Map<String, Object> compose() throws IOException {
        return new Yaml().load(Files.readString(DEPLOY.resolve("compose.yaml")));
    }

    /** Parses {@code args} with the real `finote` command line: unknown commands or options fail here. */
    static void assertFinoteAccepts(List<?> args) {
        List<String> strings = args.stream().map(String::valueOf).toList();
        CommandLine finote = FinoteMain.commandLine(Map.of(), ROOT, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        CommandLine.ParseResult parsed = finote.parseArgs(strings.toArray(String[]::new));
        assertThat(parsed.hasSubcommand()).as("%s names a subcommand", strings).isTrue();
        assertThat(strings.getFirst()).isIn("serve", "db");
        if (strings.getFirst().equals("db")) assertThat(parsed.subcommand().subcommand().commandSpec().name()).isEqualTo("migrate");
    }

    static String dockerfile() throws IOException {
        return Files.readString(DEPLOY.resolve("Dockerfile"));
    }

    // ---------------------------------------------------------------- Dockerfile

    @Test
    void theDockerfileBuildsWithMavenOnAJdkAndRunsTheJarOnAJreAsANonRootUser() throws IOException {
        String dockerfile = dockerfile();
        List<String> from = dockerfile.lines().filter(l -> l.startsWith("FROM ")).toList();

        assertThat(from).hasSize(2);
        assertThat(from.get(0)).matches("FROM maven:3\\.\\d+-eclipse-temurin-(2[1-9]|[3-9]\\d) AS build");
        assertThat(from.get(1)).matches("FROM eclipse-temurin:(2[1-9]|[3-9]\\d)-jre");
        // The jar the build produces (server/pom.xml: finalName finote) is the one copied.
        assertThat(Files.readString(ROOT.resolve("server/pom.xml"))).contains("<finalName>finote</finalName>");
        // Unpacked into /app (finote.jar and lib/), so that the AOT cache holds the application's classes.
        assertThat(dockerfile).contains("java -Djarmode=tools -jar server/target/finote.jar extract --destination /app")
                .contains("COPY --from=build /app/ /app/");
        // Bounded memory defaults (issue 13: 75 % of the limit was an OOM kill waiting to happen), the same as
        // the launcher's, the AOT cache trained with them, and an entrypoint that puts FINOTE_JAVA_OPTS after
        // them so that it overrides them (ImageEntrypointTest runs it).
        Matcher launcherDefaults = Pattern.compile("^FINOTE_SERVER_JVM_DEFAULTS=(\"[^\"]+\")$", Pattern.MULTILINE)
                .matcher(Files.readString(ROOT.resolve("scripts/jvm-options.sh")));
        assertThat(launcherDefaults.find()).isTrue();
        assertThat(launcherDefaults.group(1)).contains("-XX:+UseSerialGC -Xms32m -Xmx128m");
        assertThat(dockerfile).contains("FINOTE_JVM_DEFAULTS=" + launcherDefaults.group(1))
                .contains(". /tmp/aot-training.sh && finote_aot_training /app/finote.aot ")
                .contains("java $FINOTE_JVM_DEFAULTS -XX:AOTCacheOutput=/app/finote.aot -jar /app/finote.jar serve")
                .contains("COPY --chmod=755 scripts/image-entrypoint.sh scripts/jvm-options.sh /app/")
                .contains("ENTRYPOINT [\"/app/image-entrypoint.sh\"]")
                .doesNotContain("MaxRAMPercentage");
        // Everything the image copies from the build context exists.
        Matcher copies = Pattern.compile("^COPY (?!--from)(?:--chmod=\\S+ )?(.+) \\S+$", Pattern.MULTILINE).matcher(dockerfile);
        while (copies.find()) {
            for (String source : copies.group(1).split(" ")) assertThat(ROOT.resolve(source)).exists();
        }
        Matcher user = Pattern.compile("^USER (\\S+)", Pattern.MULTILINE).matcher(dockerfile);
        assertThat(user.find()).isTrue();
        assertThat(user.group(1)).doesNotStartWith("root").doesNotStartWith("0:").isNotEqualTo("0");
    }

    @Test
    void theImageServesByDefaultOnItsPortWithAHealthcheckOnHealthz() throws IOException {
        String dockerfile = dockerfile();

        assertThat(dockerfile).contains("CMD [\"serve\"]");
        assertFinoteAccepts(List.of("serve"));
        Matcher port = Pattern.compile("PORT=(\\d+)").matcher(dockerfile);
        assertThat(port.find()).isTrue();
        assertThat(dockerfile).contains("EXPOSE " + port.group(1));
        String healthcheck = dockerfile.substring(dockerfile.indexOf("HEALTHCHECK"));
        assertThat(healthcheck).contains("GET /healthz", "${PORT:-" + port.group(1) + "}", "' 200 '");
        assertThat(FinoteSettings.fromEnvironment(Map.of("PORT", port.group(1))).port()).isEqualTo(Integer.parseInt(port.group(1)));
    }

    @Test
    void theImagesHealthcheckCommandPassesAgainstARunningServerAndFailsWithoutOne(TestServer server) throws Exception {
        String dockerfile = dockerfile().replace("\\\n", " ");
        Matcher healthcheck = Pattern.compile("^HEALTHCHECK .*?CMD (\\[.*])$", Pattern.MULTILINE).matcher(dockerfile);
        assertThat(healthcheck.find()).isTrue();
        List<String> command = List.of(JsonMapper.builder().build().readValue(healthcheck.group(1), String[].class));
        String port = server.baseUrl().substring(server.baseUrl().lastIndexOf(':') + 1);

        assertThat(run(command, port)).as("healthy server").isZero();
        assertThat(run(command, Integer.toString(unusedPort()))).as("nothing listening").isNotZero();
    }

    private static int run(List<String> command, String port) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("PORT", port);
        Process process = builder.start();
        assertThat(process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }

    private static int unusedPort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    // ---------------------------------------------------------------- compose

    @Test
    void composeKeepsPostgresPrivateOnANamedVolumeAndMigratesBeforeTheServerStarts() throws IOException {
        Map<String, Object> compose = compose();
        Map<String, Object> services = map(compose, "services");
        Map<String, Object> db = map(services, "db");
        Map<String, Object> migrate = map(services, "migrate");
        Map<String, Object> server = map(services, "server");

        assertThat(db).doesNotContainKey("ports");
        assertThat(list(db, "volumes")).containsExactly("pgdata:/var/lib/postgresql/data");
        assertThat(map(compose, "volumes")).containsKey("pgdata");
        assertThat(list(db, "networks")).containsExactly("private");
        assertThat(map(compose, "networks", "private")).containsEntry("internal", true);
        assertThat(String.valueOf(db.get("image"))).startsWith("postgres:15");

        assertFinoteAccepts(list(migrate, "command"));
        assertThat(list(migrate, "command")).startsWith("db", "migrate");
        assertThat(migrate.get("restart")).isEqualTo("no");
        assertThat(map(migrate, "depends_on", "db")).containsEntry("condition", "service_healthy");
        assertThat(migrate.get("image")).isEqualTo(server.get("image"));
        assertThat(map(migrate, "build")).containsEntry("dockerfile", "deploy/Dockerfile");
        assertThat(DEPLOY.resolve(String.valueOf(map(migrate, "build").get("context"))).resolve("deploy/Dockerfile")).exists();

        assertFinoteAccepts(list(server, "command"));
        assertThat(map(server, "depends_on", "migrate")).containsEntry("condition", "service_completed_successfully");
        assertThat(list(server, "networks")).contains("private");
    }

    @Test
    void composeMigratesPreDeployBeforeTheServerAndTheRestOnceItIsHealthy() throws IOException {
        Map<String, Object> services = map(compose(), "services");
        Map<String, Object> pre = map(services, "migrate");
        Map<String, Object> post = map(services, "migrate-post-deploy");

        assertThat(list(pre, "command")).contains("--pre-deploy");
        assertThat(map(map(services, "server"), "depends_on", "migrate")).containsEntry("condition", "service_completed_successfully");
        assertFinoteAccepts(list(post, "command"));
        assertThat(list(post, "command")).startsWith("db", "migrate").doesNotContain("--pre-deploy");
        assertThat(map(post, "depends_on", "server")).containsEntry("condition", "service_healthy");
        assertThat(map(map(services, "server"), "healthcheck")).isNotNull();
        assertThat(post.get("restart")).isEqualTo("no");
        assertThat(post.get("image")).isEqualTo(pre.get("image"));
        assertThat(map(post, "environment")).isEqualTo(map(pre, "environment"));
        assertThat(list(post, "volumes")).isEqualTo(list(pre, "volumes"));
    }

    @Test
    void composeGivesTheServerEveryVariableItReadsAndPublishesItsPort() throws IOException {
        Map<String, Object> services = map(compose(), "services");
        Map<String, Object> server = map(services, "server");
        Map<String, Object> environment = map(server, "environment");

        assertThat(environment.keySet()).isSubsetOf(SERVER_VARIABLES).containsAll(required());
        assertThat(map(map(services, "migrate"), "environment").keySet()).isSubsetOf(COMMAND_VARIABLES).contains("DIRECT_DATABASE_URL");
        String port = String.valueOf(environment.get("PORT"));
        assertThat(list(server, "ports")).singleElement().asString().endsWith(":" + port);
        assertThat(list(server, "healthcheck", "test")).asString().contains("/dev/tcp/127.0.0.1/" + port, "GET /healthz");
        assertThat(String.valueOf(environment.get("DATABASE_URL"))).contains("@pgbouncer:5432/");
    }

    // ---------------------------------------------------------------- Kubernetes

    @Test
    void kubernetesRunsPostgresAsAStatefulSetWithAVolumeClaimBehindAService() throws IOException {
        List<Map<String, Object>> k8s = kubernetes();
        Map<String, Object> statefulSet = kind(k8s, "StatefulSet", "finote-db");
        Map<String, Object> service = kind(k8s, "Service", "finote-db");

        Map<String, Object> container = map(list(statefulSet, "spec", "template", "spec", "containers").getFirst());
        assertThat(String.valueOf(container.get("image"))).startsWith("postgres:15");
        Object claim = list(statefulSet, "spec", "volumeClaimTemplates").getFirst();
        String claimName = String.valueOf(map(claim, "metadata").get("name"));
        assertThat(list(container, "volumeMounts")).anySatisfy(mount -> assertThat(map(mount)).containsEntry("name", claimName)
                .containsEntry("mountPath", "/var/lib/postgresql/data"));
        assertThat(map(service, "spec").get("type")).isEqualTo("ClusterIP");
        assertThat(map(service, "spec", "selector")).isEqualTo(map(statefulSet, "spec", "selector", "matchLabels"));
        // The direct URL (migrations, the pooler) points at this Service.
        assertThat(String.valueOf(map(kind(k8s, "Secret", "finote-secrets"), "stringData").get("DIRECT_DATABASE_URL")))
                .contains("@finote-db:5432/finote");
    }

    @Test
    void kubernetesMigratesWithAJobOnTheServersImage() throws IOException {
        List<Map<String, Object>> k8s = kubernetes();
        Map<String, Object> job = kind(k8s, "Job", "finote-migrate");
        Map<String, Object> deployment = kind(k8s, "Deployment", "finote");

        Map<String, Object> migrate = map(list(job, "spec", "template", "spec", "containers").getFirst());
        Map<String, Object> server = map(list(deployment, "spec", "template", "spec", "containers").getFirst());
        assertThat(migrate.get("image")).isEqualTo(server.get("image"));
        assertFinoteAccepts(list(migrate, "args"));
        assertThat(map(job, "spec", "template", "spec")).containsEntry("restartPolicy", "Never");
        // Its automatic backups go to a claim that outlives the Job's pod.
        assertThat(list(migrate, "args")).containsSequence("--backup-dir", "/backups");
        String claim = String.valueOf(map(map(list(job, "spec", "template", "spec", "volumes").getFirst()), "persistentVolumeClaim").get("claimName"));
        kind(k8s, "PersistentVolumeClaim", claim);
        assertThat(environmentNames(migrate, k8s)).contains("DIRECT_DATABASE_URL").isSubsetOf(COMMAND_VARIABLES);
    }

    @Test
    void kubernetesMigratesPreDeployBeforeTheRolloutAndRunsAPostDeployJobAfterIt() throws IOException {
        List<Map<String, Object>> k8s = kubernetes();
        Map<String, Object> pre = map(list(kind(k8s, "Job", "finote-migrate"), "spec", "template", "spec", "containers").getFirst());
        Map<String, Object> postJob = kind(k8s, "Job", "finote-migrate-post-deploy");
        Map<String, Object> post = map(list(postJob, "spec", "template", "spec", "containers").getFirst());
        String deployment = String.valueOf(map(kind(k8s, "Deployment", "finote"), "metadata").get("name"));

        assertThat(list(pre, "args")).contains("--pre-deploy");
        assertFinoteAccepts(list(post, "args"));
        assertThat(list(post, "args")).startsWith("db", "migrate").doesNotContain("--pre-deploy").containsSequence("--backup-dir", "/backups");
        assertThat(post.get("image")).isEqualTo(pre.get("image"));
        assertThat(post.get("env")).isEqualTo(pre.get("env"));
        assertThat(map(postJob, "spec", "template", "spec")).containsEntry("restartPolicy", "Never");
        String claim = String.valueOf(map(map(list(postJob, "spec", "template", "spec", "volumes").getFirst()), "persistentVolumeClaim").get("claimName"));
        kind(k8s, "PersistentVolumeClaim", claim);
        // the documented order: wait for the rollout, then apply the job
        String file = Files.readString(DEPLOY.resolve("k8s/post-deploy-job.yaml"));
        assertThat(file.indexOf("kubectl rollout status deployment/" + deployment)).isNotNegative()
                .isLessThan(file.indexOf("kubectl apply -f post-deploy-job.yaml"));
    }

    @Test
    void kubernetesServerProbesHealthzAndReadyzOnTheContainerPortItListensOn() throws IOException {
        List<Map<String, Object>> k8s = kubernetes();
        Map<String, Object> deployment = kind(k8s, "Deployment", "finote");
        Map<String, Object> server = map(list(deployment, "spec", "template", "spec", "containers").getFirst());
        Map<String, Object> configMap = map(kind(k8s, "ConfigMap", "finote-config"), "data");

        assertFinoteAccepts(list(server, "args"));
        Map<String, Object> port = map(list(server, "ports").getFirst());
        assertThat(Integer.parseInt(String.valueOf(configMap.get("PORT")))).isEqualTo(port.get("containerPort"));
        assertThat(map(server, "livenessProbe", "httpGet")).containsEntry("path", "/healthz").containsEntry("port", port.get("name"));
        assertThat(map(server, "readinessProbe", "httpGet")).containsEntry("path", "/readyz").containsEntry("port", port.get("name"));
        Map<String, Object> service = kind(k8s, "Service", "finote");
        assertThat(map(list(service, "spec", "ports").getFirst())).containsEntry("targetPort", port.get("name"));
        assertThat(map(service, "spec", "selector")).isEqualTo(map(deployment, "spec", "selector", "matchLabels"));
    }

    @Test
    void kubernetesKeepsSecretsInASecretAndConfigurationInAConfigMapAndTheServerGetsEveryVariable() throws IOException {
        List<Map<String, Object>> k8s = kubernetes();
        Map<String, Object> configMap = map(kind(k8s, "ConfigMap", "finote-config"), "data");
        Map<String, Object> secret = map(kind(k8s, "Secret", "finote-secrets"), "stringData");
        Map<String, Object> server = map(list(kind(k8s, "Deployment", "finote"), "spec", "template", "spec", "containers").getFirst());

        assertThat(configMap.keySet()).isSubsetOf(SERVER_VARIABLES).doesNotContain("SESSION_SECRET", "DATABASE_URL");
        assertThat(secret.keySet()).contains("SESSION_SECRET", "DATABASE_URL");
        assertThat(environmentNames(server, k8s)).isSubsetOf(SERVER_VARIABLES).containsAll(required());
        // What the server would be configured with parses as its settings (the example secret aside).
        Map<String, String> environment = new HashMap<>();
        configMap.forEach((name, value) -> environment.put(name, String.valueOf(value)));
        environment.put("DATABASE_URL", String.valueOf(secret.get("DATABASE_URL")));
        environment.put("SESSION_SECRET", "5f0c2b8e9d7a4c1e3b6f8a0d2c4e6f8a1b3d5f7e9c0a2b4d6f8e0a1c3e5b7d9f"); // what the operator puts in
        FinoteSettings settings = FinoteSettings.fromEnvironment(environment);
        assertThat(settings.production()).isTrue();
        assertThat(settings.port()).isEqualTo(3000);
        assertThat(settings.databaseUrl()).isPresent();
        assertThat(settings.serveProblems()).isEmpty();
        // The example's placeholder secret is refused: applying the example unchanged cannot serve.
        environment.put("SESSION_SECRET", String.valueOf(secret.get("SESSION_SECRET")));
        boolean refused;
        try {
            refused = !FinoteSettings.fromEnvironment(environment).serveProblems().isEmpty();
        } catch (dev.finote.server.config.SettingsException e) {
            refused = true;
        }
        assertThat(refused).as("the placeholder SESSION_SECRET is refused").isTrue();
    }

    @Test
    void theServerVariablesAreTheOnesItReads() throws IOException {
        String settings = Files.readString(ROOT.resolve("server/src/main/java/dev/finote/server/config/FinoteSettings.java"));
        String readme = Files.readString(ROOT.resolve("README.md"));
        for (String variable : SERVER_VARIABLES) {
            assertThat(settings).as(variable).contains("\"" + variable + "\"");
            assertThat(readme).as(variable).contains("| `" + variable + "` |");
        }
    }

    static Set<String> required() {
        Set<String> required = new LinkedHashSet<>(SERVER_VARIABLES);
        required.removeAll(OPTIONAL_VARIABLES);
        return required;
    }

    /** The environment variable names a container gets, from env entries and whole ConfigMaps/Secrets. */
    static Set<String> environmentNames(Map<String, Object> container, List<Map<String, Object>> k8s) {
        Set<String> names = new LinkedHashSet<>();
        if (container.get("env") != null) list(container, "env").forEach(entry -> names.add(String.valueOf(map(entry).get("name"))));
        if (container.get("envFrom") != null) {
            for (Object source : list(container, "envFrom")) {
                Map<String, Object> from = map(source);
                if (from.containsKey("configMapRef")) {
                    names.addAll(map(kind(k8s, "ConfigMap", String.valueOf(map(from, "configMapRef").get("name"))), "data").keySet());
                }
                if (from.containsKey("secretRef")) {
                    names.addAll(map(kind(k8s, "Secret", String.valueOf(map(from, "secretRef").get("name"))), "stringData").keySet());
                }
            }
        }
        return names;
    }

    // ---------------------------------------------------------------- the pooler and scaling out

    @Test
    void composePutsATransactionModePgBouncerBetweenTheServerAndPostgresAndMigratesDirectly() throws IOException {
        Map<String, Object> services = map(compose(), "services");
        Map<String, Object> pgbouncer = map(services, "pgbouncer");
        Map<String, Object> pooler = map(pgbouncer, "environment");
        Map<String, Object> server = map(services, "server");
        Map<String, Object> migrate = map(services, "migrate");

        assertThat(String.valueOf(pgbouncer.get("image"))).contains("pgbouncer");
        assertThat(pooler).containsEntry("POOL_MODE", "transaction");
        assertThat(String.valueOf(pooler.get("DATABASE_URL"))).contains("@db:5432/finote");
        assertThat(pgbouncer).doesNotContainKey("ports");
        assertThat(list(pgbouncer, "networks")).containsExactly("private");
        assertThat(map(pgbouncer, "depends_on", "db")).containsEntry("condition", "service_healthy");
        String listen = String.valueOf(pooler.get("LISTEN_PORT"));

        assertThat(String.valueOf(map(server, "environment").get("DATABASE_URL"))).contains("@pgbouncer:" + listen + "/finote");
        assertThat(map(server, "depends_on")).containsKey("pgbouncer");
        assertThat(String.valueOf(map(migrate, "environment").get("DIRECT_DATABASE_URL"))).contains("@db:5432/finote");
        assertThat(map(migrate, "environment")).doesNotContainKey("DATABASE_URL");
        // The URLs the files hold are ones finote accepts.
        dev.finote.db.postgres.DatabaseUrl.parse(String.valueOf(map(server, "environment").get("DATABASE_URL")).replace("${POSTGRES_PASSWORD}", "x"));
    }

    @Test
    void kubernetesRunsPgBouncerForTheServerAndTheMigrateJobBypassesIt() throws IOException {
        List<Map<String, Object>> k8s = kubernetes();
        Map<String, Object> deployment = kind(k8s, "Deployment", "finote-pgbouncer");
        Map<String, Object> service = kind(k8s, "Service", "finote-pgbouncer");
        Map<String, Object> secret = map(kind(k8s, "Secret", "finote-secrets"), "stringData");
        Map<String, Object> pgbouncer = map(list(deployment, "spec", "template", "spec", "containers").getFirst());
        Map<String, String> env = new HashMap<>();
        Map<String, String> fromSecret = new HashMap<>();
        for (Object entry : list(pgbouncer, "env")) {
            Map<String, Object> variable = map(entry);
            if (variable.containsKey("value")) env.put(String.valueOf(variable.get("name")), String.valueOf(variable.get("value")));
            else fromSecret.put(String.valueOf(variable.get("name")), String.valueOf(map(variable, "valueFrom", "secretKeyRef").get("key")));
        }

        assertThat(env).containsEntry("POOL_MODE", "transaction");
        assertThat(String.valueOf(pgbouncer.get("image"))).contains("pgbouncer");
        // PgBouncer reaches PostgreSQL itself; the server reaches PgBouncer's Service on its port.
        assertThat(fromSecret).containsEntry("DATABASE_URL", "DIRECT_DATABASE_URL");
        assertThat(String.valueOf(secret.get("DIRECT_DATABASE_URL"))).contains("@finote-db:5432/finote");
        Object port = map(list(service, "spec", "ports").getFirst()).get("port");
        assertThat(String.valueOf(secret.get("DATABASE_URL"))).contains("@finote-pgbouncer:" + port + "/finote");
        assertThat(String.valueOf(port)).isEqualTo(env.get("LISTEN_PORT"));
        assertThat(map(service, "spec", "selector")).isEqualTo(map(deployment, "spec", "selector", "matchLabels"));
        dev.finote.db.postgres.DatabaseUrl.parse(String.valueOf(secret.get("DATABASE_URL")));
        dev.finote.db.postgres.DatabaseUrl.parse("DIRECT_DATABASE_URL", String.valueOf(secret.get("DIRECT_DATABASE_URL")));

        Map<String, Object> migrate = map(list(kind(k8s, "Job", "finote-migrate"), "spec", "template", "spec", "containers").getFirst());
        assertThat(list(migrate, "env")).anySatisfy(entry -> {
            assertThat(map(entry)).containsEntry("name", "DIRECT_DATABASE_URL");
            assertThat(map(entry, "valueFrom", "secretKeyRef")).containsEntry("key", "DIRECT_DATABASE_URL");
        });
        assertThat(environmentNames(migrate, k8s)).doesNotContain("DATABASE_URL");
    }

    @Test
    void kubernetesKeepsServerReplicasThroughDisruptionsAndScalesThemWithinWhatThePoolerAccepts() throws IOException {
        List<Map<String, Object>> k8s = kubernetes();
        Map<String, Object> deployment = kind(k8s, "Deployment", "finote");
        Map<String, Object> budget = kind(k8s, "PodDisruptionBudget", "finote");
        Map<String, Object> autoscaler = kind(k8s, "HorizontalPodAutoscaler", "finote");

        assertThat(budget.get("apiVersion")).isEqualTo("policy/v1");
        assertThat(map(budget, "spec", "selector", "matchLabels")).isEqualTo(map(deployment, "spec", "selector", "matchLabels"));
        int minAvailable = (Integer) map(budget, "spec").get("minAvailable");
        assertThat(autoscaler.get("apiVersion")).isEqualTo("autoscaling/v2");
        assertThat(map(autoscaler, "spec", "scaleTargetRef")).containsEntry("kind", "Deployment").containsEntry("name", "finote")
                .containsEntry("apiVersion", deployment.get("apiVersion"));
        int minReplicas = (Integer) map(autoscaler, "spec").get("minReplicas");
        int maxReplicas = (Integer) map(autoscaler, "spec").get("maxReplicas");
        assertThat(minReplicas).as("a budget of %d available leaves room to drain one", minAvailable).isGreaterThan(minAvailable);
        assertThat(maxReplicas).isGreaterThanOrEqualTo(minReplicas);
        // Autoscaling on CPU needs the containers' CPU requests.
        assertThat(map(map(list(deployment, "spec", "template", "spec", "containers").getFirst()), "resources", "requests")).containsKey("cpu");

        int poolPerReplica = Integer.parseInt(String.valueOf(map(kind(k8s, "ConfigMap", "finote-config"), "data").get("DB_POOL_MAX")));
        Map<String, Object> pgbouncer = map(list(kind(k8s, "Deployment", "finote-pgbouncer"), "spec", "template", "spec", "containers").getFirst());
        int maxClients = list(pgbouncer, "env").stream().map(DeploymentFilesTest::map)
                .filter(variable -> "MAX_CLIENT_CONN".equals(variable.get("name"))).map(variable -> Integer.parseInt(String.valueOf(variable.get("value"))))
                .findFirst().orElseThrow();
        assertThat(maxReplicas * poolPerReplica).as("the server connections of every replica fit in PgBouncer's max_client_conn").isLessThanOrEqualTo(maxClients);
    }
}
