package dev.finote.server.web.ui;

import dev.finote.server.support.Api;
import dev.finote.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

import static dev.finote.server.web.ui.FinotePage.action;
import static dev.finote.server.web.ui.FinotePage.tagsOf;
import static dev.finote.server.web.ui.FinotePage.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The notes screen in a real browser: list order, every edit, tag filter, errors, hostile content, phone size. */
class NotesPageTest extends PageTest {

    private static final String PASSWORD = "secret123";

    NotesPageTest(TestServer server) {
        super(server, PASSWORD);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array != null && array.isArray()) array.forEach(value -> values.add(value.stringValue()));
        return values;
    }

    @Test
    void notesArePinnedFirstThenNewestFirstWithDatesInTheUsersLocale() {
        String name = unique("list");
        Api api = newUser(name);
        create(api, "Books to read", "The Left Hand of Darkness\nPiranesi\nThe Dispossessed", false, "green", List.of("reading"));
        create(api, "Groceries", "- [x] Rice 5 kg\n- [ ] Eggs\n- [ ] Coffee beans\n- [ ] Lemons", true, "yellow",
                List.of("home", "shopping"));
        create(api, "Call the plumber", "Thursday after 5 pm: the kitchen tap drips.", false, "red", List.of("home"));
        create(api, "Trip to Lisbon", "Book the train to Sintra.\nPack the travel adapter.", true, "blue", List.of("travel"));
        create(api, "Blog ideas", "Why plain HTML still wins.\nKeyboard-first forms.", false, "purple", List.of("writing"));
        JsonNode imported = create(api, "Imported note", "Kept from the old app; its color is not in the palette.", false, "#fff475", null);

        browser.viewport(1280, 1180);
        page.login(name, PASSWORD);

        assertThat(page.titles("pinned-notes")).containsExactly("Trip to Lisbon", "Groceries");
        assertThat(page.titles("other-notes")).containsExactly("Imported note", "Blog ideas", "Call the plumber", "Books to read");
        assertThat(browser.byId("pinned-heading").getText()).isEqualToIgnoringCase("Pinned");
        assertThat(browser.byId("other-heading").getText()).isEqualToIgnoringCase("Others");
        assertThat(page.card("Groceries").getDomAttribute("class")).contains("color-yellow");
        assertThat(tagsOf(page.card("Groceries"))).containsExactly("#home", "#shopping");
        assertThat(page.card("Groceries").findElements(By.cssSelector(".note-content label.task")))
                .extracting(WebElement::getText).containsExactly("Rice 5 kg", "Eggs", "Coffee beans", "Lemons");
        assertThat(page.card("Groceries").findElements(By.cssSelector(".note-content input[type=checkbox]")))
                .extracting(WebElement::isSelected).containsExactly(true, false, false, false);
        // An unknown color is shown as the default one; a note without tags has no tag list.
        WebElement importedCard = page.card("Imported note");
        assertThat(importedCard.getDomAttribute("class")).contains("color-default");
        assertThat(importedCard.findElements(By.cssSelector(".note-tags"))).isEmpty();

        String createdAt = imported.get("createdAt").stringValue();
        WebElement time = importedCard.findElement(By.tagName("time"));
        assertThat(time.getDomAttribute("datetime")).isEqualTo(createdAt);
        Object local = browser.script("return new Intl.DateTimeFormat(navigator.language, {dateStyle: 'medium', timeStyle: 'short'})"
                + ".format(new Date(arguments[0]))", createdAt);
        assertThat(time.getText()).isEqualTo(local).doesNotContain("T", "Z");
        browser.script("window.scrollTo(0, 0); document.activeElement.blur()");
        browser.screenshot("07-notes");
    }

    @Test
    void createEditPinRecolorTagAndDeleteANote() {
        String name = unique("flow");
        Api api = newUser(name);
        page.login(name, PASSWORD);

        WebElement card = page.createNote("Buy paint", "Two litres of white", "home, diy, home", "green", false);
        page.waitForMessage("#banner", "Note added.");
        assertThat(card.getDomAttribute("class")).contains("color-green");
        assertThat(tagsOf(card)).containsExactly("#home", "#diy");
        assertThat(page.titles("other-notes")).containsExactly("Buy paint");
        JsonNode saved = notesOf(api).getFirst();
        assertThat(saved.get("color").stringValue()).isEqualTo("green");
        assertThat(strings(saved.get("tags"))).containsExactly("home", "diy");
        assertThat(saved.get("isPinned").booleanValue()).isFalse();
        // The editor is empty again, ready for the next note.
        assertThat(browser.byId("note-title").getDomProperty("value")).isEmpty();
        assertThat(browser.byId("color-default-radio").isSelected()).isTrue();

        // Edit in place: the card opens as the editor (the form at the top is not used); change text, tags, color.
        String id = card.getDomAttribute("data-id");
        action(card, "edit").click();
        page.waitForMessage("#editor-heading", "Edit note");
        WebElement editing = page.editingCard();
        assertThat(editing.getDomAttribute("data-id")).isEqualTo(id);
        assertThat(editing.findElements(By.id("editor"))).hasSize(1);
        assertThat(browser.byId("composer").findElements(By.id("editor"))).isEmpty();
        assertThat(browser.focused()).isEqualTo(browser.byId("note-title"));
        assertThat(browser.byId("note-title").getDomProperty("value")).isEqualTo("Buy paint");
        assertThat(browser.byId("note-tags").getDomProperty("value")).isEqualTo("home, diy");
        assertThat(browser.byId("color-green-radio").isSelected()).isTrue();
        assertThat(browser.byId("save-note").getText()).isEqualTo("Save changes");
        page.fillEditor("Buy paint and brushes", "Two litres of white, one wide brush", "home, diy, shopping", "blue", null);
        browser.screenshot("08-editing");
        page.saveEditor();
        page.waitForMessage("#banner", "Note saved.");
        page.waitUntilNoCard("Buy paint");
        card = page.card("Buy paint and brushes");
        assertThat(card.getDomAttribute("class")).contains("color-blue");
        assertThat(tagsOf(card)).containsExactly("#home", "#diy", "#shopping");
        assertThat(card.findElement(By.cssSelector(".note-content")).getText()).isEqualTo("Two litres of white, one wide brush");
        assertThat(browser.byId("editor-heading").getText()).isEqualTo("New note");
        assertThat(browser.byId("composer").findElements(By.id("editor"))).hasSize(1);
        assertThat(browser.all("li.note.editing")).isEmpty();
        assertThat(browser.focused()).isEqualTo(action(card, "edit"));
        saved = notesOf(api).getFirst();
        assertThat(saved.get("title").stringValue()).isEqualTo("Buy paint and brushes");
        assertThat(saved.get("color").stringValue()).isEqualTo("blue");
        assertThat(strings(saved.get("tags"))).containsExactly("home", "diy", "shopping");

        // Cancelling an edit changes nothing; clicking a card's text opens it too, Escape cancels.
        action(card, "edit").click();
        page.fillEditor("Not saved", null, null, "red", null);
        browser.byId("cancel-edit").click();
        page.waitForMessage("#editor-heading", "New note");
        assertThat(page.titles("other-notes")).containsExactly("Buy paint and brushes");
        page.card("Buy paint and brushes").findElement(By.cssSelector(".note-content")).click();
        assertThat(page.editingCard().getDomAttribute("data-id")).isEqualTo(id);
        assertThat(browser.byId("note-content").getDomProperty("value")).isEqualTo("Two litres of white, one wide brush");
        browser.press(org.openqa.selenium.Keys.ESCAPE);
        browser.until(d -> browser.all("li.note.editing").isEmpty());
        assertThat(browser.focused()).isEqualTo(action(page.card("Buy paint and brushes"), "edit"));
        assertThat(notesOf(api).getFirst().get("title").stringValue()).isEqualTo("Buy paint and brushes");

        // Pin and unpin.
        page.createNote("Second note", "so there is something to pass", "", null, false);
        action(page.card("Buy paint and brushes"), "pin").click();
        page.waitForMessage("#banner", "Note pinned.");
        browser.until(d -> page.titles("pinned-notes").equals(List.of("Buy paint and brushes")));
        WebElement pin = action(page.card("Buy paint and brushes"), "pin");
        assertThat(pin.getText()).isEqualTo("Unpin");
        assertThat(pin.getDomAttribute("aria-pressed")).isEqualTo("true");
        assertThat(notesOf(api).getFirst().get("isPinned").booleanValue()).isTrue();
        pin.click();
        page.waitForMessage("#banner", "Note unpinned.");
        browser.until(d -> page.titles("pinned-notes").isEmpty()
                && page.titles("other-notes").equals(List.of("Second note", "Buy paint and brushes")));
        assertThat(browser.byId("pinned-section").isDisplayed()).isFalse();

        // Delete asks nothing: the note leaves the list at once, and a toast offers Undo (see TrashPageTest).
        action(page.card("Buy paint and brushes"), "delete").click();
        page.waitForMessage("#toast-text", "Note moved to the trash.");
        page.waitUntilNoCard("Buy paint and brushes");
        assertThat(browser.byId("toast-undo").isDisplayed()).isTrue();
        assertThat(browser.focused()).isEqualTo(browser.byId("toast-undo"));
        assertThat(browser.all("dialog[open]")).isEmpty();
        browser.screenshot("09-deleted-with-undo");
        assertThat(notesOf(api)).extracting(n -> n.get("title").stringValue()).containsExactly("Second note");
    }

    @Test
    void theTagBarFiltersTheList() {
        String name = unique("tags");
        Api api = newUser(name);
        create(api, "Rice", "5 kg", false, "yellow", List.of("groceries", "home"));
        create(api, "Passport", "renew before May", true, "blue", List.of("travel"));
        create(api, "Soap", "lavender", false, "pink", List.of("groceries"));
        create(api, "Loose thought", "no tags here", false, null, null);
        page.login(name, PASSWORD);

        List<WebElement> filters = browser.all("#tag-filters button");
        assertThat(filters).extracting(WebElement::getText).containsExactly("All notes", "#groceries", "#home", "#travel");
        assertThat(filters.getFirst().getDomAttribute("aria-pressed")).isEqualTo("true");

        browser.find("#tag-filters button[data-tag='groceries']").click();
        browser.until(d -> page.cards().size() == 2);
        assertThat(page.cards()).extracting(FinotePage::titleOf).containsExactly("Soap", "Rice");
        assertThat(browser.find("#tag-filters button[data-tag='groceries']").getDomAttribute("aria-pressed")).isEqualTo("true");
        assertThat(browser.byId("pinned-section").isDisplayed()).isFalse();
        browser.screenshot("10-filtered-by-tag");

        // A tag chip on a card filters by that tag too.
        page.card("Rice").findElement(By.cssSelector(".note-tags .chip[data-tag='home']")).click();
        browser.until(d -> page.cards().stream().map(FinotePage::titleOf).toList().equals(List.of("Rice")));

        browser.find("#tag-filters button[data-tag='']").click();
        browser.until(d -> page.cards().size() == 4);
        assertThat(page.cards()).extracting(FinotePage::titleOf).containsExactly("Passport", "Loose thought", "Soap", "Rice");
    }

    @Test
    void validationErrorsFromTheApiAreShownAtTheirField() {
        String name = unique("valid");
        Api api = newUser(name);
        page.login(name, PASSWORD);

        page.fillEditor("", "", null, null, null);
        page.saveEditor();
        page.waitForMessage("#note-title-error", "Write a title or some content first.");

        page.fillEditor("t".repeat(1_001), "content", null, null, null);
        page.saveEditor();
        page.waitForMessage("#note-title-error", "The title is too long (at most 1,000 characters).");
        assertThat(browser.byId("note-title").getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.focused()).isEqualTo(browser.byId("note-title"));
        browser.screenshot("11-validation-error");

        page.fillEditor("Fine title", null, "ok, " + "x".repeat(101), null, null);
        page.saveEditor();
        page.waitForMessage("#note-tags-error", "A tag is too long (at most 100 characters per tag).");
        assertThat(browser.byId("note-title-error").isDisplayed()).isFalse();
        assertThat(browser.byId("note-title").getDomAttribute("aria-invalid")).isNull();
        assertThat(notesOf(api)).isEmpty();

        page.fillEditor(null, null, "ok", null, null);
        page.saveEditor();
        page.card("Fine title");
        assertThat(browser.byId("note-tags-error").isDisplayed()).isFalse();
        assertThat(notesOf(api)).hasSize(1);
    }

    @Test
    void aNoteDeletedElsewhereIsExplainedAndTheListRefreshed() {
        String name = unique("gone");
        Api api = newUser(name);
        JsonNode note = create(api, "Deleted on another device", "c", false, null, null);
        page.login(name, PASSWORD);
        assertThat(api.delete("/api/notes/" + note.get("id").intValue()).status()).isEqualTo(204);

        action(page.card("Deleted on another device"), "pin").click();

        page.waitForMessage("#banner", "That note no longer exists; the list has been refreshed.");
        page.waitUntilNoCard("Deleted on another device");
    }

    @Test
    void userContentIsShownAsTextNeverAsMarkup() {
        String name = unique("xss");
        newUser(name);
        page.login(name, PASSWORD);
        String title = "<img src=x onerror=\"window.__finoteXss = 1\">";
        String content = "<script>window.__finoteXss = 2</script><b>not bold</b>";

        WebElement card = page.createNote(title, content, "<i>tag</i>", null, false);

        assertThat(FinotePage.titleOf(card)).isEqualTo(title);
        assertThat(card.findElement(By.cssSelector(".note-content")).getText()).isEqualTo(content);
        assertThat(tagsOf(card)).containsExactly("#<i>tag</i>");
        assertThat(card.findElements(By.cssSelector("img, script, b, i"))).isEmpty();
        // Searching marks words with DOM nodes too: still no markup from the note.
        page.createNote("Markup as text", "<b>not bold</b>", null, null, false);
        page.search("bold");
        WebElement found = page.card("Markup as text");
        assertThat(FinotePage.marked(found)).containsExactly("bold");
        assertThat(found.findElement(By.cssSelector(".note-content")).getText()).isEqualTo("<b>not bold</b>");
        assertThat(browser.all("main b, main img, main script")).isEmpty();
        page.search("");
        browser.reload();
        page.card(title);
        assertThat(browser.script("return window.__finoteXss === undefined && document.querySelectorAll('main img').length === 0"))
                .isEqualTo(true);
    }

    @Test
    void onAPhoneEverythingFitsWithoutSidewaysScrolling() {
        String name = unique("phone");
        Api api = newUser(name);
        create(api, "A rather long title that has to wrap on a small screen", "Short.", true, "teal", List.of("phone"));
        create(api, "Unbroken" + "x".repeat(80), "y".repeat(300), false, "orange",
                List.of("averyveryverylongtagnamewithoutanyspacesatallthatmustwrap"));
        browser.phone();
        browser.reload();
        assertThat(browser.script("return window.innerWidth")).isEqualTo(390L);
        assertNoSidewaysScrolling();
        browser.screenshot("12-phone-login");

        page.login(name, PASSWORD);
        page.card("A rather long title that has to wrap on a small screen");
        browser.script("window.scrollTo(0, 0)");

        assertNoSidewaysScrolling();
        // The header stays on one row: everything in it shares one line.
        List<WebElement> header = List.of(browser.find(".brand"), browser.byId("whoami"), browser.byId("open-settings"),
                browser.byId("logout"));
        for (WebElement element : header) {
            assertWithinTheScreenWidth(element);
            assertThat(centerY(element)).as("%s on the header's row", element.getText()).isCloseTo(centerY(header.getFirst()), within(4.0));
        }
        assertThat(height(browser.find(".topbar"))).isLessThan(64);
        // The first screen shows notes: the new-note editor is one "Take a note…" line, the first card starts above the middle.
        assertThat(browser.byId("note-title").isDisplayed()).isFalse();
        WebElement takeANote = browser.byId("note-content");
        assertThat(takeANote.getDomAttribute("placeholder")).isEqualTo("Take a note…");
        assertThat(height(browser.byId("editor"))).isLessThan(64);
        browser.screenshot("13-phone-top");
        assertThat(top(page.cards().getFirst())).isLessThan(844 / 2.0);
        for (WebElement element : List.of(takeANote, browser.byId("search"), browser.byId("show-trash"),
                browser.find("#tag-filters button[data-tag='phone']"))) {
            assertWithinTheScreenWidth(element);
        }
        for (WebElement card : page.cards()) {
            for (String action : List.of("pin", "edit", "delete")) assertWithinTheScreenWidth(action(card, action));
        }
        browser.script("document.activeElement.blur()");
        browser.screenshot("13-phone-top");

        // Tapping the line opens the whole editor; leaving it empty folds it back.
        takeANote.click();
        browser.visible("#note-title");
        assertWithinTheScreenWidth(browser.byId("save-note"));
        browser.screenshot("14-phone-editor-open");
        browser.press(org.openqa.selenium.Keys.ESCAPE);
        browser.until(d -> !browser.byId("note-title").isDisplayed());
        // Writing a note on the phone.
        takeANote.click();
        browser.visible("#note-title").sendKeys("Written on the phone"); // typed, not cleared: a cleared field loses focus
        takeANote.sendKeys("with the editor open");
        page.saveEditor();
        page.card("Written on the phone");

        action(page.card("A rather long title that has to wrap on a small screen"), "delete").click();
        page.waitForMessage("#toast-text", "Note moved to the trash.");
        assertWithinTheScreenWidth(browser.byId("toast-undo"));
        assertNoSidewaysScrolling();
        browser.screenshot("15-phone-deleted-with-undo");
    }

    private double top(WebElement element) {
        return ((Number) browser.script("return arguments[0].getBoundingClientRect().top", element)).doubleValue();
    }

    private double height(WebElement element) {
        return ((Number) browser.script("return arguments[0].getBoundingClientRect().height", element)).doubleValue();
    }

    private double centerY(WebElement element) {
        return ((Number) browser.script("const r = arguments[0].getBoundingClientRect(); return r.top + r.height / 2", element))
                .doubleValue();
    }

    private void assertNoSidewaysScrolling() {
        assertThat(browser.script("return document.scrollingElement.scrollWidth <= window.innerWidth")).isEqualTo(true);
    }

    private void assertWithinTheScreenWidth(WebElement element) {
        assertThat(element.isDisplayed()).as("%s is displayed", element.getText()).isTrue();
        Object fits = browser.script("const r = arguments[0].getBoundingClientRect(); "
                + "return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth", element);
        assertThat(fits).as("%s fits the screen width", element.getText()).isEqualTo(true);
    }
}
