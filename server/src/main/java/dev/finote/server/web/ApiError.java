package dev.finote.server.web;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The body of every error: {@code {"message":"snake_case_code"}}, plus {@code field} for validation errors. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String message, String field) {
    public static ApiError of(String message) {
        return new ApiError(message, null);
    }
}
