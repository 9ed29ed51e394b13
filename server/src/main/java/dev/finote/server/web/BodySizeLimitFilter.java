package dev.finote.server.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Refuses request bodies over {@link #MAX_BODY_BYTES} with 413 before they are read, and
 * stops reading a chunked body as soon as it passes the limit: a client cannot make the
 * server buffer an unbounded body.
 */
public class BodySizeLimitFilter extends OncePerRequestFilter {

    /** Far above any real note (content is capped at 100,000 characters), far below a memory problem. */
    public static final long MAX_BODY_BYTES = 1024 * 1024;
    /** POST /api/notes/import takes whole exports (a Google Takeout zip with attachments). */
    public static final long MAX_IMPORT_BYTES = 50L * 1024 * 1024;
    static final String IMPORT_PATH = "/api/notes/import";

    private final ErrorResponses errors;

    public BodySizeLimitFilter(ErrorResponses errors) {
        this.errors = errors;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long limit = IMPORT_PATH.equals(request.getRequestURI()) ? MAX_IMPORT_BYTES : MAX_BODY_BYTES;
        if (request.getContentLengthLong() > limit) {
            response.setHeader("Connection", "close");
            errors.write(response, 413, ApiError.of("payload_too_large"));
            return;
        }
        chain.doFilter(request.getContentLengthLong() >= 0 ? request : new LimitedRequest(request, limit), response);
    }

    private static final class LimitedRequest extends HttpServletRequestWrapper {
        private final long limit;
        private ServletInputStream stream;

        LimitedRequest(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) stream = new LimitedInputStream(super.getInputStream(), limit);
            return stream;
        }
    }

    private static final class LimitedInputStream extends ServletInputStream {
        private final ServletInputStream delegate;
        private final long limit;
        private long count;

        LimitedInputStream(ServletInputStream delegate, long limit) {
            this.delegate = delegate;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = delegate.read();
            if (b >= 0) count(1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = delegate.read(buffer, offset, length);
            if (n > 0) count(n);
            return n;
        }

        private void count(int n) throws PayloadTooLargeException {
            count += n;
            if (count > limit) throw new PayloadTooLargeException(limit);
        }

        @Override
        public boolean isFinished() {
            return delegate.isFinished();
        }

        @Override
        public boolean isReady() {
            return delegate.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            delegate.setReadListener(listener);
        }
    }
}
