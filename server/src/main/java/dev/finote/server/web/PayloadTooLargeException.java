package dev.finote.server.web;

import java.io.IOException;

/** A request body grew past the limit while being read (a chunked body with no Content-Length). */
public class PayloadTooLargeException extends IOException {
    public PayloadTooLargeException(long limit) {
        super("request body larger than " + limit + " bytes");
    }
}
