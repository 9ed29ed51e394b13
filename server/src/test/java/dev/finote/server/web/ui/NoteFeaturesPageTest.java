package dev.finote.server.web.ui;

import dev.finote.server.support.Api;
import dev.finote.server.support.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

import static dev.finote.server.web.ui.FinotePage.action;
import static dev.finote.server.web.ui.FinotePage.marked;
import static dev.finote.server.web.ui.FinotePage.unique;
import static org.assertj.core.api.Assertions.assertThat;

/** The second release's note features in a real browser: search, checklists, edited times, long notes, dark mode, retries. */
class NoteFeaturesPageTest extends PageTest {

    private static final String PASSWORD = "plum-Orchard-42";

    NoteFeaturesPageTest(TestServer server) {
        super(server, PASSWORD);
    }

    /** The dark-mode test emulates a dark system theme; the next test starts light again. */
    @AfterEach
    void lightAgain() {
        browser.driver().executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
    }

    private static String contentOf(Api api, String title) {
        return notesOf(api).stream().filter(n -> title.equals(n.get("title").stringValue())).findFirst().orElseThrow()
                .get("content").stringValue();
    }

    @Test
    void searchAsYouTypeFindsAndMarksWordsWithoutAccentsOrCase() {
        String name = unique("search");
        Api api = newUser(name);
        create(api, "Kopi susu", "Beli kopi di warung dekat kantor.", false, "yellow", List.of("belanja"));
        create(api, "Café au lait", "Un café, s'il vous plaît. Milk first.", true, "teal", null);
        create(api, "Groceries", "Milk, eggs, bread.", false, null, List.of("home"));
        page.login(name, PASSWORD);
        assertThat(page.cards()).hasSize(3);

        // Indonesian, as typed: the words are marked where they stand, title and text.
        page.search("kopi");
        assertThat(page.cards()).extracting(FinotePage::titleOf).containsExactly("Kopi susu");
        assertThat(marked(page.card("Kopi susu"))).containsExactly("Kopi", "kopi");
        assertThat(browser.byId("search-status").getText()).isEqualTo("1 note matches “kopi”.");

        // Without accents, in capitals, and half typed (the last word is a prefix).
        page.search("CAFE");
        assertThat(page.cards()).extracting(FinotePage::titleOf).containsExactly("Café au lait");
        assertThat(marked(page.card("Café au lait"))).containsExactly("Café", "café");
        page.search("caf");
        assertThat(marked(page.card("Café au lait"))).containsExactly("Café", "café");

        // Every word must match: "milk" alone finds two notes, "milk egg" one.
        page.search("milk");
        assertThat(page.cards()).extracting(FinotePage::titleOf).containsExactlyInAnyOrder("Café au lait", "Groceries");
        page.search("milk egg");
        assertThat(page.cards()).extracting(FinotePage::titleOf).containsExactly("Groceries");
        assertThat(marked(page.card("Groceries"))).containsExactly("Milk", "eggs");
        browser.screenshot("16-search");

        page.search("zzzz");
        assertThat(page.cards()).isEmpty();
        page.waitForMessage("#empty", "No notes match “zzzz”.");

        // Escape empties the search: every note again, pinned first, nothing marked.
        browser.byId("search").sendKeys(Keys.ESCAPE);
        page.waitForList();
        browser.until(d -> page.cards().size() == 3);
        assertThat(page.titles("pinned-notes")).containsExactly("Café au lait");
        assertThat(browser.all("mark")).isEmpty();
    }

    @Test
    void searchIsReachedWithTheKeyboardAndKeepsUpWithFastTyping() {
        String name = unique("typing");
        Api api = newUser(name);
        create(api, "Makan siang", "Nasi goreng dan teh manis.", false, null, null);
        create(api, "Makanan ringan", "Kerupuk.", false, null, null);
        page.login(name, PASSWORD);

        browser.reload(); // from the top of the page, as a visitor arrives
        page.waitForList();
        browser.tabTo(browser.byId("search"), 10);
        // One key at a time: answers to the early, broader searches must not replace the last one.
        for (char c : "makan sia".toCharArray()) browser.press(String.valueOf(c));
        page.waitForList();
        browser.until(d -> page.cards().size() == 1);
        assertThat(page.cards()).extracting(FinotePage::titleOf).containsExactly("Makan siang");
        assertThat(marked(page.card("Makan siang"))).containsExactly("Makan", "siang");
    }

