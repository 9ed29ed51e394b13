package dev.finote.server.web;

import org.springframework.http.HttpStatus;

/**
 * A request the API refuses, with the status and the snake_case {@code message} code the
 * frontend relies on, and for validation errors the offending {@code field}.
 */
public class ApiException extends RuntimeException {
    private final HttpStatus status;
    private final String field;

    public ApiException(HttpStatus status, String message) {
        this(status, message, null);
    }

    public ApiException(HttpStatus status, String message, String field) {
        super(message, null, false, false); // an expected outcome: no stack trace to fill
        this.status = status;
        this.field = field;
    }

    public static ApiException invalidField(String message, String field) {
        return new ApiException(HttpStatus.BAD_REQUEST, message, field);
    }

    public HttpStatus status() {
        return status;
    }

    public ApiError body() {
        return new ApiError(getMessage(), field);
    }
}
