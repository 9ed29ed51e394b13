package dev.finote.db.schema;

import dev.finote.db.DatabaseUrl;
import dev.finote.db.Migrator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exact migration text {@link Plan#toSql()} writes for named changes (golden files under
 * {@code src/test/resources/golden/}; regenerate with {@code -Dgolden.update=true} and review the
 * diff), and proof that Flyway, configured as {@link Migrator}, runs that text to the desired schema.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GoldenPlanTest {

    private static final String BASE = """
            CREATE TYPE mood AS ENUM ('happy', 'sad');
            CREATE TABLE users (
                id serial PRIMARY KEY,
                username text NOT NULL,
                CONSTRAINT users_username_unique UNIQUE (username)
            );
            CREATE TABLE notes (
                id serial PRIMARY KEY,
                user_id integer NOT NULL,
                title text NOT NULL,
                color text DEFAULT 'default',
                mood mood,
                created_at timestamp DEFAULT now()
            );
            """;

    private ShadowDatabase shadow;

    @BeforeAll
    void start() {
        shadow = ShadowDatabase.open(Map.of());
    }

    @AfterAll
    void stop() {
        shadow.close();
    }

    static Stream<Arguments> changes() {
        return Stream.of(
                Arguments.of("add_column_with_default", BASE.replace("    created_at timestamp DEFAULT now()\n",
                        "    created_at timestamp DEFAULT now(),\n    is_archived boolean NOT NULL DEFAULT false,\n    uid uuid NOT NULL DEFAULT gen_random_uuid()\n"), DiffOptions.NONE),
                Arguments.of("drop_column", BASE.replace("    color text DEFAULT 'default',\n", ""), DiffOptions.NONE),
                Arguments.of("add_index_on_existing_table", BASE + "CREATE INDEX notes_user_created_idx ON notes (user_id, created_at DESC) WHERE color <> 'hidden';\n", DiffOptions.NONE),
                Arguments.of("add_foreign_key_to_existing_table", BASE + "ALTER TABLE notes ADD CONSTRAINT notes_user_id_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE;\n", DiffOptions.NONE),
                Arguments.of("change_type_narrowing", BASE.replace("title text NOT NULL", "title varchar(10) NOT NULL").replace("user_id integer", "user_id smallint"), DiffOptions.NONE),
                Arguments.of("add_enum_value", BASE.replace("('happy', 'sad')", "('happy', 'calm', 'sad', 'angry')"), DiffOptions.NONE),
                Arguments.of("rename_column_declared", BASE.replace("    color text", "    colour text"),
                        new DiffOptions(Map.of(), Map.of("notes.color", "colour"))),
                Arguments.of("rename_table_declared", BASE.replace("TABLE notes", "TABLE memos"),
                        new DiffOptions(Map.of("notes", "memos"), Map.of())),
                Arguments.of("add_unique_and_check_to_existing_table", BASE + """
                        ALTER TABLE notes ADD CONSTRAINT notes_title_unique UNIQUE (title);
                        ALTER TABLE notes ADD CONSTRAINT notes_color_check CHECK (color <> '');
                        """, DiffOptions.NONE),
                Arguments.of("set_not_null", BASE.replace("color text DEFAULT 'default'", "color text NOT NULL DEFAULT 'default'"), DiffOptions.NONE),
                Arguments.of("remove_enum_value", BASE.replace("('happy', 'sad')", "('happy')"), DiffOptions.NONE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void migrationTextIsExactAndFlywayRunsIt(String name, String changed, DiffOptions options, @TempDir Path dir) throws Exception {
        Catalog current = shadow.catalogOfSql(BASE);
        Catalog desired = shadow.catalogOfSql(changed);
        Plan plan = SchemaDiff.plan(current, desired, options);
        String sql = plan.toSql();

        Path golden = Path.of("src/test/resources/golden", name + ".sql");
        if (Boolean.getBoolean("golden.update")) Files.writeString(golden, sql);
        assertThat(sql).as("golden file " + golden + " (regenerate with -Dgolden.update=true)").isEqualTo(Files.readString(golden));

        // as `finote db generate` would ship it: V1 the old schema, V2 the generated text
        Path migrations = Files.createDirectories(dir.resolve("migration"));
        Files.writeString(migrations.resolve("V1__base.sql"), BASE + "INSERT INTO users (username) VALUES ('ada');\n"
                + "INSERT INTO notes (user_id, title, mood) VALUES (1, 'hello', 'happy');\n");
        Files.writeString(migrations.resolve("V2__" + name + ".sql"), sql);
        DatabaseUrl db = shadow.freshDatabase();
        new Migrator(db, "filesystem:" + migrations).migrate();
        Catalog migrated = ShadowDatabase.catalogOf(db);
        assertThat(desired.differencesFrom(migrated)).isEmpty();
        assertThat(migrated).isEqualTo(desired);
        shadow.dropDatabase(db);
    }
}
