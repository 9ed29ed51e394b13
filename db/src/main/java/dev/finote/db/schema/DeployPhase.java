package dev.finote.db.schema;

import java.util.regex.Pattern;

/**
 * When a change may reach the database during a rolling deploy, where the previous release keeps
 * serving until the new one has rolled out.
 *
 * <p>{@link #PRE_DEPLOY}: the running release survives it (adding tables, columns with defaults,
 * indexes, constraints), so it runs before the new servers start. {@link #POST_DEPLOY}: the
 * running release may break on it (a dropped or renamed table or column, a narrowed or converted
 * type, a removed enum value, {@code SET NOT NULL} or a dropped default on a column old code may
 * not write), so it runs once no old server is left — GitLab's post-deployment migrations, the
 * "contract" half of expand/contract.
 *
 * <p>A post-deploy migration file says so in its leading comments with the line {@link #MARKER};
 * a file without it is pre-deploy. The version number keeps Flyway's order: a post-deploy file
 * blocks the later ones until the rollout is done ({@code finote db migrate --pre-deploy} stops
 * before it).
 */
public enum DeployPhase {
    PRE_DEPLOY,
    POST_DEPLOY;

    /** The line that marks a migration file post-deploy; {@code finote db generate} writes it. */
    public static final String MARKER = "-- finote: phase=post-deploy";

    private static final Pattern MARKER_LINE = Pattern.compile("--\\s*finote:\\s*phase\\s*=\\s*post-deploy\\s*");

    /** {@code pre-deploy} or {@code post-deploy}. */
    public String code() {
        return this == PRE_DEPLOY ? "pre-deploy" : "post-deploy";
    }

    /**
     * The phase a migration file declares: post-deploy when one of its leading comment lines
     * (before the first statement) is the marker. Only the header counts, so the words inside a
     * statement or a string never change a file's phase.
     */
    public static DeployPhase ofScript(String sql) {
        for (String line : sql.split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty()) continue;
            if (!trimmed.startsWith("--")) break;
            if (MARKER_LINE.matcher(trimmed).matches()) return POST_DEPLOY;
        }
        return PRE_DEPLOY;
    }
}
