package dev.finote.server.notes;

import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

import java.io.StringWriter;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-written note and time writers against the general ones they replace, on the same inputs. */
class NoteJsonTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String[] TEXTS = {"", "plain", "Café ☕ kopi", "quote \" backslash \\ slash /", "line\nbreak\ttab\u0001",
            "emoji 😀 and <script>&", "\u2028\u2029", "x".repeat(5000)};

    @Test
    void writesEveryNoteExactlyAsJacksonSerialisesTheRecord() {
        Random random = new Random(42);
        for (int i = 0; i < 2000; i++) {
            Note note = new Note(random.nextInt(), random.nextInt(), pick(random, false), pick(random, false), random.nextBoolean(),
                    pick(random, true), tags(random), pick(random, true), pick(random, true), pick(random, true));
            assertThat(handWritten(note)).as("note %s", note).isEqualTo(JSON.writeValueAsString(note));
        }
    }

    @Test
    void writesTimesExactlyAsTheFormatterDoes() {
        DateTimeFormatter formatter = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
        Random random = new Random(7);
        List<LocalDateTime> times = new ArrayList<>(List.of(LocalDateTime.MAX, LocalDateTime.MIN, LocalDateTime.of(0, 1, 1, 0, 0),
                LocalDateTime.of(1, 1, 1, 0, 0), LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_999),
                LocalDateTime.of(10000, 1, 1, 0, 0), LocalDateTime.of(2026, 11, 27, 9, 5, 3, 7_000_000)));
        for (int i = 0; i < 5000; i++) {
            times.add(LocalDateTime.of(random.nextInt(1, 10000), random.nextInt(1, 13), random.nextInt(1, 29), random.nextInt(24),
                    random.nextInt(60), random.nextInt(60), random.nextInt(1_000_000_000)));
        }
        for (LocalDateTime time : times) assertThat(UtcTimes.iso(time)).as("%s", time).isEqualTo(formatter.format(time));
        assertThat(UtcTimes.iso(null)).isNull();
    }

    private static String handWritten(Note note) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = JSON.createGenerator(out)) {
            NoteJson.write(generator, note);
        }
        return out.toString();
    }

    private static String pick(Random random, boolean nullable) {
        if (nullable && random.nextInt(4) == 0) return null;
        return TEXTS[random.nextInt(TEXTS.length)];
    }

    private static List<String> tags(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> null;
            case 1 -> List.of();
            case 2 -> Arrays.asList("a", null, "Rumah");
            default -> List.of(pick(random, false), pick(random, false));
        };
    }
}
