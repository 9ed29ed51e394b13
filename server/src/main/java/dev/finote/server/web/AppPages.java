package dev.finote.server.web;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The web app's one page, {@code GET /} (its scripts and styles are {@link AppAssets}). Only
 * {@code /} answers it: {@code /index.html} and every other unknown path keep the API's JSON 404.
 */
@RestController
public class AppPages {

    /**
     * Scripts, styles and connections only from this origin; no inline script or style, no
     * plugins, no framing; and Trusted Types, so the page cannot turn a string into HTML.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'; require-trusted-types-for 'script'; trusted-types 'none'";

    /** The page links assets by fixed names: the browser revalidates both (a cheap 304) before each use. */
    static final CacheControl REVALIDATE = CacheControl.noCache();

    private final byte[] page;
    private final String pageEtag;

    public AppPages() {
        this.page = read("static/index.html");
        this.pageEtag = '"' + sha256(page).substring(0, 32) + '"';
    }

    @GetMapping("/")
    ResponseEntity<byte[]> page(WebRequest request) {
        if (request.checkNotModified(pageEtag)) return null; // 304, headers already set
        return ResponseEntity.ok()
                .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .cacheControl(REVALIDATE)
                .eTag(pageEtag)
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("Referrer-Policy", "no-referrer")
                .body(page);
    }

    private static byte[] read(String path) {
        try (var in = new ClassPathResource(path).getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("the web app's " + path + " is missing from the build", e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
