package dev.finote.server.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * With METRICS_TOKEN set, {@code /metrics} answers only {@code Authorization: Bearer <token>}
 * (401 otherwise), so a production instance can keep its metrics from the public while
 * Prometheus still scrapes them. Compared in constant time.
 */
public class MetricsTokenFilter extends OncePerRequestFilter {

    private final byte[] expected;
    private final ErrorResponses errors;

    public MetricsTokenFilter(String token, ErrorResponses errors) {
        this.expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.errors = errors;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().equals("/metrics");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String given = request.getHeader("Authorization");
        if (given != null && MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("WWW-Authenticate", "Bearer");
        errors.write(response, HttpServletResponse.SC_UNAUTHORIZED, ApiError.of("unauthorized"));
    }
}
