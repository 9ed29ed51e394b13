package dev.finote.db.cli;

import dev.finote.db.migrations.ProjectLayout;

import java.io.PrintWriter;
import java.util.Map;

/** What every {@code finote db} command gets from its caller: the environment, the project layout and where to print. */
public record DbContext(Map<String, String> environment, ProjectLayout layout, PrintWriter out, PrintWriter err) {

    public String env(String name) {
        String value = environment.get(name);
        return value == null || value.isBlank() ? null : value;
    }

    public boolean production() {
        return "production".equalsIgnoreCase(env("NODE_ENV"));
    }
}
