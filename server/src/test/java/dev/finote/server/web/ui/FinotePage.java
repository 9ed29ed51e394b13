package dev.finote.server.web.ui;

import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import java.util.List;
import java.util.UUID;

/** The web app as a person sees it: what to fill in, what to click, what is on screen. */
final class FinotePage {

    private final Browser browser;

    FinotePage(Browser browser) {
        this.browser = browser;
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    Browser browser() {
        return browser;
    }

    void fillLogin(String username, String password) {
        browser.visible("#login-form");
        browser.type("#login-username", username);
        browser.type("#login-password", password);
    }

    void submitLogin(String username, String password) {
        fillLogin(username, password);
        browser.find("#login-form button[type=submit]").click();
    }

    void login(String username, String password) {
        submitLogin(username, password);
        waitLoggedIn(username);
    }

    void waitLoggedIn(String username) {
        browser.untilText("#whoami", username);
        browser.visible("#editor");
        waitForList();
    }

    /** Waits until the notes list has been loaded and drawn. */
    void waitForList() {
        browser.until(d -> Boolean.FALSE.equals(browser.script("return document.getElementById('notes-view').hasAttribute('aria-busy')")));
    }

    void submitRegister(String username, String password) {
        if (!browser.byId("register-form").isDisplayed()) browser.visible("#show-register").click();
        browser.visible("#register-form");
        browser.type("#register-username", username);
        browser.type("#register-password", password);
        browser.find("#register-form button[type=submit]").click();
    }

    /** Text of the visible element once it is not empty. */
    String textOf(String css) {
        return browser.until(d -> {
            WebElement element = browser.visible(css);
            String text = element.getText();
            return text.isBlank() ? null : text;
        });
    }

    void waitForMessage(String css, String text) {
        browser.untilText(css, text);
    }

    /** Fills the editor and saves; null leaves a field as it is. */
    void fillEditor(String title, String content, String tags, String color, Boolean pinned) {
        if (title != null) browser.type("#note-title", title);
        if (content != null) browser.type("#note-content", content);
        if (tags != null) browser.type("#note-tags", tags);
        if (color != null) browser.find("label[for='color-" + color + "-radio']").click();
        if (pinned != null && browser.byId("note-pinned").isSelected() != pinned) browser.byId("note-pinned").click();
    }

    void saveEditor() {
        browser.byId("save-note").click();
    }

    WebElement createNote(String title, String content, String tags, String color, boolean pinned) {
        fillEditor(title, content, tags, color, pinned);
        saveEditor();
        return card(title);
    }

    /** Types into the search box, as a person does, and waits until the list shows its results. */
    void search(String text) {
        WebElement search = browser.find("#search");
        search.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE); // keys, not clear(): the page sees each change
        if (!text.isEmpty()) search.sendKeys(text);
        waitForList();
    }

    /** The card being edited in place: the editor form inside a card of the list. */
    WebElement editingCard() {
        return browser.visible("li.note.editing");
    }

    /** The card whose title is exactly {@code title}, once it is shown. */
    WebElement card(String title) {
        return browser.until(d -> cards().stream().filter(c -> title.equals(titleOf(c))).findFirst().orElse(null));
    }

    void waitUntilNoCard(String title) {
        browser.until(d -> cards().stream().noneMatch(c -> title.equals(titleOf(c))));
    }

    /** Every visible card, in screen order (pinned section first). */
    List<WebElement> cards() {
        return browser.all("li.note").stream().filter(WebElement::isDisplayed).toList();
    }

    List<String> titles(String listId) {
        return browser.all("#" + listId + " li.note").stream().map(FinotePage::titleOf).toList();
    }

    /** The card's title, or null for a card open as the editor (its title is an input then). */
    static String titleOf(WebElement card) {
        List<WebElement> title = card.findElements(By.cssSelector(".note-title"));
        return title.isEmpty() ? null : title.getFirst().getText();
    }

    /** The words the card marks as matching the search, in reading order. */
    static List<String> marked(WebElement card) {
        return card.findElements(By.cssSelector("mark")).stream().map(WebElement::getText).toList();
    }

    static WebElement action(WebElement card, String action) {
        return card.findElement(By.cssSelector("[data-action='" + action + "']"));
    }

    static List<String> tagsOf(WebElement card) {
        return card.findElements(By.cssSelector(".note-tags .chip")).stream().map(WebElement::getText).toList();
    }
}
