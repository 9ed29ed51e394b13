package dev.finote.server.auth;

import dev.finote.server.web.ApiError;
import dev.finote.server.web.JsonBody;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The logged-in user's account: change the password (every other session ends) and delete
 * the account (user, notes and sessions). Both need the current password, checked and
 * throttled exactly like a login, so a stolen session alone cannot take the account over.
 */
@RestController
@RequestMapping("/api/auth")
public class AccountController {

    private final UserRepository users;
    private final PasswordHasher passwords;
    private final PasswordPolicy policy;
    private final LoginThrottle throttle;
    private final SessionTokens tokens;
    private final SessionCookies cookies;

    public AccountController(UserRepository users, PasswordHasher passwords, PasswordPolicy policy, LoginThrottle throttle,
                             SessionTokens tokens, SessionCookies cookies) {
        this.users = users;
        this.passwords = passwords;
        this.policy = policy;
        this.throttle = throttle;
        this.tokens = tokens;
        this.cookies = cookies;
    }

    @PutMapping("/password")
    ResponseEntity<?> changePassword(@AuthenticationPrincipal CurrentUser user, @RequestBody(required = false) JsonNode body,
                                     HttpServletRequest request) {
        JsonBody json = JsonBody.of(body);
        String current = json.string("currentPassword", Integer.MAX_VALUE).orElse("");
        String proposed = json.requiredString("newPassword", Integer.MAX_VALUE);
        policy.checkNew(proposed, "newPassword");
        Optional<ResponseEntity<ApiError>> refused = verify(user, current, request.getRemoteAddr());
        if (refused.isPresent()) return refused.get();
        byte[] thisSession = tokens.hash(cookies.read(request).orElseThrow());
        users.changePassword(user.id(), passwords.hash(proposed), thisSession);
        return ResponseEntity.ok(Map.of("success", true));
    }

    @DeleteMapping("/me")
    ResponseEntity<?> deleteAccount(@AuthenticationPrincipal CurrentUser user, @RequestBody(required = false) JsonNode body,
                                    HttpServletRequest request, HttpServletResponse response) {
        String password = JsonBody.of(body).string("password", Integer.MAX_VALUE).orElse("");
        Optional<ResponseEntity<ApiError>> refused = verify(user, password, request.getRemoteAddr());
        if (refused.isPresent()) return refused.get();
        users.delete(user.id());
        cookies.clear(response);
        return ResponseEntity.noContent().build();
    }

    /** The login rules for the current password: throttled, counted, 401 invalid_credentials when wrong. */
    private Optional<ResponseEntity<ApiError>> verify(CurrentUser user, String password, String address) {
        Optional<Duration> blocked = throttle.blockedFor(user.username(), address);
        if (blocked.isPresent()) return Optional.of(AuthController.tooMany(blocked.get(), "too_many_login_attempts"));
        boolean valid = !password.isEmpty() && users.passwordHash(user.id()).map(hash -> passwords.matches(password, hash)).orElse(false);
        if (!valid) {
            throttle.recordFailure(user.username(), address);
            return Optional.of(ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(ApiError.of("invalid_credentials")));
        }
        return Optional.empty();
    }
}
