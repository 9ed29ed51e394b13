package dev.finote.server.notes.imports;

import dev.finote.server.auth.CurrentUser;
import dev.finote.server.web.ApiException;
import dev.finote.server.web.PayloadTooLargeException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;

/**
 * Imports a Finote export or a Google Keep export (Takeout {@code .zip} or one note's
 * {@code .json}). The body is read as a stream whatever its declared type; bodies over 50 MiB are
 * refused with 413 before they are read (BodySizeLimitFilter).
 */
@RestController
public class NoteImportController {

    private final NoteImporter importer;

    public NoteImportController(NoteImporter importer) {
        this.importer = importer;
    }

    @PostMapping("/api/notes/import")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(description = "A Finote export, one Google Keep note, or a Google Takeout zip (at most 50 MiB)",
            content = {@io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json"),
                    @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/zip",
                            schema = @io.swagger.v3.oas.annotations.media.Schema(type = "string", format = "binary"))})
    ImportResult importNotes(@AuthenticationPrincipal CurrentUser user, HttpServletRequest request) throws IOException {
        try {
            return importer.importFile(user.id(), request.getInputStream());
        } catch (PayloadTooLargeException e) {
            throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "payload_too_large");
        }
    }
}
