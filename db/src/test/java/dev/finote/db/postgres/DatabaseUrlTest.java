package dev.finote.db.postgres;

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

    @Test
    void anUnencodedAtInThePasswordGetsThePercent40Hint() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://finote:p@ss@db:5432/finote"))
                .isInstanceOf(InvalidDatabaseUrlException.class)
                .hasMessageContaining("more than one @").hasMessageContaining("%40")
                .hasMessageNotContaining("p@ss");
        assertThat(DatabaseUrl.parse("postgresql://finote:p%40ss@db:5432/finote").password()).isEqualTo("p@ss");
    }

    @Test
    void otherUnencodedCharactersInThePasswordGetTheEncodingHint() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://finote:pa/ss@db:5432/finote")).hasMessageContaining("%2F");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://finote:pa#ss@db:5432/finote")).hasMessageContaining("%23");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://finote:100%@db:5432/finote")).hasMessageContaining("%25");
    }

    @Test
    void acceptsSeveralHostsForFailoverAsLibpqDoes() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://u:p@db1:5433,db2,[::1]:5434/finote?target_session_attrs=read-write");

        assertThat(url.endpoints()).containsExactly(new DatabaseUrl.Endpoint("db1", 5433),
                new DatabaseUrl.Endpoint("db2", 5432), new DatabaseUrl.Endpoint("[::1]", 5434));
        assertThat(url.host()).isEqualTo("db1");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db1:5433,db2:5432,[::1]:5434/finote?targetServerType=primary");
        assertThat(url.describe()).isEqualTo("db1:5433,db2:5432,[::1]:5434/finote");
        assertThat(DatabaseUrl.parse(url.toUrlWithPassword())).isEqualTo(url);
    }

    @Test
    void mapsTargetSessionAttrsOntoPgjdbcsTargetServerType() {
        assertThat(DatabaseUrl.parse("postgresql://h/db?target_session_attrs=primary").jdbcUrl()).endsWith("?targetServerType=primary");
        assertThat(DatabaseUrl.parse("postgresql://h/db?target_session_attrs=any").jdbcUrl()).endsWith("?targetServerType=any");
        assertThat(DatabaseUrl.parse("postgresql://h/db?target_session_attrs=standby").jdbcUrl()).endsWith("?targetServerType=secondary");
        assertThat(DatabaseUrl.parse("postgresql://h/db?target_session_attrs=prefer-standby").jdbcUrl()).endsWith("?targetServerType=preferSecondary");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://h/db?target_session_attrs=leader"))
                .hasMessageContaining("target_session_attrs=leader").hasMessageContaining("read-write");
    }

    @Test
    void passesLibpqParametersThroughUnderPgjdbcsNames() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://h/db?application_name=finote%20api&connect_timeout=5"
                + "&options=-c%20statement_timeout%3D5s&sslmode=verify-full&sslrootcert=/etc/ca.pem&sslcert=/c.pem&sslkey=/k.pem");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://h:5432/db?ApplicationName=finote%20api&connectTimeout=5"
                + "&options=-c%20statement_timeout%3D5s&sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&sslcert=%2Fc.pem&sslkey=%2Fk.pem");
        assertThat(DatabaseUrl.parse("jdbc:postgresql://h/db?prepareThreshold=0").jdbcUrl()).endsWith("?prepareThreshold=0");
    }

    @Test
    void refusesUnknownParametersByName() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u:secret@h/db?sslmod=require"))
                .isInstanceOf(InvalidDatabaseUrlException.class).hasMessageContaining("\"sslmod\" is not known")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://h/db?password=x")).hasMessageContaining("password belongs in the URL itself");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://h/db?sslmode=require&sslmode=disable")).hasMessageContaining("twice");
    }

    @Test
    void namesTheVariableItParsed() {
        assertThatThrownBy(() -> DatabaseUrl.parse("DIRECT_DATABASE_URL", "mysql://h/db"))
                .hasMessageStartingWith("DIRECT_DATABASE_URL is not usable");
    }
}
