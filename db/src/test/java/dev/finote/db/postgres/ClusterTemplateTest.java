package dev.finote.db.postgres;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
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

    @Test
    void theTemplateNameIsTheBinariesVersionWhereverTheirJarLies() {
        // Before: a hash of the resource's whole address, so every checkout (and the tests) made its own template.
        assertThat(ClusterTemplate.binariesVersion()).matches("linux-amd64-\\d+\\.\\d+\\.\\d+");
    }

    @Test
    void templatesOfOtherVersionsAndLeftoversUnusedForAnHourAreRemoved() throws IOException {
        Path cache = tempDir.resolve("cache");
        copy(cache);
        Path current = onlyTemplateIn(cache);
        Instant longAgo = Instant.now().minus(ClusterTemplate.STALE_AFTER).minusSeconds(60);
        Path oldVersion = staleEntry(cache, "pg-template-2-b91f5d8e", longAgo);
        Path otherVersion = staleEntry(cache, "pg-template-3-linux-amd64-14.21.0", longAgo);
        Path interrupted = staleEntry(cache, current.getFileName() + ".new-123", longAgo);
        Path recentlyUsed = staleEntry(cache, "pg-template-3-linux-amd64-18.2.0", Instant.now());
        Path inProgress = staleEntry(cache, current.getFileName() + ".new-456", Instant.now());
        Files.setLastModifiedTime(current, FileTime.from(longAgo));
        Path unrelated = Files.createDirectory(cache.resolve("something-else"));
        Files.setLastModifiedTime(unrelated, FileTime.from(longAgo));

        copy(cache);

        assertThat(oldVersion).doesNotExist();
        assertThat(otherVersion).doesNotExist();
        assertThat(interrupted).doesNotExist();
        assertThat(current).as("the template in use stays, however old").exists();
        assertThat(Files.getLastModifiedTime(current).toInstant()).as("and is marked as used").isAfter(longAgo.plusSeconds(60));
        assertThat(recentlyUsed).as("another checkout used it within the hour").exists();
        assertThat(inProgress).as("another process is still initialising it").exists();
        assertThat(unrelated).exists();
        try (Stream<Path> entries = Files.list(cache)) {
            assertThat(entries.map(path -> path.getFileName().toString())).noneMatch(name -> name.contains(".stale-"));
        }
    }

    private static Path staleEntry(Path cache, String name, Instant modified) throws IOException {
        Path entry = Files.createDirectories(cache.resolve(name));
        Files.writeString(entry.resolve("PG_VERSION"), "15\n");
        Files.setLastModifiedTime(entry, FileTime.from(modified));
        return entry;
    }

    private Path copy(Path cache) {
        Path copy = ClusterTemplate.copyToNewDirectory(cache);
        copies.add(copy);
        return copy;
    }

    private static Path onlyTemplateIn(Path cache) throws IOException {
        try (Stream<Path> entries = Files.list(cache)) {
            List<Path> templates = entries.filter(path -> path.getFileName().toString().startsWith("pg-template-3-linux-amd64-15")).toList();
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
