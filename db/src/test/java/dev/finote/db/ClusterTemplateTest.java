package dev.finote.db;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The cluster template is copied only when nobody but the current user could have written it (review M2). */
class ClusterTemplateTest {

    private static final String PLANTED = "# planted by another user";

    @TempDir
    Path tempDir;

    private final List<Path> copies = new ArrayList<>();

    @AfterEach
    void removeCopies() {
        copies.forEach(ClusterTemplate::deleteQuietly);
    }

    @Test
    void aPrivateTemplateIsKeptInTheCacheFolderAndReused() throws IOException {
        Path cache = tempDir.resolve("cache");
        copy(cache);
        Path template = onlyTemplateIn(cache);
        assertThat(Files.getPosixFilePermissions(cache)).containsExactlyInAnyOrderElementsOf(PosixFilePermissions.fromString("rwx------"));
        assertThat(ClusterTemplate.trusted(template, Files.getOwner(tempDir))).isTrue();
        Files.writeString(template.resolve("reused-marker"), "x");

        Path second = copy(cache);

        assertThat(second.resolve("reused-marker")).as("the second copy comes from the same template").exists();
        assertThat(second.resolve("PG_VERSION")).exists();
    }

    @Test
    void aTemplateWritableByOthersIsRebuiltNotUsed() throws IOException {
        Path cache = tempDir.resolve("cache");
        copy(cache);
        Path template = onlyTemplateIn(cache);
        Files.writeString(template.resolve("postgresql.conf"), "\n" + PLANTED + "\n", StandardOpenOption.APPEND);
        Files.setPosixFilePermissions(template, PosixFilePermissions.fromString("rwxrwxrwx"));

        Path copy = copy(cache);

        assertThat(Files.readString(copy.resolve("postgresql.conf"))).doesNotContain(PLANTED);
        Path rebuilt = onlyTemplateIn(cache);
        assertThat(Files.readString(rebuilt.resolve("postgresql.conf"))).doesNotContain(PLANTED);
        assertThat(ClusterTemplate.trusted(rebuilt, Files.getOwner(tempDir))).isTrue();
        try (EmbeddedDatabase started = EmbeddedDatabase.temporary(copy)) {
            assertThat(started.url().database()).isEqualTo(EmbeddedDatabase.DATABASE_NAME);
        }
    }

    @Test
    void aWritableFileInsideTheTemplateIsNotTrusted() throws IOException {
        Path cache = tempDir.resolve("cache");
        copy(cache);
        Path template = onlyTemplateIn(cache);
        assertThat(ClusterTemplate.trusted(template, Files.getOwner(tempDir))).isTrue();

        Files.setPosixFilePermissions(template.resolve("postgresql.conf"), PosixFilePermissions.fromString("rw-rw-rw-"));

        assertThat(ClusterTemplate.trusted(template, Files.getOwner(tempDir))).isFalse();
    }

    @Test
    void aTemplatePlantedInACacheFolderOthersCanWriteIsNotUsed() throws IOException {
        Path privateCache = tempDir.resolve("private");
        copy(privateCache);
        Path genuine = onlyTemplateIn(privateCache);
        Path shared = Files.createDirectory(tempDir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        // A complete, private-looking template, as another user could leave in a folder they can write.
        Path planted = shared.resolve(genuine.getFileName());
        copyTree(genuine, planted);
        Files.writeString(planted.resolve("postgresql.conf"), "\n" + PLANTED + "\n", StandardOpenOption.APPEND);
        assertThat(ClusterTemplate.trusted(planted, Files.getOwner(tempDir))).as("the template alone looks fine").isTrue();

        Path copy = copy(shared);

        assertThat(Files.readString(copy.resolve("postgresql.conf"))).doesNotContain(PLANTED);
        assertThat(copy.resolve("PG_VERSION")).exists();
    }

    private Path copy(Path cache) {
        Path copy = ClusterTemplate.copyToNewDirectory(cache);
        copies.add(copy);
        return copy;
    }

    private static Path onlyTemplateIn(Path cache) throws IOException {
        try (Stream<Path> entries = Files.list(cache)) {
            List<Path> templates = entries.filter(path -> path.getFileName().toString().startsWith("pg-template-")).toList();
            assertThat(templates).hasSize(1);
            return templates.getFirst();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                    Files.setPosixFilePermissions(target, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                            PosixFilePermission.OWNER_EXECUTE));
                } else {
                    Files.copy(source, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