    @Test
    void checklistLinesAreCheckboxesThatSaveWhenTicked() {
        String name = unique("tasks");
        Api api = newUser(name);
        String content = "Before the trip\n- [ ] Passport\n- [x] Charger\n  - [ ] Adapter\nThe rest can wait.";
        create(api, "Packing", content, false, "blue", null);
        page.login(name, PASSWORD);

        WebElement card = page.card("Packing");
        List<WebElement> boxes = card.findElements(By.cssSelector("input[type=checkbox]"));
        assertThat(boxes).hasSize(3);
        assertThat(card.findElements(By.cssSelector("label.task"))).extracting(WebElement::getText)
                .containsExactly("Passport", "Charger", "Adapter");
        assertThat(boxes).extracting(WebElement::isSelected).containsExactly(false, true, false);
        assertThat(card.findElement(By.cssSelector(".note-content")).getText()).startsWith("Before the trip").endsWith("The rest can wait.");
        browser.screenshot("17-checklist");

        // With the keyboard: Tab to the first box, Space ticks it and saves the note.
        browser.script("document.activeElement.blur()");
        browser.tabTo(boxes.getFirst(), 30);
        browser.press(Keys.SPACE);
        String ticked = "Before the trip\n- [x] Passport\n- [x] Charger\n  - [ ] Adapter\nThe rest can wait.";
        browser.until(d -> ticked.equals(contentOf(api, "Packing")));
        // The saved note is drawn again after the server's answer, which may come after the row is
        // written: the focus is on the new card's first box once it is drawn.
        browser.until(d -> browser.focused().equals(page.card("Packing").findElements(By.cssSelector("input[type=checkbox]")).getFirst()));

        // With the mouse: untick the second; the indented third keeps its indentation.
        page.card("Packing").findElements(By.cssSelector("label.task")).get(1).click();
        String unticked = "Before the trip\n- [x] Passport\n- [ ] Charger\n  - [ ] Adapter\nThe rest can wait.";
        browser.until(d -> unticked.equals(contentOf(api, "Packing")));

        browser.reload();
        assertThat(page.card("Packing").findElements(By.cssSelector("input[type=checkbox]")))
                .extracting(WebElement::isSelected).containsExactly(true, false, false);
        // Ticking does not open the card for editing.
        assertThat(browser.all("li.note.editing")).isEmpty();
    }

    @Test
    void onAPhoneANoteIsEditedInPlaceAndTickedWithTheKeyboard() {
        String name = unique("phoneedit");
        Api api = newUser(name);
        create(api, "Errands", "- [ ] Post office\n- [ ] Pharmacy", false, "green", null);
        browser.phone();
        browser.reload();
        page.login(name, PASSWORD);

        WebElement box = page.card("Errands").findElements(By.cssSelector("input[type=checkbox]")).getFirst();
        assertWithinTheScreenWidth(box);
        browser.script("document.activeElement.blur()");
        browser.tabTo(box, 30);
        browser.press(Keys.SPACE);
        browser.until(d -> contentOf(api, "Errands").equals("- [x] Post office\n- [ ] Pharmacy"));

        browser.tabTo(action(page.card("Errands"), "edit"), 10);
        browser.press(Keys.ENTER);
        WebElement editing = page.editingCard();
        assertThat(browser.focused()).isEqualTo(browser.byId("note-title"));
        for (String id : List.of("note-title", "note-content", "note-tags", "save-note", "cancel-edit")) {
            assertWithinTheScreenWidth(browser.byId(id));
        }
        assertThat(browser.script("return document.scrollingElement.scrollWidth <= window.innerWidth")).isEqualTo(true);
        assertThat(editing.getDomAttribute("class")).contains("color-green");
        browser.screenshot("27-phone-editing-in-place");
        browser.press(Keys.END, " and bank");
        browser.press(Keys.ENTER); // Enter in the title saves
        page.card("Errands and bank");
        assertThat(browser.focused()).isEqualTo(action(page.card("Errands and bank"), "edit"));
        assertThat(contentOf(api, "Errands and bank")).isEqualTo("- [x] Post office\n- [ ] Pharmacy");
    }

