package dev.finote.db;

import dev.finote.db.postgres.InvalidDatabaseUrlException;

import dev.finote.db.backup.LifecycleException;
import dev.finote.db.migrations.AdoptionRefusedException;
import dev.finote.db.schema.UnsupportedSchemaObjectsException;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every failure type prints through the one printer: {@code error:}, its details, {@code next:} (its own, else its kind's). */
class ActionableExceptionTest {

    private static String printed(ActionableException failure) {
        StringWriter out = new StringWriter();
        try (PrintWriter err = new PrintWriter(out)) {
            failure.print(err);
        }
        return out.toString().replace(System.lineSeparator(), "\n");
    }

    @Test
    void printsTheMessageAndTheNextStepTheThrowerGave() {
        assertThat(printed(new ActionableException("refusing to reset without confirmation", "finote db reset --confirm finote")))
                .isEqualTo("error: refusing to reset without confirmation\nnext:  finote db reset --confirm finote\n");
        assertThat(printed(new ActionableException("no advice", null))).isEqualTo("error: no advice\n");
        assertThat(printed(new DatabaseException("lock timeout", "retry later", null))).isEqualTo("error: lock timeout\nnext:  retry later\n");
    }

    @Test
    void withoutANextStepEachKindGivesItsOwn() {
        assertThat(printed(new DatabaseException("could not connect")))
                .isEqualTo("error: could not connect\nnext:  check that PostgreSQL is running and DATABASE_URL is right, then try again\n");
        assertThat(printed(new InvalidDatabaseUrlException("it has no host")))
                .isEqualTo("error: DATABASE_URL is not usable: it has no host\n"
                        + "next:  set DATABASE_URL (or --url) to postgresql://user:password@host:5432/finote\n");
        assertThat(printed(new UnsupportedSchemaObjectsException(List.of("rule r on notes"))))
                .startsWith("error: the schema holds objects Finote's schema engine does not manage: rule r on notes")
                .endsWith("\nnext:  drop them if the application does not need them; Finote's db commands cannot manage a database that holds them,"
                        + " since they could neither compare nor recreate them\n");
        assertThat(printed(LifecycleException.damaged("it ends early")))
                .isEqualTo("error: the backup is damaged: it ends early\nnext:  use another copy of the backup, or take a new one with: finote db backup\n");
    }

    @Test
    void detailsGoUnderTheMessage() {
        assertThat(printed(new AdoptionRefusedException("the schema is no migration version", List.of("table a is extra", "column b.c is missing"))))
                .isEqualTo("""
                        error: the schema is no migration version:
                                 - table a is extra
                                 - column b.c is missing
                        next:  make the database match a migration version (or start from an empty database); \
                        `finote db status` shows the schema it expects
                        """);
    }
}
