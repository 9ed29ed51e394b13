package dev.finote.db.cli;

import dev.finote.db.postgres.EmbeddedDatabase;
import dev.finote.db.schema.Catalog;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The golden files are the migration files exactly as {@code finote db generate} writes them
 * for named changes: {@code src/test/resources/golden/<change>/V2__<change>.sql} and any further
 * parts (regenerate with {@code -Dgolden.update=true} and review the diff). Each set is then run
 * by Flyway, configured as {@code Migrator}, over a database with rows, to the desired schema.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GoldenMigrationsTest {

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

    private static final String ROWS = "INSERT INTO users (username) VALUES ('ada');\n"
            + "INSERT INTO notes (user_id, title, mood) VALUES (1, 'hello', 'happy');\n";

    @AutoClose
    private final EmbeddedDatabase postgres = EmbeddedDatabase.temporary();

    static Stream<Arguments> changes() {
        return Stream.of(
                Arguments.of("add_column_with_default", BASE.replace("    created_at timestamp DEFAULT now()\n",
                        "    created_at timestamp DEFAULT now(),\n    is_archived boolean NOT NULL DEFAULT false,\n    uid uuid NOT NULL DEFAULT gen_random_uuid()\n"), new String[0]),
                Arguments.of("drop_column", BASE.replace("    color text DEFAULT 'default',\n", ""), new String[0]),
                Arguments.of("add_index_on_existing_table", BASE + "CREATE INDEX notes_user_created_idx ON notes (user_id, created_at DESC) WHERE color <> 'hidden';\n", new String[0]),
                Arguments.of("add_foreign_key_to_existing_table", BASE + "ALTER TABLE notes ADD CONSTRAINT notes_user_id_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE;\n", new String[0]),
                Arguments.of("change_type_narrowing", BASE.replace("title text NOT NULL", "title varchar(10) NOT NULL").replace("user_id integer", "user_id smallint"), new String[0]),
                Arguments.of("add_enum_value", BASE.replace("('happy', 'sad')", "('happy', 'calm', 'sad', 'angry')"), new String[0]),
                Arguments.of("rename_column_declared", BASE.replace("    color text", "    colour text"),
                        new String[] {"--rename-column", "notes.color=colour", "--allow-rename-in-one-release"}),
                Arguments.of("rename_table_declared", BASE.replace("TABLE notes", "TABLE memos"),
                        new String[] {"--rename-table", "notes=memos", "--allow-rename-in-one-release"}),
                Arguments.of("add_unique_and_check_to_existing_table", BASE + """
                        ALTER TABLE notes ADD CONSTRAINT notes_title_unique UNIQUE (title);
                        ALTER TABLE notes ADD CONSTRAINT notes_color_check CHECK (color <> '');
                        """, new String[0]),
                Arguments.of("set_not_null", BASE.replace("color text DEFAULT 'default'", "color text NOT NULL DEFAULT 'default'"), new String[0]),
                Arguments.of("remove_enum_value", BASE.replace("('happy', 'sad')", "('happy')"), new String[0]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void generateWritesExactlyTheGoldenFilesAndFlywayRunsThem(String name, String changed, String[] options) throws Exception {
        var server = postgres.url().withDatabase("postgres");
        GeneratedChange.Result generated = GeneratedChange.generate(server, BASE, changed, name, options);
        assertThat(generated.run().exitCode()).as(generated.run().toString()).isZero();

        Path golden = Path.of("src/test/resources/golden", name);
        if (Boolean.getBoolean("golden.update")) {
            if (Files.isDirectory(golden)) try (Stream<Path> old = Files.list(golden)) { for (Path file : old.toList()) Files.delete(file); }
            Files.createDirectories(golden);
            for (var file : generated.files().entrySet()) Files.writeString(golden.resolve(file.getKey()), file.getValue());
        }
        Map<String, String> expected = new TreeMap<>();
        try (Stream<Path> files = Files.list(golden)) {
            for (Path file : files.toList()) expected.put(file.getFileName().toString(), Files.readString(file));
        }
        assertThat(generated.files()).as("golden files in " + golden + " (regenerate with -Dgolden.update=true)")
                .containsExactlyEntriesOf(expected);

        Catalog migrated = GeneratedChange.migrate(server, BASE, ROWS, generated.files());
        Catalog desired = GeneratedChange.catalogOf(server, changed);
        assertThat(desired.differencesFrom(migrated)).isEmpty();
        assertThat(migrated).isEqualTo(desired);
    }
}