    private void assertWithinTheScreenWidth(WebElement element) {
        Object fits = browser.script("const r = arguments[0].getBoundingClientRect(); "
                + "return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth", element);
        assertThat(fits).as("%s fits the screen width", element.getDomAttribute("id")).isEqualTo(true);
    }

    @Test
    void cardsSayWhenTheNoteWasLastEdited() {
        String name = unique("edited");
        Api api = newUser(name);
        JsonNode note = create(api, "Changes over time", "first version", false, null, null);
        Api.Response put = api.put("/api/notes/" + note.get("id").intValue(), "{\"content\":\"second version\"}");
        assertThat(put.status()).isEqualTo(200);
        String updatedAt = put.json().get("updatedAt").stringValue();
        assertThat(updatedAt).isNotEqualTo(note.get("createdAt").stringValue());
        page.login(name, PASSWORD);

        WebElement meta = page.card("Changes over time").findElement(By.cssSelector(".note-meta"));
        WebElement time = meta.findElement(By.tagName("time"));
        assertThat(time.getDomAttribute("datetime")).isEqualTo(updatedAt);
        Object local = browser.script("return new Intl.DateTimeFormat(navigator.language, {dateStyle: 'medium', timeStyle: 'short'})"
                + ".format(new Date(arguments[0]))", updatedAt);
        assertThat(meta.getText()).isEqualTo("Edited " + local);
    }

    @Test
    void longNotesShowTheirStartAndShowMoreInsteadOfAScrollBox() {
        String name = unique("long");
        Api api = newUser(name);
        StringBuilder lines = new StringBuilder();
        for (int i = 1; i <= 60; i++) lines.append("Line ").append(i).append(i < 60 ? "\n" : "");
        create(api, "A long note", lines.toString(), false, null, null);
        create(api, "A short note", "Two lines\nonly.", false, null, null);
        page.login(name, PASSWORD);

        WebElement content = page.card("A long note").findElement(By.cssSelector(".note-content"));
        assertThat(browser.script("return getComputedStyle(arguments[0]).overflowY", content)).as("no scroll box").isEqualTo("hidden");
        assertThat(((Number) browser.script("return arguments[0].clientHeight", content)).intValue()).isLessThanOrEqualTo(200);
        assertThat(page.card("A short note").findElements(By.cssSelector("[data-action='more']"))).isEmpty();

        WebElement more = page.card("A long note").findElement(By.cssSelector("[data-action='more']"));
        assertThat(more.getText()).isEqualTo("Show more");
        assertThat(more.getDomAttribute("aria-expanded")).isEqualTo("false");
        browser.screenshot("18-long-note-clipped");
        browser.script("document.activeElement.blur()");
        browser.tabTo(more, 20);
        browser.press(Keys.ENTER);
        assertThat(more.getDomAttribute("aria-expanded")).isEqualTo("true");
        assertThat(more.getText()).isEqualTo("Show less");
        assertThat(browser.script("return arguments[0].scrollHeight <= arguments[0].clientHeight + 1", content)).isEqualTo(true);
        assertThat(content.getText()).endsWith("Line 59\nLine 60");
    }

