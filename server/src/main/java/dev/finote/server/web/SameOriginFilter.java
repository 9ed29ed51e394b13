package dev.finote.server.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses state-changing requests (anything but GET, HEAD, OPTIONS) that a browser sends on
 * behalf of another site, unless that site is in CORS_ORIGIN: a page elsewhere auto-submitting
 * {@code <form method=POST action=…/api/auth/logout enctype=text/plain>} used to log the user
 * out. Browsers say where a request comes from in {@code Sec-Fetch-Site} and {@code Origin};
 * requests with neither (curl, other servers) are not a browser acting for another site and
 * pass. 403 {@code cross_site_request_refused}, before anything is read or written.
 */
public class SameOriginFilter extends OncePerRequestFilter {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final List<String> allowedOrigins;
    private final ErrorResponses errors;

    public SameOriginFilter(List<String> allowedOrigins, ErrorResponses errors) {
        this.allowedOrigins = allowedOrigins;
        this.errors = errors;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (SAFE_METHODS.contains(request.getMethod()) || allowed(request)) {
            chain.doFilter(request, response);
            return;
        }
        errors.write(response, HttpServletResponse.SC_FORBIDDEN, ApiError.of("cross_site_request_refused"));
    }

    private boolean allowed(HttpServletRequest request) {
        String origin = request.getHeader("Origin");
        if (origin != null && allowedOrigins.contains(origin)) return true;
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null) {
            String value = site.strip().toLowerCase(Locale.ROOT);
            // "none": typed in the address bar or a bookmark, not another site's doing.
            return value.equals("same-origin") || value.equals("none");
        }
        return origin == null || sameOrigin(origin, request);
    }

    /** Without Sec-Fetch-Site (older browsers): the Origin must be this server's own scheme, host and port. */
    private static boolean sameOrigin(String origin, HttpServletRequest request) {
        try {
            URI uri = URI.create(origin);
            if (uri.getScheme() == null || uri.getHost() == null) return false;
            int port = uri.getPort() >= 0 ? uri.getPort() : (uri.getScheme().equalsIgnoreCase("https") ? 443 : 80);
            return uri.getScheme().equalsIgnoreCase(request.getScheme()) && uri.getHost().equalsIgnoreCase(request.getServerName())
                    && port == request.getServerPort();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
