package dev.finote.server.notes.imports;

import dev.finote.server.web.ApiException;
import org.springframework.http.HttpStatus;

/** A file that is neither a Finote export nor a Google Keep export: 400, nothing imported. */
final class UnsupportedImportException {

    private UnsupportedImportException() {
    }

    static ApiException unsupported() {
        return new ApiException(HttpStatus.BAD_REQUEST, "unsupported_import");
    }

    static ApiException tooLarge() {
        return new ApiException(HttpStatus.CONTENT_TOO_LARGE, "import_too_large");
    }
}
