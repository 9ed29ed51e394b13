package dev.finote.server.cli;

import dev.finote.server.FinoteMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a new user types at the top level, answered in-process by the real command line. */
class CommandLineTest {

    @TempDir
    Path temp;

    record Run(int exitCode, String out, String err) {
    }

    private Run run(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FinoteMain.commandLine(environment, temp, new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void aDbCommandGivenAtTheTopLevelSuggestsTheDbOne() {
        Run run = run(Map.of(), "migrate");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("error: `finote` has no command or argument 'migrate'.")
                .contains("next:  did you mean `finote db migrate`?")
                .doesNotContain("Unmatched argument");
    }

    @Test
    void aMisspelledCommandSuggestsTheClosestOne() {
        assertThat(run(Map.of(), "serv").err()).contains("did you mean `finote serve`?");
        assertThat(run(Map.of(), "db", "migrat").err()).contains("error: `finote db` has no command or argument 'migrat'.")
                .contains("did you mean `finote db migrate`?");
    }

    @Test
    void helpListsTheTestCommandWhichTheJarAloneCannotRun() {
        assertThat(run(Map.of(), "--help").out()).containsPattern("(?m)^  test +Run every test");

        Run test = run(Map.of(), "test");
        assertThat(test.exitCode()).isEqualTo(1);
        assertThat(test.err()).contains("error: `finote test` runs the test suite of a checkout").contains("next:  in a checkout of Finote, run ./finote test");
    }

    @Test
    void aPortInUseIsOneErrorAndNextPairBeforeAnythingStarts() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(0));
            int port = taken.getLocalPort();
            Map<String, String> environment = new HashMap<>(Map.of("PORT", Integer.toString(port),
                    "FINOTE_DATA_DIR", temp.resolve("pgdata").toString()));

            Run dev = run(environment, "dev");

            assertThat(dev.exitCode()).isEqualTo(1);
            assertThat(dev.err()).isEqualTo("error: port " + port + " is already in use (another finote, or another program, listens on it).\n"
                    + "next:  stop that program, or choose another port: PORT=" + (port + 1) + " finote dev\n");
            assertThat(temp.resolve("pgdata")).as("no embedded PostgreSQL was started").doesNotExist();

            environment.put("DATABASE_URL", "postgresql://finote@localhost:1/finote");
            Run serve = run(environment, "serve");
            assertThat(serve.exitCode()).isEqualTo(1);
            assertThat(serve.err()).startsWith("error: port " + port + " is already in use").contains("finote serve").doesNotContain("APPLICATION FAILED TO START");
        }
    }
}
