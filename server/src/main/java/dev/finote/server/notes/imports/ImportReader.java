package dev.finote.server.notes.imports;

import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Reads an import body into notes and problems: a Finote export, one Google Keep note
 * ({@code .json}) or a Google Takeout {@code .zip} holding Keep notes. The zip is read as a
 * stream, and what it inflates to is counted as it inflates, not taken from its headers, so a
 * zip bomb is stopped at {@link #MAX_INFLATED} bytes; a single Keep note's JSON at
 * {@link #MAX_ENTRY}.
 */
public final class ImportReader {

    static final long MAX_INFLATED = 256L * 1024 * 1024;
    static final int MAX_ENTRY = 4 * 1024 * 1024;
    static final int MAX_ENTRIES = 100_000;

    private final JsonMapper json;

    public ImportReader(JsonMapper json) {
        this.json = json;
    }

    /** The notes of the body (ImportedNote) and the notes refused (ImportProblem), in file order. */
    public List<Object> read(InputStream body) throws IOException {
        BufferedInputStream in = new BufferedInputStream(body);
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        if (magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4) return readZip(in);
        return readJson(in);
    }

    private List<Object> readZip(InputStream in) throws IOException {
        List<Object> notes = new ArrayList<>();
        long inflated = 0;
        int entries = 0;
        try (ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                if (++entries > MAX_ENTRIES) throw UnsupportedImportException.tooLarge();
                boolean keepJson = !entry.isDirectory() && entry.getName().toLowerCase(Locale.ROOT).endsWith(".json")
                        && ("/" + entry.getName()).contains("/Keep/");
                ByteArrayOutputStream kept = keepJson ? new ByteArrayOutputStream() : null;
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = zip.read(buffer)) > 0; ) {
                    inflated += n;
                    if (inflated > MAX_INFLATED) throw UnsupportedImportException.tooLarge();
                    if (kept != null) {
                        if (kept.size() + n > MAX_ENTRY) throw UnsupportedImportException.tooLarge();
                        kept.write(buffer, 0, n);
                    }
                }
                if (kept == null) continue;
                String name = entry.getName().substring(entry.getName().lastIndexOf('/') + 1);
                JsonNode node;
                try {
                    node = json.readTree(kept.toByteArray());
                } catch (JacksonException e) {
                    notes.add(new ImportProblem(name, "malformed_json"));
                    continue;
                }
                notes.add(KeepNote.looksLike(node) ? KeepNote.read(name, node) : new ImportProblem(name, "not_a_keep_note"));
            }
        } catch (ZipException e) {
            throw UnsupportedImportException.unsupported();
        }
        if (notes.isEmpty()) throw UnsupportedImportException.unsupported();
        return notes;
    }

    /**
     * A JSON body, read property by property: the notes of a Finote export are converted one at a
     * time (never the whole document as a tree); anything else is kept to decide whether it is a
     * Keep note.
     */
    private List<Object> readJson(InputStream in) throws IOException {
        List<Object> notes = new ArrayList<>();
        ObjectNode rest = json.createObjectNode();
        boolean sawNotes = false;
        try (JsonParser parser = json.createParser(in)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) throw UnsupportedImportException.unsupported();
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String property = parser.currentName();
                JsonToken value = parser.nextToken();
                if (property.equals("notes") && value == JsonToken.START_ARRAY) {
                    sawNotes = true;
                    int index = 0;
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        JsonNode note = parser.readValueAsTree();
                        notes.add(FinoteExportNote.read(index++, note));
                    }
                } else {
                    rest.set(property, (JsonNode) parser.readValueAsTree());
                }
            }
            if (parser.nextToken() != null) throw UnsupportedImportException.unsupported();
        } catch (JacksonIOException e) {
            throw e.getCause(); // reading the body failed (too large, cut off): not a verdict on the file
        } catch (JacksonException e) {
            throw UnsupportedImportException.unsupported();
        }
        if (sawNotes && "finote-export".equals(rest.path("format").asString(null)) && rest.path("version").asInt(0) == 1) return notes;
        if (!sawNotes && KeepNote.looksLike(rest)) return List.of(KeepNote.read("note.json", rest));
        throw UnsupportedImportException.unsupported();
    }
}
