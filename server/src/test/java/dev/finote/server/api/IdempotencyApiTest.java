package dev.finote.server.api;

import dev.finote.server.support.Api;
import dev.finote.server.support.FinoteExtension;
import dev.finote.server.support.SharedDatabase;
import dev.finote.server.support.Sql;
import dev.finote.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.finote.server.api.ApiChecks.assertFieldError;
import static dev.finote.server.api.ApiChecks.count;
import static dev.finote.server.api.ApiChecks.json;
import static dev.finote.server.api.ApiChecks.unique;
import static org.assertj.core.api.Assertions.assertThat;

/** POST /api/notes with an Idempotency-Key: a retry returns the first note and creates nothing. */
@ExtendWith(FinoteExtension.class)
class IdempotencyApiTest {

    private final SharedDatabase db;
    private final TestServer server;
    private final Api api;
    private final int userId;

    IdempotencyApiTest(SharedDatabase db, TestServer server, Api api) {
        this.db = db;
        this.server = server;
        this.api = api;
        this.userId = api.registerAndLogin(unique("idem"), "secret123");
    }

    private Api.Response create(Api client, String key, String title) {
        return client.send("POST", "/api/notes", json("title", title, "content", "c"), "Idempotency-Key", key);
    }

    @Test
    void aRetryWithTheSameKeyReturnsTheFirstNoteAndCreatesNothing() {
        Api.Response first = create(api, "key-1", "first");
        Api.Response retry = create(api, "key-1", "first");
        Api.Response other = create(api, "key-2", "second");

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.header("Idempotent-Replayed")).hasValue("true");
        assertThat(first.header("Idempotent-Replayed")).isEmpty();
        assertThat(other.json().get("id").intValue()).isNotEqualTo(first.json().get("id").intValue());
        assertThat(count(db, "SELECT count(*) FROM notes WHERE user_id = ?", userId)).isEqualTo(2);
    }

    @Test
    void keysArePerUser() {
        Api someone = server.api();
        someone.registerAndLogin(unique("idem"), "secret123");
        int mine = create(api, "shared-key", "mine").json().get("id").intValue();
        Api.Response theirs = create(someone, "shared-key", "theirs");
        assertThat(theirs.status()).isEqualTo(201);
        assertThat(theirs.json().get("id").intValue()).isNotEqualTo(mine);
        assertThat(theirs.json().get("title").stringValue()).isEqualTo("theirs");
    }

    @Test
    void concurrentRetriesMakeOneNote() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Api.Response>> attempts = new ArrayList<>();
            for (int i = 0; i < 8; i++) attempts.add(pool.submit(() -> create(api, "racing", "once")));
            Set<String> bodies = new HashSet<>();
            for (Future<Api.Response> attempt : attempts) {
                Api.Response response = attempt.get(60, TimeUnit.SECONDS);
                assertThat(response.status()).as("%s", response).isEqualTo(201);
                bodies.add(response.body());
            }
            assertThat(bodies).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(count(db, "SELECT count(*) FROM notes WHERE user_id = ?", userId)).isOne();
    }

    @Test
    void anExpiredKeyCreatesANewNote() {
        int first = create(api, "old-key", "a").json().get("id").intValue();
        Sql.update(db.superuserUrl(), "UPDATE finote_idempotency_keys SET created_at = now() - interval '25 hours' WHERE user_id = ?", userId);
        int second = create(api, "old-key", "b").json().get("id").intValue();
        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void aBadKeyIs400AndCreatesNothing() {
        assertFieldError(create(api, "k".repeat(201), "t"), 400, "idempotency_key_must_be_1_to_200_printable_ascii_characters", "Idempotency-Key");
        assertThat(create(api, "k".repeat(200), "t").status()).isEqualTo(201);
        assertThat(count(db, "SELECT count(*) FROM notes WHERE user_id = ?", userId)).isOne();
    }
}
