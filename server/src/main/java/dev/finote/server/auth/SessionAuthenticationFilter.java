package dev.finote.server.auth;

import dev.finote.server.web.ApiError;
import dev.finote.server.web.ApiExceptionHandler;
import dev.finote.server.web.ErrorResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the session cookie into the request's {@link CurrentUser}: one indexed read, and a
 * write only when the sliding expiry is due (at most once a minute per session). A cookie
 * that names no live session simply leaves the request anonymous.
 */
public class SessionAuthenticationFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(SessionAuthenticationFilter.class);

    private final SessionCookies cookies;
    private final SessionTokens tokens;
    private final SessionStore sessions;
    private final ErrorResponses errors;

    public SessionAuthenticationFilter(SessionCookies cookies, SessionTokens tokens, SessionStore sessions, ErrorResponses errors) {
        this.cookies = cookies;
        this.tokens = tokens;
        this.sessions = sessions;
        this.errors = errors;
    }

    /** Outside /api, answered without knowing the user: the probes, /metrics and the web app's page. */
    private static final Set<String> PUBLIC_PATHS = Set.of("/healthz", "/readyz", "/metrics", "/");
    /** The web app's static files: the same for everyone. */
    private static final String ASSETS = "/assets/";

    /**
     * The probes and /metrics must answer without the database even when the caller sends a
     * session cookie (a browser, a probe behind the same domain): /healthz stays 200 and
     * /readyz reports its own reason while the database is down, and they cost no session
     * read; so do the web app's page and files, which a browser fetches with the cookie. An
     * allowlist, so any other path (however spelled) is still authenticated.
     */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return PUBLIC_PATHS.contains(path) || (path.startsWith(ASSETS) && !path.contains(".."));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<String> token = cookies.read(request).filter(tokens::wellFormed);
        if (token.isPresent()) {
            try {
                byte[] hash = tokens.hash(token.get());
                Optional<SessionStore.ActiveSession> session = sessions.find(hash);
                if (session.isPresent()) {
                    if (session.get().refreshDue()) {
                        sessions.extend(hash);
                        cookies.issue(response, token.get());
                    }
                    var authentication = UsernamePasswordAuthenticationToken.authenticated(session.get().user(), null, List.of());
                    SecurityContextHolder.getContext().setAuthentication(authentication);
                }
            } catch (DataAccessException e) {
                if (!ApiExceptionHandler.isUnavailable(e)) throw e;
                log.warn("cannot check the session, database unavailable: {}", e.getMostSpecificCause().getMessage());
                response.setHeader("Retry-After", "5");
                errors.write(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, ApiError.of("service_unavailable"));
                return;
            }
        }
        chain.doFilter(request, response);
    }
}