    @Test
    void darkModeFollowsTheSystemWithReadableText() {
        String name = unique("dark");
        Api api = newUser(name);
        for (String color : List.of("default", "red", "orange", "yellow", "green", "teal", "blue", "purple", "pink", "gray")) {
            create(api, "A " + color + " note", "Some text to read on " + color + ".", false, color, List.of(color));
        }
        page.login(name, PASSWORD);
        assertThat(luminance("html", "backgroundColor")).as("light page by default").isGreaterThan(0.8);
        assertEveryCardIsReadable();

        browser.driver().executeCdpCommand("Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));

        assertThat(luminance("html", "backgroundColor")).as("dark page").isLessThan(0.05);
        assertThat(contrast("html", "color", "html", "backgroundColor")).isGreaterThanOrEqualTo(7.0);
        assertThat(contrast("#note-title", "color", "#editor", "backgroundColor")).isGreaterThanOrEqualTo(4.5);
        assertEveryCardIsReadable();
        for (WebElement card : page.cards()) {
            String article = "li.note[data-id='" + card.getDomAttribute("data-id") + "'] article";
            assertThat(luminance(article, "backgroundColor")).as(FinotePage.titleOf(card)).isLessThan(0.15);
        }
        browser.script("document.activeElement.blur()");
        browser.screenshot("19-dark-mode");
    }

    /** Title and meta text of every card at WCAG AA contrast (4.5:1) on its color. */
    private void assertEveryCardIsReadable() {
        for (WebElement card : page.cards()) {
            String id = card.getDomAttribute("data-id");
            String article = "li.note[data-id='" + id + "'] article";
            assertThat(contrast(article + " .note-title", "color", article, "backgroundColor")).as(FinotePage.titleOf(card))
                    .isGreaterThanOrEqualTo(4.5);
            assertThat(contrast(article + " .note-meta", "color", article, "backgroundColor")).as(FinotePage.titleOf(card))
                    .isGreaterThanOrEqualTo(4.5);
        }
    }

    private double luminance(String css, String property) {
        return ((Number) browser.script(COLOR_MATH + "return luminance(getComputedStyle(document.querySelector(arguments[0]))[arguments[1]])",
                css, property)).doubleValue();
    }

    private double contrast(String foreground, String fgProperty, String background, String bgProperty) {
        return ((Number) browser.script(COLOR_MATH
                + "const a = luminance(getComputedStyle(document.querySelector(arguments[0]))[arguments[1]]);"
                + "const b = luminance(getComputedStyle(document.querySelector(arguments[2]))[arguments[3]]);"
                + "return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)", foreground, fgProperty, background, bgProperty))
                .doubleValue();
    }

    /** WCAG 2 relative luminance of a computed "rgb(…)" color. */
    private static final String COLOR_MATH = "function luminance(rgb) {"
            + "  const [r, g, b] = rgb.match(/[\\d.]+/g).slice(0, 3).map(Number).map(v => v / 255)"
            + "    .map(v => v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));"
            + "  return 0.2126 * r + 0.7152 * g + 0.0722 * b; }";

    @Test
    void aCreateRetriedAfterA503OrALostAnswerSendsTheSameIdempotencyKeyAndMakesOneNote() {
        String name = unique("retry");
        Api api = newUser(name);
        page.login(name, PASSWORD);
        // The first attempt never reaches the server (a 503 from a proxy); the second reaches it but
        // its answer is lost on the way back; the third is answered.
        browser.script("""
                window.__keys = [];
                const realFetch = window.fetch;
                let attempt = 0;
                window.fetch = async (url, init) => {
                  if (String(url) !== '/api/notes' || init?.method !== 'POST') return realFetch(url, init);
                  window.__keys.push(init.headers['Idempotency-Key']);
                  attempt += 1;
                  if (attempt === 1) {
                    return new Response('{"message":"service_unavailable"}',
                      { status: 503, headers: { 'Content-Type': 'application/json', 'Retry-After': '1' } });
                  }
                  const response = await realFetch(url, init);
                  if (attempt === 2) throw new TypeError('Failed to fetch');
                  return response;
                };""");

        page.fillEditor("Sent three times", "saved once", null, null, null);
        page.saveEditor();
        page.waitForMessage("#editor-error", "Finote cannot reach its database right now. Try again in a moment.");
        page.saveEditor();
        page.waitForMessage("#editor-error", "Cannot reach the Finote server. Check your connection and try again.");
        page.saveEditor();
        page.card("Sent three times");

        @SuppressWarnings("unchecked")
        List<String> keys = (List<String>) browser.script("return window.__keys");
        assertThat(keys).hasSize(3).allMatch(key -> key.matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
        assertThat(keys).containsOnly(keys.getFirst());
        assertThat(notesOf(api)).extracting(n -> n.get("title").stringValue()).containsExactly("Sent three times");
        assertThat(page.cards()).hasSize(1);

        // The next note is a new create with a new key.
        page.createNote("Another note", "", null, null, false);
        @SuppressWarnings("unchecked")
        List<String> after = (List<String>) browser.script("return window.__keys");
        assertThat(after).hasSize(4);
        assertThat(after.getLast()).isNotEqualTo(keys.getFirst());
        assertThat(notesOf(api)).hasSize(2);
        assertThat(action(page.card("Another note"), "edit").isDisplayed()).isTrue();
    }
}
