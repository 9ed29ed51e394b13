package dev.finote.server.auth;

import dev.finote.server.web.ApiError;
import dev.finote.server.web.ApiException;
import dev.finote.server.web.JsonBody;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Register, log in, log out, and who am I — exactly the Node backend's contract (the HTTP contract in the README). */
@RestController
@RequestMapping("/api/auth")
public class AuthController {

    private final UserRepository users;
    private final PasswordHasher passwords;
    private final PasswordPolicy policy;
    private final SessionTokens tokens;
    private final SessionStore sessions;
    private final SessionCookies cookies;
    private final LoginThrottle throttle;
    private final RegistrationThrottle registrations;

    public AuthController(UserRepository users, PasswordHasher passwords, PasswordPolicy policy, SessionTokens tokens,
                          SessionStore sessions, SessionCookies cookies, LoginThrottle throttle, RegistrationThrottle registrations) {
        this.users = users;
        this.passwords = passwords;
        this.policy = policy;
        this.tokens = tokens;
        this.sessions = sessions;
        this.cookies = cookies;
        this.throttle = throttle;
        this.registrations = registrations;
    }

    /**
     * Cheap checks first, bcrypt last: the body, the name and password rules, the address's
     * registration count and a taken name are all decided before any hashing.
     */
    @PostMapping("/register")
    ResponseEntity<?> register(@RequestBody(required = false) JsonNode body, HttpServletRequest request) {
        JsonBody json = JsonBody.of(body);
        String rawUsername = json.string("username", Integer.MAX_VALUE).orElse("");
        String password = json.string("password", Integer.MAX_VALUE).orElse("");
        if (rawUsername.isEmpty() || password.isEmpty()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "username_and_password_required");
        }
        String username = Usernames.validNew(rawUsername);
        policy.checkNew(password, "password");
        if (registrations.closed()) throw new ApiException(HttpStatus.FORBIDDEN, "registration_closed");
        String address = request.getRemoteAddr();
        Optional<Duration> blocked = registrations.blockedFor(address);
        if (blocked.isPresent()) return tooMany(blocked.get(), "too_many_registrations");
        registrations.record(address);
        if (users.nameTaken(username)) throw new ApiException(HttpStatus.CONFLICT, "username_already_exists");
        CurrentUser user = users.create(username, passwords.hash(password))
                .orElseThrow(() -> new ApiException(HttpStatus.CONFLICT, "username_already_exists"));
        return ResponseEntity.status(HttpStatus.CREATED).body(user);
    }

    @PostMapping("/login")
    ResponseEntity<?> login(@RequestBody(required = false) JsonNode body, HttpServletRequest request, HttpServletResponse response) {
        JsonBody json = JsonBody.of(body);
        String username = json.string("username", Integer.MAX_VALUE).orElse("");
        String password = json.string("password", Integer.MAX_VALUE).orElse("");
        if (username.isEmpty() || password.isEmpty()) {
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(ApiError.of("Missing credentials"));
        }
        String address = request.getRemoteAddr();
        Optional<Duration> blocked = throttle.blockedFor(username, address);
        if (blocked.isPresent()) return tooMany(blocked.get(), "too_many_login_attempts");
        Optional<UserRepository.StoredUser> stored = username.length() > Usernames.MAX_LENGTH ? Optional.empty() : users.findByUsername(username);
        boolean valid;
        if (stored.isPresent()) {
            valid = passwords.matches(password, stored.get().passwordHash());
        } else {
            passwords.matchDecoy(password);
            valid = false;
        }
        if (!valid) {
            throttle.recordFailure(username, address);
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(ApiError.of("invalid_credentials"));
        }
        throttle.recordSuccess(username, address);
        // A fresh session id on every login (no fixation); the session the browser had, if any, ends.
        cookies.read(request).filter(tokens::wellFormed).ifPresent(old -> sessions.delete(tokens.hash(old)));
        String token = tokens.newToken();
        sessions.create(tokens.hash(token), stored.get().user().id());
        cookies.issue(response, token);
        return ResponseEntity.ok(stored.get().user());
    }

    @PostMapping("/logout")
    Map<String, Boolean> logout(HttpServletRequest request, HttpServletResponse response) {
        cookies.read(request).filter(tokens::wellFormed).ifPresent(token -> sessions.delete(tokens.hash(token)));
        cookies.clear(response);
        return Map.of("success", true);
    }

    @GetMapping("/me")
    CurrentUser me(@AuthenticationPrincipal CurrentUser user) {
        return user;
    }

    static ResponseEntity<ApiError> tooMany(Duration wait, String message) {
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header("Retry-After", Long.toString(Math.max(1, wait.toSeconds())))
                .body(ApiError.of(message));
    }
}
