package dev.finote.db.backup;

import dev.finote.db.migrations.ProjectLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class BackupLocationTest {

    @Test
    void backupsGoToDotFinoteInACheckoutElseToTheWorkingDirectory(@TempDir Path dir) {
        Path checkout = dir.resolve("repo");
        Path elsewhere = dir.resolve("cwd");

        assertThat(BackupLocation.defaultDirectory(new ProjectLayout(Optional.of(checkout), elsewhere, Optional.empty())))
                .isEqualTo(checkout.resolve(".finote").resolve("backups"));
        assertThat(BackupLocation.defaultDirectory(new ProjectLayout(Optional.empty(), elsewhere, Optional.empty())))
                .isEqualTo(elsewhere.toAbsolutePath());
    }

    @Test
    void theNameCarriesTheDatabaseAndTheUtcTimeAndNeverReusesAFile(@TempDir Path dir) throws Exception {
        Instant when = Instant.parse("2026-11-25T01:02:03.456Z");

        Path first = BackupLocation.defaultFile(dir, "finote", when);
        Files.writeString(first, "taken");
        Path second = BackupLocation.defaultFile(dir, "finote", when);

        assertThat(first.getFileName().toString()).isEqualTo("finote-20261125T010203Z.finote-backup");
        assertThat(second.getFileName().toString()).isEqualTo("finote-20261125T010203Z-2.finote-backup");
        assertThat(BackupLocation.defaultFile(dir, "my db/../x", when).getFileName().toString())
                .isEqualTo("my_db_.._x-20261125T010203Z.finote-backup");
    }
}
