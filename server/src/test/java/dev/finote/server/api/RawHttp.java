package dev.finote.server.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** Requests written byte for byte on a socket, for what an HTTP client library refuses to send. */
final class RawHttp {

    private RawHttp() {
    }

    /** A raw answer: the status line's code, the header block and the body. */
    record Answer(int status, String head, String body) {
        boolean isJson() {
            return head.toLowerCase().contains("content-type: application/json");
        }
    }

    static Answer send(String baseUrl, byte[] request) {
        URI uri = URI.create(baseUrl);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return parse(readUntilClosed(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Answer send(String baseUrl, String request) {
        return send(baseUrl, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static byte[] readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                if (complete(out.toByteArray())) break;
            }
        } catch (SocketTimeoutException e) {
            // answered without closing: whatever arrived is the answer
        }
        return out.toByteArray();
    }

    /** A whole answer with a Content-Length has arrived (keep-alive answers are not followed by a close). */
    private static boolean complete(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) return false;
        var length = java.util.regex.Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(text.substring(0, end));
        return length.find() && text.length() - end - 4 >= Integer.parseInt(length.group(1));
    }

    private static Answer parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.isEmpty()) return new Answer(0, "", "");
        int end = text.indexOf("\r\n\r\n");
        String head = end < 0 ? text : text.substring(0, end);
        String body = end < 0 ? "" : text.substring(end + 4);
        String[] statusLine = head.split("\r\n", 2)[0].split(" ");
        int status = statusLine.length > 1 && statusLine[1].matches("\\d{3}") ? Integer.parseInt(statusLine[1]) : 0;
        return new Answer(status, head, body);
    }
}
