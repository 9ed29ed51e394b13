package dev.finote.server.scaling;

import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.EmbeddedDatabase;
import dev.finote.server.data.PreparedStatements;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;

/** How the server chooses whether to use named prepared statements (the pooler case: TransactionPoolerTest). */
class PreparedStatementsTest {

    @AutoClose
    private final EmbeddedDatabase postgres = EmbeddedDatabase.temporary();

    @Test
    void aDirectConnectionKeepsNamedStatements() {
        PreparedStatements choice = PreparedStatements.choose(postgres.url());

        assertThat(choice.named()).as(choice.reason()).isTrue();
    }

    @Test
    void aDatabaseThatDoesNotAnswerAtStartIsTreatedAsPossiblyPooled() throws IOException {
        PreparedStatements choice = PreparedStatements.choose(DatabaseUrl.parse("postgresql://u:p@127.0.0.1:" + closedPort() + "/finote?connect_timeout=2"));

        assertThat(choice.named()).isFalse();
        assertThat(choice.reason()).contains("did not answer");
    }

    @Test
    void prepareThresholdInTheUrlDecidesWithoutACheck() throws IOException {
        PreparedStatements choice = PreparedStatements.choose(DatabaseUrl.parse("postgresql://u:p@127.0.0.1:" + closedPort() + "/finote?prepareThreshold=5"));

        assertThat(choice.named()).isTrue();
        assertThat(choice.reason()).contains("sets prepareThreshold");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
