package dev.finote.db.cli;

import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.EmbeddedDatabase;
import dev.finote.db.postgres.Jdbc;
import dev.finote.db.schema.DeployPhase;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rolling deploys (issue 10, section 2): generate puts what the running release cannot survive
 * into post-deploy files, {@code migrate --pre-deploy} stops before them, status marks them, and
 * check refuses an unmarked migration that holds such a change. Real PostgreSQL throughout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeployPhasesTest {

    private static final String V1 = """
            CREATE TABLE users (id serial PRIMARY KEY, username text NOT NULL UNIQUE);
            CREATE TABLE notes (id serial PRIMARY KEY, user_id integer NOT NULL REFERENCES users (id), title text NOT NULL,
                                color text DEFAULT 'blue', body text);
            """;

    @AutoClose
    private final EmbeddedDatabase postgres = EmbeddedDatabase.temporary();
    private final DbCli cli = new DbCli(postgres);
    private Path migrations;
    private Path schema;

    @BeforeEach
    void project(@TempDir Path dir) throws Exception {
        migrations = Files.createDirectories(dir.resolve("migration"));
        schema = dir.resolve("schema.sql");
        Files.writeString(migrations.resolve("V1__init.sql"), V1);
        Files.writeString(schema, V1);
    }

    private DbCli.Run db(String... args) {
        return cli.run(Map.of("SHADOW_DATABASE_URL", postgres.url().withDatabase("postgres").toUrlWithPassword()), args);
    }

    private String[] sources(String... args) {
        return Stream.concat(Stream.of(args), Stream.of("--schema", schema.toString(), "--migrations", migrations.toString())).toArray(String[]::new);
    }

    private List<String> files() throws Exception {
        try (Stream<Path> list = Files.list(migrations)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static List<String> column(DatabaseUrl url, String query) throws SQLException {
        try (Connection connection = Jdbc.connect(url); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(query)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) values.add(rs.getString(1));
            return values;
        }
    }

    @Test
    void aDiffWithAnAdditionAndADropBecomesAPreDeployFileThenAPostDeployOneAndMigratePreDeployStopsBetween() throws Exception {
        Files.writeString(schema, V1.replace("color text DEFAULT 'blue', ", "").replace("body text", "body text, pinned boolean NOT NULL DEFAULT false"));
        DbCli.Run generated = db(sources("generate", "--name", "pinned not color"));

        assertThat(generated.exitCode()).as(generated.all()).isZero();
        assertThat(files()).containsExactly("V1__init.sql", "V2__pinned_not_color_part1.sql", "V3__pinned_not_color_part2.sql");
        String pre = Files.readString(migrations.resolve("V2__pinned_not_color_part1.sql"));
        String post = Files.readString(migrations.resolve("V3__pinned_not_color_part2.sql"));
        assertThat(pre).contains("ADD COLUMN pinned").doesNotContain("DROP COLUMN", DeployPhase.MARKER);
        assertThat(post).contains(DeployPhase.MARKER, "DROP COLUMN color").doesNotContain("ADD COLUMN");
        assertThat(generated.out()).contains("V3__pinned_not_color_part2.sql  (post-deploy)", "finote db migrate --pre-deploy");

        DatabaseUrl url = cli.newDatabase();
        DbCli.Run preDeploy = db("migrate", "--pre-deploy", "--url", url.toUrlWithPassword(), "--migrations", migrations.toString());
        assertThat(preDeploy.exitCode()).as(preDeploy.all()).isZero();
        assertThat(preDeploy.out()).contains("V1, V2", "Held back", "V3__pinned_not_color_part2.sql");
        assertThat(column(url, "SELECT column_name FROM information_schema.columns WHERE table_name = 'notes' ORDER BY 1"))
                .contains("pinned", "color"); // the old release still finds color

        DbCli.Run status = db("status", "--no-compare", "--url", url.toUrlWithPassword(), "--migrations", migrations.toString());
        assertThat(status.exitCode()).isEqualTo(StatusCommand.EXIT_PENDING);
        assertThat(status.out()).containsPattern("V3 +pending post-deploy").contains("1 of them post-deploy", "--pre-deploy");

        DbCli.Run again = db("migrate", "--pre-deploy", "--url", url.toUrlWithPassword(), "--migrations", migrations.toString());
        assertThat(again.exitCode()).as(again.all()).isZero();
        assertThat(column(url, "SELECT version FROM flyway_schema_history ORDER BY installed_rank")).containsExactly("1", "2");

        DbCli.Run rest = db("migrate", "--url", url.toUrlWithPassword(), "--migrations", migrations.toString());
        assertThat(rest.exitCode()).as(rest.all()).isZero();
        assertThat(column(url, "SELECT column_name FROM information_schema.columns WHERE table_name = 'notes'")).doesNotContain("color");
        assertThat(db("status", "--no-compare", "--url", url.toUrlWithPassword(), "--migrations", migrations.toString()).exitCode()).isZero();
        assertThat(db(sources("check")).exitCode()).isZero();
    }

    @Test
    void aValidationRunsInATransactionOfItsOwnSoNoExclusiveLockIsHeldWhileItScans() throws Exception {
        Files.writeString(schema, V1.replace("body text", "body text, priority integer NOT NULL DEFAULT 0 CONSTRAINT notes_priority_check CHECK (priority >= 0)"));
        DbCli.Run generated = db(sources("generate", "--name", "priority"));

        assertThat(generated.exitCode()).as(generated.all()).isZero();
        assertThat(files()).containsExactly("V1__init.sql", "V2__priority_part1.sql", "V3__priority_part2.sql");
        assertThat(Files.readString(migrations.resolve("V2__priority_part1.sql")))
                .contains("ADD COLUMN priority", "CHECK ((priority >= 0)) NOT VALID").doesNotContain("VALIDATE CONSTRAINT");
        assertThat(Files.readString(migrations.resolve("V3__priority_part2.sql")))
                .contains("VALIDATE CONSTRAINT notes_priority_check").doesNotContain("ADD COLUMN", "NOT VALID");
    }

    @Test
    void setNotNullAndADroppedDefaultArePostDeploy() throws Exception {
        Files.writeString(schema, V1.replace("color text DEFAULT 'blue'", "color text").replace("body text", "body text NOT NULL"));
        DbCli.Run generated = db(sources("generate", "--name", "tighten"));

        assertThat(generated.exitCode()).as(generated.all()).isZero();
        assertThat(files()).containsExactly("V1__init.sql", "V2__tighten.sql");
        assertThat(Files.readString(migrations.resolve("V2__tighten.sql"))).contains(DeployPhase.MARKER, "SET NOT NULL", "DROP DEFAULT");
    }

    @Test
    void removingAnEnumValueIsPostDeploy() throws Exception {
        String withMood = V1 + "CREATE TYPE mood AS ENUM ('calm', 'busy');\nALTER TABLE notes ADD COLUMN mood mood;\n";
        Files.writeString(migrations.resolve("V2__mood.sql"), "CREATE TYPE mood AS ENUM ('calm', 'busy');\nALTER TABLE notes ADD COLUMN mood mood;\n");
        Files.writeString(schema, withMood.replace("('calm', 'busy')", "('calm')"));
        DbCli.Run generated = db(sources("generate", "--name", "calm only"));

        assertThat(generated.exitCode()).as(generated.all()).isZero();
        assertThat(files()).containsExactly("V1__init.sql", "V2__mood.sql", "V3__calm_only.sql");
        assertThat(Files.readString(migrations.resolve("V3__calm_only.sql"))).contains(DeployPhase.MARKER, "CREATE TYPE mood AS ENUM ('calm')");
    }

    @Test
    void aDeclaredRenameIsRefusedWithTheExpandContractSequenceUnlessAllowed() throws Exception {
        Files.writeString(schema, V1.replace("body text", "content text"));
        DbCli.Run refused = db(sources("generate", "--rename-column", "notes.body=content"));

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.out()).contains("expand/contract", "add content beside body",
                "UPDATE notes SET content = body WHERE content IS NULL", "post-deploy migration");
        assertThat(refused.err()).contains("error: a declared rename breaks the release still serving", "--allow-rename-in-one-release");
        assertThat(files()).containsExactly("V1__init.sql");

        DbCli.Run allowed = db(sources("generate", "--name", "rename", "--rename-column", "notes.body=content", "--allow-rename-in-one-release"));
        assertThat(allowed.exitCode()).as(allowed.all()).isZero();
        assertThat(Files.readString(migrations.resolve("V2__rename.sql"))).contains(DeployPhase.MARKER, "RENAME COLUMN body TO content");
    }

    @Test
    void whenAPreDeployStepNeedsAPostDeployOneTheWholeChangeWaitsForTheRolloutInThePlannersOrder() throws Exception {
        // the index needs the renamed column: moving the rename after it would break the migration
        Files.writeString(schema, V1.replace("body text", "content text") + "CREATE INDEX notes_content_idx ON notes (content);\n");
        DbCli.Run generated = db(sources("generate", "--name", "content", "--rename-column", "notes.body=content", "--allow-rename-in-one-release"));

        assertThat(generated.exitCode()).as(generated.all()).isZero();
        assertThat(files()).hasSizeGreaterThan(2).startsWith("V1__init.sql");
        for (String file : files().subList(1, files().size())) {
            assertThat(DeployPhase.ofScript(Files.readString(migrations.resolve(file)))).as(file).isEqualTo(DeployPhase.POST_DEPLOY);
        }
        DatabaseUrl url = cli.newDatabase();
        assertThat(db("migrate", "--url", url.toUrlWithPassword(), "--migrations", migrations.toString()).exitCode()).isZero();
        assertThat(db(sources("check")).exitCode()).isZero();
    }

    @Test
    void aNotNullColumnWithoutADefaultOnAnExistingTableIsRefusedSayingWhatToWriteInstead() throws Exception {
        Files.writeString(schema, V1.replace("body text", "body text, priority integer NOT NULL"));
        DbCli.Run refused = db(sources("generate", "--name", "priority"));

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("error: the change would fail on a table with rows", "priority is NOT NULL without a default",
                "next:", "DEFAULT", "SET NOT NULL");
        assertThat(files()).containsExactly("V1__init.sql");

        // a new table may have NOT NULL columns without defaults: it has no rows
        Files.writeString(schema, V1 + "CREATE TABLE tags (id serial PRIMARY KEY, name text NOT NULL);\n");
        assertThat(db(sources("generate", "--name", "tags")).exitCode()).isZero();
    }

    @Test
    void checkRefusesAnUnmarkedDropUnlessMarkedOrAcknowledgedAndPassesAdditiveMigrations() throws Exception {
        Files.writeString(schema, V1 + "CREATE TABLE tags (id serial PRIMARY KEY, name text NOT NULL);\n"
                + "ALTER TABLE notes ADD COLUMN archived boolean NOT NULL DEFAULT false;\n");
        Files.writeString(migrations.resolve("V2__additive.sql"), """
                CREATE TABLE tags (id serial PRIMARY KEY, name text NOT NULL);
                ALTER TABLE notes ADD COLUMN archived boolean NOT NULL DEFAULT false;
                """);
        DbCli.Run additive = db(sources("check"));
        assertThat(additive.exitCode()).as(additive.all()).isZero();

        Files.writeString(schema, Files.readString(schema).replace("color text DEFAULT 'blue', ", ""));
        Files.writeString(migrations.resolve("V3__drop_color.sql"),
                "-- hazard: deletes-data: nobody picks colors\nALTER TABLE notes DROP COLUMN color;\n");
        DbCli.Run unmarked = db(sources("check"));
        assertThat(unmarked.exitCode()).isEqualTo(1);
        assertThat(unmarked.out()).contains("V3 V3__drop_color.sql: breaks the release still serving (NOT MARKED post-deploy)");
        assertThat(unmarked.err()).contains("V3 holds a change the previous release cannot survive", DeployPhase.MARKER, "breaks-running-release");

        Files.writeString(migrations.resolve("V3__drop_color.sql"),
                "-- hazard: deletes-data: nobody picks colors\n-- hazard: breaks-running-release: we stop all servers\nALTER TABLE notes DROP COLUMN color;\n");
        assertThat(db(sources("check")).exitCode()).isZero();
        Files.writeString(migrations.resolve("V3__drop_color.sql"),
                DeployPhase.MARKER + "\n-- hazard: deletes-data: nobody picks colors\nALTER TABLE notes DROP COLUMN color;\n");
        assertThat(db(sources("check")).exitCode()).isZero();
    }

    @Test
    void theHelpDescribesThePhasesThePreflightAndTheDryRun() {
        assertThat(db("migrate", "--help").out()).contains("--pre-deploy", "--dry-run", "--no-preflight", "post-deploy", "Preflight");
        assertThat(db("generate", "--help").out()).contains("--allow-rename-in-one-release", "-- finote: phase=post-deploy");
        assertThat(db("check", "--help").out()).contains("breaks-running-release");
        assertThat(db("status", "--help").out()).contains("pending post-deploy");
    }

    @Test
    void onlyTheHeaderMarksAFilePostDeploy() {
        assertThat(DeployPhase.ofScript("-- Generated\n" + DeployPhase.MARKER + "\n\nDROP TABLE t;\n")).isEqualTo(DeployPhase.POST_DEPLOY);
        assertThat(DeployPhase.ofScript("CREATE TABLE t (id int);\n" + DeployPhase.MARKER + "\n")).isEqualTo(DeployPhase.PRE_DEPLOY);
        assertThat(DeployPhase.ofScript("SELECT '\n-- finote: phase=post-deploy\n';")).isEqualTo(DeployPhase.PRE_DEPLOY);
        assertThat(DeployPhase.ofScript("CREATE TABLE t (id int);")).isEqualTo(DeployPhase.PRE_DEPLOY);
    }
}
