package dev.finote.server.web.ui;

import dev.finote.server.support.Api;
import dev.finote.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

import static dev.finote.server.web.ui.FinotePage.action;
import static dev.finote.server.web.ui.FinotePage.unique;
import static org.assertj.core.api.Assertions.assertThat;

/** Deleting with Undo, and the trash: restore, delete forever, empty. */
class TrashPageTest extends PageTest {

    private static final String PASSWORD = "plum-Orchard-42";

    TrashPageTest(TestServer server) {
        super(server, PASSWORD);
    }

    private static List<String> titles(Api api, String path) {
        Api.Response response = api.get(path);
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        List<String> titles = new ArrayList<>();
        for (JsonNode note : response.json()) titles.add(note.get("title").stringValue());
        return titles;
    }

    private List<String> trashTitles() {
        return browser.all("#trash-notes li.note").stream().map(FinotePage::titleOf).toList();
    }

    private void waitForTrash() {
        browser.until(d -> Boolean.FALSE.equals(browser.script("return document.getElementById('trash-view').hasAttribute('aria-busy')")));
    }

    @Test
    void deletingOffersUndoWhichBringsTheNoteBack() {
        String name = unique("undo");
        Api api = newUserWithNotes(name, "Keep me", "Other");
        page.login(name, PASSWORD);

        action(page.card("Keep me"), "delete").click();
        page.waitForMessage("#toast-text", "Note moved to the trash.");
        page.waitUntilNoCard("Keep me");
        assertThat(titles(api, "/api/notes")).containsExactly("Other");
        assertThat(titles(api, "/api/notes/trash")).containsExactly("Keep me");
        browser.screenshot("20-undo-toast");

        browser.byId("toast-undo").click();
        page.card("Keep me");
        page.waitForMessage("#toast-text", "Note restored.");
        assertThat(browser.byId("toast-undo").isDisplayed()).isFalse();
        assertThat(titles(api, "/api/notes")).containsExactlyInAnyOrder("Keep me", "Other");
        assertThat(titles(api, "/api/notes/trash")).isEmpty();

        // With the keyboard: Delete, then Enter on the Undo that now has focus.
        browser.script("document.activeElement.blur()");
        browser.tabTo(action(page.card("Keep me"), "delete"), 30);
        browser.press(Keys.ENTER);
        page.waitUntilNoCard("Keep me");
        assertThat(browser.focused()).isEqualTo(browser.byId("toast-undo"));
        browser.press(Keys.ENTER);
        page.card("Keep me");
        assertThat(browser.focused()).isEqualTo(action(page.card("Keep me"), "edit"));
        assertThat(titles(api, "/api/notes/trash")).isEmpty();
    }

    @Test
    void theTrashRestoresDeletesForeverAndEmpties() {
        String name = unique("trash");
        Api api = newUserWithNotes(name, "First", "Second", "Third", "Stays");
        page.login(name, PASSWORD);
        for (String title : List.of("First", "Second", "Third")) {
            action(page.card(title), "delete").click();
            page.waitUntilNoCard(title);
            page.waitForMessage("#toast-text", "Note moved to the trash.");
        }

        browser.byId("show-trash").click();
        waitForTrash();
        assertThat(browser.byId("notes-view").isDisplayed()).isFalse();
        assertThat(browser.focused()).isEqualTo(browser.byId("trash-heading"));
        assertThat(browser.driver().getTitle()).isEqualTo("Trash · Finote");
        // Most recently deleted first, each saying when.
        browser.until(d -> trashTitles().equals(List.of("Third", "Second", "First")));
        WebElement third = browser.find("#trash-notes li.note");
        assertThat(third.findElement(By.cssSelector(".note-meta")).getText()).startsWith("Deleted ");
        assertThat(third.findElement(By.cssSelector(".note-meta time")).getDomAttribute("datetime")).isNotBlank();
        browser.screenshot("21-trash");

        // Restore with the keyboard: focus moves on to the next note's first button.
        browser.tabTo(third.findElement(By.cssSelector("[data-action='restore']")), 10);
        browser.press(Keys.ENTER);
        page.waitForMessage("#banner", "“Third” is back in your notes.");
        browser.until(d -> trashTitles().equals(List.of("Second", "First")));
        WebElement second = browser.find("#trash-notes li.note");
        assertThat(browser.focused()).isEqualTo(second.findElement(By.cssSelector("[data-action='restore']")));
        assertThat(titles(api, "/api/notes")).contains("Third");

        // Delete forever asks first; Cancel keeps the note.
        second.findElement(By.cssSelector("[data-action='delete-for-good']")).click();
        assertThat(browser.visible("#confirm").getText()).contains("Delete this note forever?", "“Second” will be deleted for good.");
        browser.press(Keys.ESCAPE);
        browser.until(d -> !browser.byId("confirm").isDisplayed());
        assertThat(trashTitles()).containsExactly("Second", "First");
        browser.find("#trash-notes li.note [data-action='delete-for-good']").click();
        browser.visible("#confirm");
        browser.byId("confirm-ok").click();
        page.waitForMessage("#banner", "“Second” was deleted for good.");
        browser.until(d -> trashTitles().equals(List.of("First")));
        assertThat(titles(api, "/api/notes/trash")).containsExactly("First");

        // Empty the trash.
        browser.tabTo(browser.byId("empty-trash"), 10);
        browser.press(Keys.ENTER);
        assertThat(browser.visible("#confirm").getText()).contains("Empty the trash?", "The note in the trash will be deleted for good.");
        assertThat(browser.focused()).isEqualTo(browser.byId("confirm-cancel"));
        browser.press(Keys.TAB);
        browser.press(Keys.ENTER);
        page.waitForMessage("#banner", "1 note was deleted for good.");
        page.waitForMessage("#trash-empty", "The trash is empty.");
        assertThat(browser.byId("empty-trash").isDisplayed()).isFalse();
        assertThat(titles(api, "/api/notes/trash")).isEmpty();

        browser.byId("leave-trash").click();
        page.waitForList();
        browser.until(d -> page.cards().size() == 2);
        assertThat(page.cards()).extracting(FinotePage::titleOf).containsExactlyInAnyOrder("Third", "Stays");
        assertThat(browser.focused()).isEqualTo(browser.byId("show-trash"));
    }

    @Test
    void onAPhoneTheTrashFits() {
        String name = unique("phonetrash");
        Api api = newUserWithNotes(name, "A note with a title long enough to wrap on a phone");
        Api.Response list = api.get("/api/notes");
        assertThat(api.delete("/api/notes/" + list.json().get(0).get("id").intValue()).status()).isEqualTo(204);
        browser.phone();
        browser.reload();
        page.login(name, PASSWORD);

        browser.byId("show-trash").click();
        waitForTrash();
        browser.until(d -> trashTitles().size() == 1);
        assertThat(browser.script("return document.scrollingElement.scrollWidth <= window.innerWidth")).isEqualTo(true);
        for (WebElement element : List.of(browser.byId("empty-trash"), browser.byId("leave-trash"),
                browser.find("#trash-notes [data-action='restore']"), browser.find("#trash-notes [data-action='delete-for-good']"))) {
            Object fits = browser.script("const r = arguments[0].getBoundingClientRect(); "
                    + "return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth", element);
            assertThat(fits).as("%s fits the screen width", element.getText()).isEqualTo(true);
        }
        browser.screenshot("22-phone-trash");
    }
}
