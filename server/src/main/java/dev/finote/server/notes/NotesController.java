package dev.finote.server.notes;

import dev.finote.server.auth.CurrentUser;
import dev.finote.server.web.ApiException;
import dev.finote.server.web.JsonBody;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The caller's notes and trash. A note always belongs to the session's user, whatever the body says. */
@RestController
@RequestMapping("/api/notes")
public class NotesController {

    private final NoteRepository notes;
    private final IdempotentCreates creates;
    private final PageCursor cursors;
    private final NoteStreamWriter writer;

    public NotesController(NoteRepository notes, IdempotentCreates creates, PageCursor cursors, NoteStreamWriter writer) {
        this.notes = notes;
        this.creates = creates;
        this.cursors = cursors;
        this.writer = writer;
    }

    /**
     * The list, filtered by {@code q}, {@code tag} and {@code pinned}. Without {@code limit} every
     * matching note, streamed; with it one page, and a {@code Link: <…>; rel="next"} header while
     * more remain. Both are written by {@link NoteStreamWriter} (the declared return type is for
     * the OpenAPI description).
     */
    @GetMapping
    @Operation(summary = "The caller's notes: pinned first, then newest; with q, best match first")
    @ApiResponse(responseCode = "200", content = @Content(mediaType = "application/json", array = @ArraySchema(schema = @Schema(implementation = Note.class))),
            headers = @Header(name = "Link", description = "<…>; rel=\"next\": the next page, present only while more notes remain"))
    ResponseEntity<List<Note>> list(@AuthenticationPrincipal CurrentUser user,
                                    @RequestParam(name = "q", required = false) String q,
                                    @RequestParam(name = "tag", required = false) String tag,
                                    @RequestParam(name = "pinned", required = false) String pinned,
                                    @RequestParam(name = "limit", required = false) String limit,
                                    @RequestParam(name = "cursor", required = false) String cursor,
                                    HttpServletResponse response) throws IOException {
        NoteFilter filter = NoteFilter.parse(q, tag, pinned, limit, cursor);
        Optional<NotePosition> after = filter.cursor().map(c -> cursors.decode(c, user.id(), filter.identity()));
        if (filter.limit().isEmpty()) {
            if (after.isPresent()) {
                // A cursor without a limit: everything after it, still streamed page by page internally.
                writer.array(response, each -> remainder(user.id(), filter, after, each));
            } else {
                writer.array(response, each -> notes.stream(user.id(), filter, each));
            }
            return null;
        }
        NoteRepository.Page page = notes.page(user.id(), filter, after, filter.limit().getAsInt());
        page.next().ifPresent(next -> response.setHeader("Link", "<" + nextLink(q, tag, pinned, limit,
                cursors.encode(user.id(), filter.identity(), next)) + ">; rel=\"next\""));
        writer.array(response, each -> page.notes().forEach(each));
        return null;
    }

    @PostMapping
    @Operation(summary = "Creates a note; a retry with the same Idempotency-Key returns the first note")
    ResponseEntity<Note> create(@AuthenticationPrincipal CurrentUser user,
                                @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(implementation = NoteInput.class)))
                                @RequestBody(required = false) JsonNode body,
                                @RequestHeader(name = IdempotentCreates.HEADER, required = false) String idempotencyKey) {
        NoteDraft draft = NoteDraft.forCreate(JsonBody.of(body));
        IdempotentCreates.Created created = creates.create(user.id(), idempotencyKey, draft);
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(HttpStatus.CREATED);
        if (created.replayed()) answer.header("Idempotent-Replayed", "true");
        return answer.body(created.note());
    }

    @PutMapping("/{id}")
    @Operation(summary = "Changes the given fields of a note and moves its updatedAt")
    Note update(@AuthenticationPrincipal CurrentUser user, @PathVariable("id") String id,
                @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(implementation = NoteInput.class)))
                @RequestBody(required = false) JsonNode body) {
        int noteId = noteId(id);
        NoteDraft draft = NoteDraft.forUpdate(JsonBody.of(body));
        return notes.update(user.id(), noteId, draft).orElseThrow(NotesController::notFound);
    }

    /** Moves the note to the trash. */
    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@AuthenticationPrincipal CurrentUser user, @PathVariable("id") String id) {
        if (!notes.trash(user.id(), noteId(id))) throw notFound();
        return ResponseEntity.noContent().build();
    }

    /** The trash, most recently deleted first, each note with its {@code deletedAt}. */
    @GetMapping("/trash")
    @ApiResponse(responseCode = "200", content = @Content(mediaType = "application/json", array = @ArraySchema(schema = @Schema(implementation = Note.class))))
    void trash(@AuthenticationPrincipal CurrentUser user, HttpServletResponse response) throws IOException {
        writer.array(response, each -> notes.streamTrash(user.id(), each));
    }

    @PostMapping("/{id}/restore")
    Note restore(@AuthenticationPrincipal CurrentUser user, @PathVariable("id") String id) {
        return notes.restore(user.id(), noteId(id)).orElseThrow(NotesController::notFound);
    }

    @DeleteMapping("/trash/{id}")
    ResponseEntity<Void> deleteForever(@AuthenticationPrincipal CurrentUser user, @PathVariable("id") String id) {
        if (!notes.deleteForever(user.id(), noteId(id))) throw notFound();
        return ResponseEntity.noContent().build();
    }

    @DeleteMapping("/trash")
    Map<String, Integer> emptyTrash(@AuthenticationPrincipal CurrentUser user) {
        return Map.of("deleted", notes.emptyTrash(user.id()));
    }

    /** Every note of the caller, trash included, as a file to download. */
    @GetMapping("/export")
    @ApiResponse(responseCode = "200", description = "{\"format\":\"finote-export\",\"version\":1,\"exportedAt\":…,\"notes\":[note…]}",
            content = @Content(mediaType = "application/json", schema = @Schema(type = "object")))
    void export(@AuthenticationPrincipal CurrentUser user, HttpServletResponse response) throws IOException {
        writer.export(response, each -> notes.streamAll(user.id(), each));
    }

    /** The notes after {@code after}, page by page (each page's query is served by the index). */
    private void remainder(int userId, NoteFilter filter, Optional<NotePosition> after, java.util.function.Consumer<Note> each) {
        Optional<NotePosition> position = after;
        do {
            NoteRepository.Page page = notes.page(userId, filter, position, NoteFilter.MAX_LIMIT);
            page.notes().forEach(each);
            position = page.next();
        } while (position.isPresent());
    }

    private static String nextLink(String q, String tag, String pinned, String limit, String cursor) {
        StringBuilder link = new StringBuilder("/api/notes?");
        if (q != null) link.append("q=").append(encode(q)).append('&');
        if (tag != null) link.append("tag=").append(encode(tag)).append('&');
        if (pinned != null) link.append("pinned=").append(encode(pinned)).append('&');
        return link.append("limit=").append(encode(limit)).append("&cursor=").append(encode(cursor)).toString();
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A note id from the path: digits only (else 400); beyond the id column's range it cannot exist (404). */
    static int noteId(String raw) {
        if (!raw.matches("[0-9]+")) throw ApiException.invalidField("invalid_id", "id");
        String digits = raw.replaceFirst("^0+(?=[0-9])", "");
        if (digits.length() > 10 || Long.parseLong(digits) > Integer.MAX_VALUE) throw notFound();
        return Integer.parseInt(digits);
    }

    static ApiException notFound() {
        return new ApiException(HttpStatus.NOT_FOUND, "note_not_found");
    }
}
