package dev.finote.server.auth;

/** The user a request acts for, as the API returns it: {@code {"id":1,"username":"fi"}}. */
public record CurrentUser(int id, String username) {
}
