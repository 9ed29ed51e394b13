package dev.finote.server.web;

import java.time.Duration;

/** The server is too busy to take this request now: 503 with Retry-After, the request changed nothing. */
public class ServerBusyException extends RuntimeException {
    private final Duration retryAfter;

    public ServerBusyException(Duration retryAfter) {
        super("server busy", null, false, false);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
