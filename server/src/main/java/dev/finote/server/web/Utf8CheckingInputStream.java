package dev.finote.server.web;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;

import java.io.IOException;

/**
 * Passes a request body through while checking that it is well-formed UTF-8 (RFC 3629):
 * no overlong forms (Jackson decoded {@code C0 AF} as {@code /}), no encoded surrogates, nothing
 * past U+10FFFF, no truncated sequence at the end. The first bad byte ends the read with
 * {@link InvalidUtf8Exception}, which the API answers with 400.
 */
final class Utf8CheckingInputStream extends ServletInputStream {

    private final ServletInputStream delegate;
    /** Continuation bytes still expected, and the allowed range of the next one (it narrows after E0, ED, F0, F4). */
    private int pending;
    private int nextLow = 0x80;
    private int nextHigh = 0xBF;

    Utf8CheckingInputStream(ServletInputStream delegate) {
        this.delegate = delegate;
    }

    @Override
    public int read() throws IOException {
        int b = delegate.read();
        if (b < 0) end();
        else check(b);
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = delegate.read(buffer, offset, length);
        if (n < 0) end();
        for (int i = 0; i < n; i++) check(buffer[offset + i] & 0xFF);
        return n;
    }

    private void check(int b) throws InvalidUtf8Exception {
        if (pending > 0) {
            if (b < nextLow || b > nextHigh) throw new InvalidUtf8Exception();
            pending--;
            nextLow = 0x80;
            nextHigh = 0xBF;
            return;
        }
        if (b < 0x80) return;
        if (b >= 0xC2 && b <= 0xDF) {
            pending = 1;
        } else if (b >= 0xE0 && b <= 0xEF) {
            pending = 2;
            if (b == 0xE0) nextLow = 0xA0;          // overlong below U+0800
            else if (b == 0xED) nextHigh = 0x9F;    // U+D800..U+DFFF: surrogates
        } else if (b >= 0xF0 && b <= 0xF4) {
            pending = 3;
            if (b == 0xF0) nextLow = 0x90;          // overlong below U+10000
            else if (b == 0xF4) nextHigh = 0x8F;    // above U+10FFFF
        } else {
            throw new InvalidUtf8Exception();       // C0, C1 (overlong), F5..FF, or a stray continuation byte
        }
    }

    private void end() throws InvalidUtf8Exception {
        if (pending > 0) throw new InvalidUtf8Exception();
    }

    @Override
    public boolean isFinished() {
        return delegate.isFinished();
    }

    @Override
    public boolean isReady() {
        return delegate.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
        delegate.setReadListener(listener);
    }

    /** The body is not well-formed UTF-8. */
    static final class InvalidUtf8Exception extends IOException {
        InvalidUtf8Exception() {
            super("request body is not well-formed UTF-8");
        }
    }
}
