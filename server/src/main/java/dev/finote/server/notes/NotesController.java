package dev.finote.server.notes;

import dev.finote.server.auth.CurrentUser;
import dev.finote.server.web.ApiException;
import dev.finote.server.web.JsonBody;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import java.util.List;

/** The caller's notes. A note always belongs to the session's user, whatever the body says. */
@RestController
@RequestMapping("/api/notes")
public class NotesController {

    private final NoteRepository notes;

    public NotesController(NoteRepository notes) {
        this.notes = notes;
    }

    @GetMapping
    List<Note> list(@AuthenticationPrincipal CurrentUser user) {
        return notes.list(user.id());
    }

    @PostMapping
    ResponseEntity<Note> create(@AuthenticationPrincipal CurrentUser user, @RequestBody(required = false) JsonNode body) {
        Note note = notes.create(user.id(), NoteDraft.forCreate(JsonBody.of(body)));
        return ResponseEntity.status(HttpStatus.CREATED).body(note);
    }

    @PutMapping("/{id}")
    Note update(@AuthenticationPrincipal CurrentUser user, @PathVariable("id") String id, @RequestBody(required = false) JsonNode body) {
        int noteId = noteId(id);
        NoteDraft draft = NoteDraft.forUpdate(JsonBody.of(body));
        return notes.update(user.id(), noteId, draft).orElseThrow(NotesController::notFound);
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@AuthenticationPrincipal CurrentUser user, @PathVariable("id") String id) {
        if (!notes.delete(user.id(), noteId(id))) throw notFound();
        return ResponseEntity.noContent().build();
    }

    /** A note id from the path: digits only (else 400); beyond the id column's range it cannot exist (404). */
    private static int noteId(String raw) {
        if (!raw.matches("[0-9]+")) throw ApiException.invalidField("invalid_id", "id");
        String digits = raw.replaceFirst("^0+(?=[0-9])", "");
        if (digits.length() > 10 || Long.parseLong(digits) > Integer.MAX_VALUE) throw notFound();
        return Integer.parseInt(digits);
    }

    private static ApiException notFound() {
        return new ApiException(HttpStatus.NOT_FOUND, "note_not_found");
    }
}
