package dev.finote.server.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Counts requests as {@code finote_http_requests_total{method,path,status}}, where
 * {@code path} is the route template ({@code /api/notes/{id}}), never the raw path: raw
 * paths would let any client create unbounded time series, and so would raw methods.
 */
public class RequestMetricsFilter extends OncePerRequestFilter {

    static final String UNMATCHED = "unmatched";
    /** The methods counted by name; any other (clients may invent them) is counted as {@code other}. */
    static final Set<String> KNOWN_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT");
    static final String OTHER = "other";

    private final MeterRegistry registry;
    private final RequestMappingHandlerMapping routes;
    private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();

    public RequestMetricsFilter(MeterRegistry registry, RequestMappingHandlerMapping routes) {
        this.registry = registry;
        this.routes = routes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } finally {
            // Every label has a bounded set of values: known methods or "other", route templates or
            // "unmatched", status codes 100-599 or "other". So the series stay bounded whatever clients send.
            String method = KNOWN_METHODS.contains(request.getMethod()) ? request.getMethod() : OTHER;
            String path = routeTemplate(request);
            int code = response.getStatus();
            String status = code >= 100 && code <= 599 ? Integer.toString(code) : OTHER;
            counters.computeIfAbsent(method + ' ' + path + ' ' + status, key -> Counter.builder("finote.http.requests")
                    .description("HTTP requests by method, route template and status")
                    .tag("method", method).tag("path", path).tag("status", status)
                    .register(registry)).increment();
        }
    }

    /**
     * The template the dispatcher matched; for requests answered before the dispatcher (a
     * 401 from the security chain, a 413), the template the request would have matched.
     */
    private String routeTemplate(HttpServletRequest request) {
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        if (pattern == null) {
            try {
                if (!ServletRequestPathUtils.hasParsedRequestPath(request)) ServletRequestPathUtils.parseAndCache(request);
                if (routes.getHandler(request) != null) pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
            } catch (Exception e) {
                pattern = null; // no route: counted as unmatched
            }
        }
        return pattern == null ? UNMATCHED : pattern.toString();
    }
}
