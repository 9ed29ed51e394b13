package dev.finote.server.web;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Tomcat's own error answers — requests it refuses before the application sees them (an
 * encoded slash or NUL in the path, a bad Content-Length, a missing Host, an unknown
 * Expect, an unsupported HTTP version …) — in the API's JSON shape instead of Tomcat's HTML
 * page. Installed as the host's error report valve; the body never names Tomcat or the cause.
 */
public class JsonErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) return;
        org.springframework.http.HttpStatus known = org.springframework.http.HttpStatus.resolve(status);
        String message = known == null ? (status < 500 ? "bad_request" : "internal_error")
                : switch (known) {
                    // The API's usual codes where it has one; else the status's own name (http_version_not_supported …).
                    case BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, METHOD_NOT_ALLOWED, CONTENT_TOO_LARGE, SERVICE_UNAVAILABLE,
                         INTERNAL_SERVER_ERROR -> JsonErrorController.messageFor(known);
                    default -> known.name().toLowerCase(java.util.Locale.ROOT);
                };
        try {
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            response.getOutputStream().write(("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8));
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            // the connection is gone or the response committed: nothing more to tell the client
        }
    }

}
