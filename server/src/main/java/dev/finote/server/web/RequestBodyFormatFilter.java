package dev.finote.server.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;

/**
 * What a request says about its body, checked before anyone reads it. A wildcard
 * Content-Type ({@code *}{@code /*}, {@code application/*}) names no format: 415, where
 * Spring failed with a 500. A JSON body must be well-formed UTF-8 ({@link Utf8CheckingInputStream}).
 * And an empty {@code Accept} header counts as no Accept header (any type), which
 * {@code /metrics} answered with a 500.
 */
public class RequestBodyFormatFilter extends OncePerRequestFilter {

    private final ErrorResponses errors;

    public RequestBodyFormatFilter(ErrorResponses errors) {
        this.errors = errors;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String contentType = request.getContentType();
        HttpServletRequest checked = request;
        if (contentType != null && !contentType.isBlank()) {
            MediaType type;
            try {
                type = MediaType.parseMediaType(contentType);
            } catch (InvalidMediaTypeException e) {
                type = null;
            }
            if (type == null || type.isWildcardType() || type.isWildcardSubtype()) {
                errors.write(response, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE, ApiError.of("content_type_must_be_application_json"));
                return;
            }
            if (MediaType.APPLICATION_JSON.isCompatibleWith(type) || type.getSubtype().endsWith("+json")) checked = new Utf8Request(checked);
        }
        String accept = request.getHeader("Accept");
        if (accept != null && accept.isBlank()) checked = new NoAcceptRequest(checked);
        chain.doFilter(checked, response);
    }

    private static final class Utf8Request extends HttpServletRequestWrapper {
        private ServletInputStream stream;

        Utf8Request(HttpServletRequest request) {
            super(request);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) stream = new Utf8CheckingInputStream(super.getInputStream());
            return stream;
        }
    }

    private static final class NoAcceptRequest extends HttpServletRequestWrapper {
        NoAcceptRequest(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getHeader(String name) {
            return "Accept".equalsIgnoreCase(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return "Accept".equalsIgnoreCase(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            return Collections.enumeration(Collections.list(super.getHeaderNames()).stream().filter(n -> !"Accept".equalsIgnoreCase(n)).toList());
        }
    }
}
