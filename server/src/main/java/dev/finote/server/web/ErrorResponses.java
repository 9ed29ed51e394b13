package dev.finote.server.web;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;

/** Writes an {@link ApiError} from places outside Spring MVC (servlet filters, the security chain). */
@Component
public class ErrorResponses {

    private final JsonMapper json;

    public ErrorResponses(JsonMapper json) {
        this.json = json;
    }

    public void write(HttpServletResponse response, int status, ApiError error) throws IOException {
        if (response.isCommitted()) return;
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getOutputStream().write(json.writeValueAsBytes(error));
        response.flushBuffer();
    }
}
