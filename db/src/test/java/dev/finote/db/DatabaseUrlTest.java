package dev.finote.db;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabaseUrlTest {

    @Test
    void parsesTheNodeFormWithEncodedCredentialsAndQuery() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://finote%40ops:p%40ss%3Aw%2Fo+rd@db.internal:6543/finote?sslmode=require");

        assertThat(url.host()).isEqualTo("db.internal");
        assertThat(url.port()).isEqualTo(6543);
        assertThat(url.database()).isEqualTo("finote");
        assertThat(url.user()).isEqualTo("finote@ops");
        assertThat(url.password()).isEqualTo("p@ss:w/o+rd");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6543/finote?sslmode=require");
    }

    @Test
    void acceptsPostgresSchemeJdbcPrefixAndDefaultsThePort() {
        assertThat(DatabaseUrl.parse("postgres://u:p@localhost/finote").port()).isEqualTo(5432);
        assertThat(DatabaseUrl.parse("jdbc:postgresql://localhost:5433/x").jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5433/x");
        assertThat(DatabaseUrl.parse("postgresql://u@[::1]:5432/finote").host()).isEqualTo("[::1]");
    }

    @Test
    void neverShowsThePasswordWhenPrinted() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://finote:topsecret@db:5432/finote");

        assertThat(url.toString()).doesNotContain("topsecret").contains("finote:***@db:5432/finote");
        assertThat(url.describe()).doesNotContain("topsecret");
    }

    @Test
    void roundTripsThroughTheUrlForm() {
        DatabaseUrl url = new DatabaseUrl("localhost", 5432, "finote", "app user", "p@ss w:rd/ü", "sslmode=disable");

        assertThat(DatabaseUrl.parse(url.toUrlWithPassword())).isEqualTo(url);
    }

    @Test
    void refusesWhatItCannotUseWithAReason() {
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://u:p@h/db")).isInstanceOf(InvalidDatabaseUrlException.class)
                .hasMessageContaining("postgresql://");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u:p@host:5432/")).hasMessageContaining("no database");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u:p@ss@host/db")).isInstanceOf(InvalidDatabaseUrlException.class);
        assertThatThrownBy(() -> DatabaseUrl.parse(" ")).hasMessageContaining("empty");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://us er:pw@host/db")).hasMessageContaining("URL-encoded");
    }
}
