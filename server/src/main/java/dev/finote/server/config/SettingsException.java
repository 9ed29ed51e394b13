package dev.finote.server.config;

import java.util.List;

/** The configuration cannot be used; each problem names the variable and what to set. */
public class SettingsException extends RuntimeException {
    private final List<String> problems;

    public SettingsException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
