package dev.finote.server.auth;

import dev.finote.server.config.FinoteSettings;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Optional;

/**
 * The session cookie as the HTTP contract specifies it: {@code SESSION_NAME}, {@code Path=/},
 * {@code HttpOnly}, 7 days; {@code SameSite=Lax} in development, {@code Secure} and
 * {@code SameSite=None} in production (the frontend lives on another origin).
 */
@Component
public class SessionCookies {

    private final String name;
    private final boolean production;

    public SessionCookies(FinoteSettings settings) {
        this.name = settings.sessionName();
        this.production = settings.production();
    }

    public Optional<String> read(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) return Optional.empty();
        for (Cookie cookie : cookies) {
            if (name.equals(cookie.getName())) return Optional.of(cookie.getValue());
        }
        return Optional.empty();
    }

    public void issue(HttpServletResponse response, String token) {
        response.addHeader(HttpHeaders.SET_COOKIE, cookie(token, SessionStore.LIFETIME).toString());
    }

    public void clear(HttpServletResponse response) {
        response.addHeader(HttpHeaders.SET_COOKIE, cookie("", Duration.ZERO).toString());
    }

    private ResponseCookie cookie(String value, Duration maxAge) {
        return ResponseCookie.from(name, value)
                .path("/")
                .httpOnly(true)
                .maxAge(maxAge)
                .secure(production)
                .sameSite(production ? "None" : "Lax")
                .build();
    }
}
