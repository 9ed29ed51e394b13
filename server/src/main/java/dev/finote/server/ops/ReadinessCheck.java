package dev.finote.server.ops;

import dev.finote.server.web.ApiExceptionHandler;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import dev.finote.db.schema.DeployPhase;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether this instance can serve: the database answers, and every migration this build
 * ships is recorded as applied in Flyway's history — except post-deploy ones, which run only
 * once this release has rolled out (waiting for them would stop the rollout they wait for). Checked afresh on each probe, so the
 * instance recovers by itself when the database comes back or is migrated.
 */
@Component
public class ReadinessCheck {

    private static final Pattern VERSIONED = Pattern.compile("V([0-9][0-9._]*)__.+\\.sql");

    private final JdbcTemplate jdbc;
    private final SortedSet<String> requiredVersions;

    public ReadinessCheck(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.jdbc.setQueryTimeout(2);
        this.requiredVersions = bundledVersions();
    }

    public Result check() {
        List<String> applied;
        try {
            applied = jdbc.queryForList("SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL", String.class);
        } catch (BadSqlGrammarException e) {
            return Result.notReady("schema_not_initialized", "the database has no migration history; run `finote db migrate`");
        } catch (DataAccessException e) {
            if (ApiExceptionHandler.isUnavailable(e)) {
                return Result.notReady("database_unreachable", "the database does not answer");
            }
            return Result.notReady("database_error", "the database answered with an error");
        }
        Set<String> missing = new TreeSet<>(requiredVersions);
        missing.removeAll(new HashSet<>(applied));
        if (!missing.isEmpty()) {
            return Result.notReady("schema_behind", "this build needs migration(s) "
                    + String.join(", ", missing.stream().map(v -> "V" + v).toList()) + "; run `finote db migrate`");
        }
        return Result.READY;
    }

    /** The versions of the pre-deploy migrations packaged with this build. */
    static SortedSet<String> bundledVersions() {
        try {
            Map<String, String> files = new HashMap<>();
            for (Resource resource : new PathMatchingResourcePatternResolver().getResources("classpath*:db/migration/V*__*.sql")) {
                try (var in = resource.getInputStream()) {
                    files.put(resource.getFilename() == null ? "" : resource.getFilename(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            return requiredVersions(files);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the bundled migrations", e);
        }
    }

    /** The versions a server needs applied, from migration files by name: every one but the post-deploy ones. */
    static SortedSet<String> requiredVersions(Map<String, String> files) {
        SortedSet<String> versions = new TreeSet<>();
        files.forEach((name, sql) -> {
            Matcher matcher = VERSIONED.matcher(name);
            if (matcher.matches() && DeployPhase.ofScript(sql) == DeployPhase.PRE_DEPLOY) versions.add(matcher.group(1).replace('_', '.'));
        });
        return versions;
    }

    public record Result(boolean ready, String reason, String detail) {
        static final Result READY = new Result(true, null, null);

        static Result notReady(String reason, String detail) {
            return new Result(false, reason, detail);
        }
    }
}
