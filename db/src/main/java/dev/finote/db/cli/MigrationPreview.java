package dev.finote.db.cli;

import dev.finote.db.DatabaseException;
import dev.finote.db.migrations.MigrationFailedException;
import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.Jdbc;
import dev.finote.db.migrations.PendingMigration;
import dev.finote.db.migrations.DataLossScan;
import dev.finote.db.migrations.PreDeploy;
import dev.finote.db.migrations.Preflight;
import dev.finote.db.schema.HazardComment;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * What {@code migrate} checks before it changes anything (the preflight), and what
 * {@code migrate --dry-run} prints: pending files, their phase and hazards, each statement with
 * the rows of the table it changes, and the preflight's results. Read-only throughout.
 */
final class MigrationPreview {

    private final PrintWriter out;

    MigrationPreview(PrintWriter out) {
        this.out = out;
    }

    /** The preflight before a real migrate: silent when there is nothing to check, fails naming every failing statement. */
    void preflight(DatabaseUrl url, List<PendingMigration> toApply) {
        if (toApply.isEmpty()) return;
        Preflight.Report report = run(url, toApply, false);
        List<Preflight.Check> failures = report.failures();
        if (failures.isEmpty()) {
            if (!report.checks().isEmpty()) {
                long passed = report.checks().stream().filter(c -> c.verdict() == Preflight.Verdict.PASSED).count();
                out.println("Preflight: " + passed + " data check(s) passed on the live rows"
                        + (passed < report.checks().size() ? ", " + (report.checks().size() - passed) + " could not be checked yet" : "") + ".");
                out.flush();
            }
            return;
        }
        failures.forEach(failure -> out.println("preflight: " + failure.describe()));
        out.flush();
        throw refusal(failures);
    }

    /** {@code migrate --dry-run}: prints and changes nothing; fails like migrate would when a preflight check fails. */
    void dryRun(DatabaseUrl url, List<PendingMigration> pending, List<PendingMigration> toApply) {
        out.println("Dry run on " + url.describe() + ": nothing is changed.");
        if (pending.isEmpty()) {
            out.println("No pending migrations.");
            return;
        }
        Preflight.Report report = run(url, toApply, true);
        for (PendingMigration migration : pending) {
            boolean applied = toApply.contains(migration);
            out.println("V" + migration.version() + "  " + migration.script() + "  "
                    + (PreDeploy.isPostDeploy(migration) ? "post-deploy" : "pre-deploy")
                    + (applied ? "" : "  (held back: --pre-deploy stops before the first post-deploy migration)"));
            TreeSet<String> hazards = new TreeSet<>(HazardComment.codes(migration.sql()));
            out.println("  hazards: " + (hazards.isEmpty() ? "none marked" : String.join(", ", hazards)));
            DataLossScan.scan(migration.sql()).forEach(finding -> out.println("  can lose data: " + finding));
            if (!applied) continue;
            report.statements().stream().filter(s -> s.migration().equals(migration)).forEach(s -> out.println("  rows "
                    + (s.rows() < 0 ? "(new table)" : String.format(Locale.ROOT, "%,d in %s", s.rows(), s.table())) + ": " + s.statement()));
            report.checks().stream().filter(c -> c.migration().equals(migration)).forEach(c -> out.println("  preflight: "
                    + c.describe().substring(c.describe().indexOf("): ") + 3)));
        }
        out.flush();
        if (!report.failures().isEmpty()) throw refusal(report.failures());
        out.println("Preflight: every check passed or could not be made yet (see above); `finote db migrate"
                + (toApply.size() < pending.size() ? " --pre-deploy" : "") + "` would apply " + toApply.size() + " migration(s).");
    }

    private static Preflight.Report run(DatabaseUrl url, List<PendingMigration> toApply, boolean countRows) {
        try (Connection connection = Jdbc.connect(url)) {
            return Preflight.run(connection, toApply, countRows);
        } catch (SQLException e) {
            throw new DatabaseException("could not check the pending migrations against " + url.describe() + ": " + e.getMessage(), e);
        }
    }

    /**
     * A refusal that names the first failing migration, so that migrate remembers it as failed and
     * never applied ({@code status} and {@code generate} then say to fix or delete that file).
     */
    private static MigrationFailedException refusal(List<Preflight.Check> failures) {
        Preflight.Check first = failures.getFirst();
        return new MigrationFailedException("preflight: " + failures.size() + " check(s) fail on the live data, so nothing was applied; first: "
                + first.describe(),
                "fix those rows (or the migration, if it has not run anywhere yet), then run finote db migrate again;"
                        + " finote db migrate --dry-run lists every check", null, first.migration().version(), first.migration().script());
    }
}
