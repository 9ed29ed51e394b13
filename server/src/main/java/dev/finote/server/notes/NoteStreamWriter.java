package dev.finote.server.notes;

import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;

/**
 * Writes notes to the response as PostgreSQL sends them, never holding the whole list: a user
 * with 1,500 notes of 100,000 characters costs the server a few rows of memory, not 150 MB.
 * The status and headers go out with the first note, so a database failure before it still gets
 * the usual JSON error (503 while the database is down).
 */
@Component
public class NoteStreamWriter {

    private static final Logger log = LoggerFactory.getLogger(NoteStreamWriter.class);

    private final JsonMapper json;

    public NoteStreamWriter(JsonMapper json) {
        this.json = json;
    }

    /** A JSON array of the notes {@code source} hands over. */
    public void array(HttpServletResponse response, Consumer<Consumer<Note>> source) throws IOException {
        Output output = new Output(response, generator -> generator.writeStartArray());
        try {
            source.accept(output::write);
            output.finish(JsonGenerator::writeEndArray);
        } catch (JacksonIOException clientGone) {
            // The client closed the connection mid-list: nothing to answer, and not a server error.
            log.debug("list not sent to the end: {}", clientGone.getMessage());
        }
    }

    /** The export document: {@code {"format":"finote-export","version":1,"exportedAt":…,"notes":[…]}}. */
    public void export(HttpServletResponse response, Consumer<Consumer<Note>> source) throws IOException {
        String now = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        response.setHeader("Content-Disposition", "attachment; filename=\"finote-export-" + now.substring(0, 10) + ".json\"");
        Output output = new Output(response, generator -> {
            generator.writeStartObject();
            generator.writeStringProperty("format", "finote-export");
            generator.writeNumberProperty("version", 1);
            generator.writeStringProperty("exportedAt", now);
            generator.writeArrayPropertyStart("notes");
        });
        try {
            source.accept(output::write);
            output.finish(generator -> {
                generator.writeEndArray();
                generator.writeEndObject();
            });
        } catch (JacksonIOException clientGone) {
            log.debug("export not sent to the end: {}", clientGone.getMessage());
        }
    }

    private final class Output {
        private final HttpServletResponse response;
        private final Consumer<JsonGenerator> start;
        private JsonGenerator generator;

        Output(HttpServletResponse response, Consumer<JsonGenerator> start) {
            this.response = response;
            this.start = start;
        }

        void write(Note note) {
            NoteJson.write(started(), note);
        }

        void finish(Consumer<JsonGenerator> end) {
            JsonGenerator started = started();
            end.accept(started);
            started.close();
        }

        private JsonGenerator started() {
            if (generator == null) {
                response.setStatus(HttpServletResponse.SC_OK);
                response.setContentType(MediaType.APPLICATION_JSON_VALUE);
                response.setCharacterEncoding("UTF-8");
                try {
                    generator = json.createGenerator(response.getOutputStream());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                start.accept(generator);
            }
            return generator;
        }
    }
}
