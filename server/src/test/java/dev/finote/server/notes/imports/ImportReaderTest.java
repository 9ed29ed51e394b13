package dev.finote.server.notes.imports;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ImportReaderTest {

    private final ImportReader reader = new ImportReader(JsonMapper.builder().build());

    private List<Object> read(String json) throws Exception {
        return reader.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aFinoteExportIsReadNoteByNote() throws Exception {
        List<Object> notes = read("{\"format\":\"finote-export\",\"version\":1,\"exportedAt\":\"2026-01-01T00:00:00.000Z\",\"notes\":["
                + "{\"id\":1,\"title\":\"a\",\"content\":\"b\",\"tags\":[\"x\"],\"createdAt\":\"2026-01-01T00:00:00.123Z\"},{\"title\":\"a\"}]}");
        assertThat(notes).hasSize(2);
        ImportedNote first = (ImportedNote) notes.get(0);
        assertThat(first.title()).isEqualTo("a");
        assertThat(first.tags()).containsExactly("x");
        assertThat(first.createdAt()).hasToString("2026-01-01T00:00:00.123");
        assertThat(notes.get(1)).isEqualTo(new ImportProblem("notes[1]", "content_missing"));
    }

    @Test
    void oneKeepNote() throws Exception {
        List<Object> notes = read("{\"color\":\"RED\",\"isTrashed\":false,\"textContent\":\"t\",\"title\":\"k\",\"userEditedTimestampUsec\":1}");
        assertThat(((ImportedNote) notes.getFirst()).color()).isEqualTo("red");
    }
}
