package dev.finote.server.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code finote test}: listed with the other commands, run by the {@code ./finote} launcher of
 * a checkout (it needs the sources and Maven, which the packaged jar does not have). The jar
 * itself only says where to run it.
 */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = {
                "Run every test (what CI runs), from a checkout: ./finote test",
                "It runs `mvn verify`: unit tests, API tests over HTTP against real PostgreSQL, and",
                "tests of the packaged jar.",
                "Options after `test` go to Maven (e.g. ./finote test -pl db)."})
public final class TestCommand implements Callable<Integer> {

    private final PrintWriter err;

    @Unmatched
    List<String> mavenOptions;

    public TestCommand(PrintWriter err) {
        this.err = err;
    }

    @Override
    public Integer call() {
        err.println("error: `finote test` runs the test suite of a checkout, and this is the packaged jar.");
        err.println("next:  in a checkout of Finote, run ./finote test");
        err.flush();
        return 1;
    }
}
