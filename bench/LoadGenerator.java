import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Finote HTTP load generator: a single-file program for the Java source launcher
 * ({@code java bench/LoadGenerator.java --base http://127.0.0.1:3000}), JDK only.
 *
 * <p>It registers a fresh user, logs in, creates some notes, then drives each scenario with
 * N concurrent keep-alive connections (closed loop: each connection sends its next request
 * as soon as the previous response is read) for a warm-up period and a measured period.
 *
 * <p>The client is deliberately cheap, because on a small machine it shares the CPUs with
 * the server and the database: one platform thread and one blocking socket per connection,
 * pre-built request bytes, a minimal HTTP/1.1 response parser, and latencies recorded into
 * per-thread arrays that are merged and sorted once at the end (exact percentiles).
 */
public final class LoadGenerator {

    static final List<String> SCENARIO_ORDER = List.of("list", "me", "create");

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println();
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        if (options == null) { // --help
            System.out.println(Options.USAGE);
            return;
        }
        try {
            System.exit(new LoadGenerator(options).run());
        } catch (SetupException e) {
            System.err.println("error: setup failed: " + e.getMessage());
            System.exit(2);
        }
    }

    private final Options options;

    private LoadGenerator(Options options) {
        this.options = options;
    }

    private int run() throws SetupException {
        System.out.printf(Locale.ROOT, "load generator: java %s, %d CPUs seen by the JVM, %d connections, warm-up %s s, measured %s s, scenarios %s%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(), options.connections,
                seconds(options.warmupNanos), seconds(options.durationNanos), String.join(",", options.scenarios));
        String cookie = setUp();
        List<Result> results = new ArrayList<>();
        for (String name : options.scenarios) {
            Scenario scenario = Scenario.of(name, options, cookie);
            Result result = drive(scenario);
            results.add(result);
            System.out.println(result.line());
            result.printErrorDetails();
            if (options.slowLogNanos >= 0) {
                result.slow.forEach(line -> System.out.println("slow " + result.name + " " + line));
            }
        }
        System.out.println();
        System.out.println("Summary (" + options.connections + " connections, " + seconds(options.durationNanos) + " s measured per scenario; latencies in ms)");
        System.out.printf(Locale.ROOT, "%-8s %10s %9s %9s %9s %9s %9s %8s %7s %9s%n",
                "scenario", "requests/s", "p50", "p90", "p99", "max", "requests", "errors", "error%", "client-CPU");
        boolean failed = false;
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "%-8s %10.1f %9.2f %9.2f %9.2f %9.2f %9d %8d %6.2f%% %8.0f%%%n",
                    r.name, r.throughput(), ms(r.percentile(0.50)), ms(r.percentile(0.90)), ms(r.percentile(0.99)),
                    ms(r.max()), r.samples.length, r.errors, r.errorPercent(), r.clientCpuPercent);
            if (r.errorPercent() > options.maxErrorPercent) failed = true;
        }
        if (failed) {
            System.out.printf(Locale.ROOT, "FAILED: a scenario had more than %.2f%% errors (non-2xx responses or I/O errors).%n", options.maxErrorPercent);
            return 1;
        }
        return 0;
    }

    // ---------------------------------------------------------------- setup

    /** Registers a fresh user, logs in and creates the notes; returns the Cookie header value. */
    private String setUp() throws SetupException {
        String username = "bench-" + Long.toString(System.currentTimeMillis(), 36) + "-"
                + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
        String password = "bench-password-" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
        String credentials = "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}";
        try (HttpConnection connection = new HttpConnection(options.host, options.port, options.timeoutMillis)) {
            expect(connection, post("/api/auth/register", credentials, null), 201, "POST /api/auth/register");
            expect(connection, post("/api/auth/login", credentials, null), 200, "POST /api/auth/login");
            String session = connection.setCookies.stream()
                    .map(header -> header.split(";", 2)[0].strip())
                    .filter(pair -> pair.startsWith(options.cookieName + "="))
                    .findFirst()
                    .orElseThrow(() -> new SetupException("POST /api/auth/login answered 200 without a Set-Cookie: "
                            + options.cookieName + "=… header (Set-Cookie headers: " + connection.setCookies + ")"));
            String me = expect(connection, get("/api/auth/me", session), 200, "GET /api/auth/me");
            if (!me.contains(username)) throw new SetupException("GET /api/auth/me did not return the new user: " + abbreviate(me));
            for (int i = 1; i <= options.notes; i++) {
                String body = "{\"title\":\"Bench note " + i + "\",\"content\":\"" + "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(1 + i % 4)
                        + "\",\"isPinned\":" + (i % 5 == 0) + ",\"color\":\"" + (i % 3 == 0 ? "yellow" : "default")
                        + "\",\"tags\":[\"bench\",\"tag" + (i % 4) + "\"]}";
                expect(connection, post("/api/notes", body, session), 201, "POST /api/notes");
            }
            String list = expect(connection, get("/api/notes", session), 200, "GET /api/notes");
            int count = occurrences(list, "\"id\":");
            System.out.printf(Locale.ROOT, "setup: user %s logged in; %d notes created; GET /api/notes returns %d notes (%d bytes)%n",
                    username, options.notes, count, list.getBytes(StandardCharsets.UTF_8).length);
            if (count != options.notes) {
                throw new SetupException("GET /api/notes returned " + count + " notes, expected " + options.notes);
            }
            return session;
        } catch (IOException e) {
            throw new SetupException("cannot talk to " + options.base + ": " + e);
        }
    }

    private String expect(HttpConnection connection, byte[] request, int status, String what) throws IOException, SetupException {
        int actual = connection.exchange(request, true);
        String body = connection.capturedBody();
        if (actual != status) throw new SetupException(what + " answered " + actual + " (expected " + status + "): " + abbreviate(body));
        return body;
    }

    private byte[] get(String path, String cookie) {
        return Scenario.request("GET", options.basePath + path, options.hostHeader, cookie, null);
    }

    private byte[] post(String path, String json, String cookie) {
        return Scenario.request("POST", options.basePath + path, options.hostHeader, cookie, json);
    }

    // ---------------------------------------------------------------- load

    private Result drive(Scenario scenario) {
        long start = System.nanoTime();
        long measureStart = start + options.warmupNanos;
        long measureEnd = measureStart + options.durationNanos;
        Worker[] workers = new Worker[options.connections];
        Thread[] threads = new Thread[options.connections];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(options, scenario.request, measureStart, measureEnd);
            threads[i] = new Thread(null, workers[i], "load-" + scenario.name + "-" + i, 256 * 1024);
            threads[i].setDaemon(true);
            threads[i].start();
        }
        // Client CPU over the measured period: how much of the machine the load generator itself took.
        sleepUntil(measureStart);
        long cpuAtStart = processCpuNanos();
        sleepUntil(measureEnd);
        long cpuAtEnd = processCpuNanos();
        for (Thread thread : threads) {
            try {
                thread.join(options.timeoutMillis + 5_000L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        double cpuPercent = cpuAtStart < 0 || cpuAtEnd < 0 ? Double.NaN : 100.0 * (cpuAtEnd - cpuAtStart) / options.durationNanos;
        return Result.merge(scenario.name, options.durationNanos, cpuPercent, workers);
    }

    private static void sleepUntil(long deadline) {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            try {
                Thread.sleep(Math.max(1, left / 1_000_000), 0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** One connection: a platform thread with its own socket, sending the same request in a closed loop. */
    static final class Worker implements Runnable {
        private final Options options;
        private final byte[] request;
        private final long measureStart;
        private final long measureEnd;

        long[] latencies = new long[4096];
        int count;
        long errors;
        long warmupErrors;
        long reconnects;
        long retries;
        final Map<String, Long> errorKinds = new TreeMap<>();
        /** With --slow-log: "START_EPOCH_MS LATENCY_MS OUTCOME" of each slow or failed measured request. */
        final List<String> slow = new ArrayList<>();
        /** Wall-clock milliseconds minus nanoTime milliseconds, to print when a request started. */
        private final long epochOffsetMillis = System.currentTimeMillis() - System.nanoTime() / 1_000_000;

        Worker(Options options, byte[] request, long measureStart, long measureEnd) {
            this.options = options;
            this.request = request;
            this.measureStart = measureStart;
            this.measureEnd = measureEnd;
        }

        @Override
        public void run() {
            HttpConnection connection = new HttpConnection(options.host, options.port, options.timeoutMillis);
            try {
                while (true) {
                    long begin = System.nanoTime();
                    if (begin >= measureEnd) break;
                    int status;
                    String failure = null;
                    try {
                        status = connection.exchange(request, false);
                        if (status < 200 || status > 299) failure = "HTTP " + status;
                    } catch (IOException e) {
                        status = -1;
                        failure = e instanceof SocketTimeoutException ? "timeout" : e.getClass().getSimpleName() + ": " + e.getMessage();
                        connection.close();
                    }
                    long end = System.nanoTime();
                    if (options.slowLogNanos >= 0 && end >= measureStart && end < measureEnd
                            && (failure != null || end - begin > options.slowLogNanos)) {
                        slow.add((epochOffsetMillis + begin / 1_000_000) + String.format(Locale.ROOT, " %.1f ", (end - begin) / 1e6)
                                + (failure == null ? "ok" : failure.replace(' ', '_')));
                    }
                    if (end >= measureStart && end < measureEnd) {
                        if (failure == null) {
                            if (count == latencies.length) latencies = Arrays.copyOf(latencies, count * 2);
                            latencies[count++] = end - begin;
                        } else {
                            errors++;
                            errorKinds.merge(failure, 1L, Long::sum);
                        }
                    } else if (end < measureStart && failure != null) {
                        warmupErrors++;
                    }
                    if (status < 0) pause(); // the server is not answering: do not spin
                }
            } finally {
                reconnects = Math.max(0, connection.connects - 1);
                retries = connection.retries;
                connection.close();
            }
        }

        private static void pause() {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---------------------------------------------------------------- results

    static final class Result {
        final String name;
        final long durationNanos;
        final double clientCpuPercent;
        final long[] samples; // sorted latencies (ns) of the 2xx responses completed in the measured period
        final long errors;
        final long warmupErrors;
        final long reconnects;
        final long retries;
        final Map<String, Long> errorKinds;
        final List<String> slow = new ArrayList<>();

        private Result(String name, long durationNanos, double clientCpuPercent, long[] samples, long errors, long warmupErrors,
                       long reconnects, long retries, Map<String, Long> errorKinds) {
            this.name = name;
            this.durationNanos = durationNanos;
            this.clientCpuPercent = clientCpuPercent;
            this.samples = samples;
            this.errors = errors;
            this.warmupErrors = warmupErrors;
            this.reconnects = reconnects;
            this.retries = retries;
            this.errorKinds = errorKinds;
        }

        static Result merge(String name, long durationNanos, double cpuPercent, Worker[] workers) {
            int total = 0;
            for (Worker w : workers) total += w.count;
            long[] all = new long[total];
            int at = 0;
            long errors = 0, warmupErrors = 0, reconnects = 0, retries = 0;
            Map<String, Long> kinds = new TreeMap<>();
            for (Worker w : workers) {
                System.arraycopy(w.latencies, 0, all, at, w.count);
                at += w.count;
                errors += w.errors;
                warmupErrors += w.warmupErrors;
                reconnects += w.reconnects;
                retries += w.retries;
                w.errorKinds.forEach((k, v) -> kinds.merge(k, v, Long::sum));
            }
            Arrays.sort(all);
            Result result = new Result(name, durationNanos, cpuPercent, all, errors, warmupErrors, reconnects, retries, kinds);
            for (Worker w : workers) result.slow.addAll(w.slow);
            return result;
        }

        double throughput() {
            return samples.length / (durationNanos / 1e9);
        }

        /** Nearest-rank percentile of the recorded samples, in ns (0 when there are none). */
        long percentile(double p) {
            if (samples.length == 0) return 0;
            int rank = (int) Math.ceil(p * samples.length);
            return samples[Math.min(samples.length, Math.max(1, rank)) - 1];
        }

        long max() {
            return samples.length == 0 ? 0 : samples[samples.length - 1];
        }

        double errorPercent() {
            long all = samples.length + errors;
            return all == 0 ? 100.0 : 100.0 * errors / all;
        }

        String line() {
            return String.format(Locale.ROOT,
                    "%-7s %9.1f req/s   p50 %7.2f ms   p90 %7.2f ms   p99 %7.2f ms   max %8.2f ms   errors %d (%.2f%%)   [%d ok, %d reconnects, %d retries, warm-up errors %d, client CPU %.0f%%]",
                    name, throughput(), ms(percentile(0.50)), ms(percentile(0.90)), ms(percentile(0.99)), ms(max()),
                    errors, errorPercent(), samples.length, reconnects, retries, warmupErrors, clientCpuPercent);
        }

        void printErrorDetails() {
            int shown = 0;
            for (Map.Entry<String, Long> kind : errorKinds.entrySet()) {
                if (shown++ == 8) {
                    System.out.println("          … " + (errorKinds.size() - 8) + " more kinds of error");
                    break;
                }
                System.out.println("          error x" + kind.getValue() + ": " + kind.getKey());
            }
        }
    }

    // ---------------------------------------------------------------- scenarios

    record Scenario(String name, byte[] request) {

        static Scenario of(String name, Options options, String cookie) {
            return switch (name) {
                case "list" -> new Scenario(name, request("GET", options.basePath + "/api/notes", options.hostHeader, cookie, null));
                case "me" -> new Scenario(name, request("GET", options.basePath + "/api/auth/me", options.hostHeader, cookie, null));
                case "create" -> new Scenario(name, request("POST", options.basePath + "/api/notes", options.hostHeader, cookie,
                        "{\"title\":\"Load test\",\"content\":\"A small note written by the benchmark.\",\"isPinned\":false,\"color\":\"default\",\"tags\":[\"bench\"]}"));
                default -> throw new IllegalArgumentException("unknown scenario " + name);
            };
        }

        /** The complete request bytes, built once. */
        static byte[] request(String method, String path, String host, String cookie, String json) {
            byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder(256)
                    .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(host).append("\r\n")
                    .append("User-Agent: finote-bench\r\n")
                    .append("Accept: application/json\r\n");
            if (cookie != null) head.append("Cookie: ").append(cookie).append("\r\n");
            if (json != null) {
                head.append("Content-Type: application/json\r\n")
                        .append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("Connection: keep-alive\r\n\r\n");
            byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
            byte[] all = Arrays.copyOf(headBytes, headBytes.length + body.length);
            System.arraycopy(body, 0, all, headBytes.length, body.length);
            return all;
        }
    }

    // ---------------------------------------------------------------- HTTP/1.1 client

    /**
     * One keep-alive connection with a minimal, allocation-light HTTP/1.1 response parser:
     * status line, headers (Content-Length, Transfer-Encoding, Connection, Set-Cookie), and
     * the body by Content-Length, chunked encoding (extensions and trailers allowed) or,
     * failing both, until the server closes. Reconnects when the server closes.
     */
    static final class HttpConnection implements Closeable {
        private static final int MAX_LINE = 64 * 1024;

        private final String host;
        private final int port;
        private final int timeoutMillis;
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        private final byte[] buffer = new byte[16 * 1024];
        private int position;
        private int limit;
        private byte[] line = new byte[1024];
        private int lineLength;
        private int exchangesOnSocket;
        private boolean receivedBytes;

        long connects;
        long retries;
        // per response
        private boolean closeAfter;
        private boolean capture;
        final List<String> setCookies = new ArrayList<>();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        HttpConnection(String host, int port, int timeoutMillis) {
            this.host = host;
            this.port = port;
            this.timeoutMillis = timeoutMillis;
        }

        /**
         * Sends {@code request} and reads the whole response; returns its status. A reused
         * connection that the server closed in the meantime (no byte of a response came back)
         * is reopened and the request sent once more.
         */
        int exchange(byte[] request, boolean capture) throws IOException {
            this.capture = capture;
            if (socket == null) connect();
            boolean reused = exchangesOnSocket > 0;
            try {
                return send(request);
            } catch (IOException e) {
                if (!reused || receivedBytes || e instanceof SocketTimeoutException) throw e;
                retries++;
                connect();
                return send(request);
            }
        }

        String capturedBody() {
            return body.toString(StandardCharsets.UTF_8);
        }

        private int send(byte[] request) throws IOException {
            receivedBytes = false;
            closeAfter = false;
            if (capture) {
                setCookies.clear();
                body.reset();
            }
            exchangesOnSocket++;
            out.write(request);
            int status = readResponse();
            if (position != limit) throw new IOException("unexpected bytes after the response");
            if (closeAfter) close();
            return status;
        }

        private void connect() throws IOException {
            close();
            Socket s = new Socket();
            try {
                s.setTcpNoDelay(true);
                s.setSoTimeout(timeoutMillis);
                s.connect(new InetSocketAddress(host, port), timeoutMillis);
            } catch (IOException e) {
                s.close();
                throw e;
            }
            socket = s;
            in = s.getInputStream();
            out = s.getOutputStream();
            position = limit = 0;
            exchangesOnSocket = 0;
            connects++;
        }

        @Override
        public void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // nothing to do
                }
                socket = null;
                in = null;
                out = null;
            }
            position = limit = 0;
        }

        private int readResponse() throws IOException {
            while (true) {
                readLine();
                if (lineLength < 12 || !startsWith(line, "HTTP/1.")) {
                    throw new IOException("malformed status line: " + new String(line, 0, Math.min(lineLength, 80), StandardCharsets.ISO_8859_1));
                }
                boolean http10 = line[7] == '0';
                int status = digit(line[9]) * 100 + digit(line[10]) * 10 + digit(line[11]);
                if (line[8] != ' ' || status < 100) throw new IOException("malformed status line");
                long contentLength = -1;
                boolean chunked = false;
                boolean otherEncoding = false;
                boolean keepAlive = !http10;
                while (true) {
                    readLine();
                    if (lineLength == 0) break;
                    int colon = indexOf(line, lineLength, (byte) ':');
                    if (colon <= 0) throw new IOException("malformed header line");
                    int valueStart = colon + 1, valueEnd = lineLength;
                    while (valueStart < valueEnd && isSpace(line[valueStart])) valueStart++;
                    while (valueEnd > valueStart && isSpace(line[valueEnd - 1])) valueEnd--;
                    if (nameIs(colon, "content-length")) {
                        long value = parseDecimal(line, valueStart, valueEnd);
                        if (contentLength >= 0 && contentLength != value) throw new IOException("conflicting Content-Length headers");
                        contentLength = value;
                    } else if (nameIs(colon, "transfer-encoding")) {
                        String codings = new String(line, valueStart, valueEnd - valueStart, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
                        String last = codings.substring(codings.lastIndexOf(',') + 1).strip();
                        if (last.equals("chunked")) chunked = true;
                        else if (!last.isEmpty()) otherEncoding = true;
                    } else if (nameIs(colon, "connection")) {
                        String tokens = new String(line, valueStart, valueEnd - valueStart, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
                        for (String token : tokens.split(",")) {
                            token = token.strip();
                            if (token.equals("close")) closeAfter = true;
                            else if (token.equals("keep-alive")) keepAlive = true;
                        }
                    } else if (capture && nameIs(colon, "set-cookie")) {
                        setCookies.add(new String(line, valueStart, valueEnd - valueStart, StandardCharsets.ISO_8859_1));
                    }
                }
                if (status < 200) {
                    if (status == 101) throw new IOException("unexpected 101 Switching Protocols");
                    continue; // 1xx interim response: the real one follows
                }
                if (!keepAlive) closeAfter = true;
                if (status == 204 || status == 304) {
                    // no body
                } else if (otherEncoding) {
                    readUntilClose();
                } else if (chunked) {
                    readChunked();
                } else if (contentLength >= 0) {
                    consume(contentLength);
                } else {
                    readUntilClose();
                }
                return status;
            }
        }

        private void readChunked() throws IOException {
            while (true) {
                readLine();
                long size = 0;
                int digits = 0;
                int i = 0;
                while (i < lineLength && isSpace(line[i])) i++;
                for (; i < lineLength; i++) {
                    int d = Character.digit(line[i], 16);
                    if (d < 0) break;
                    if (++digits > 15) throw new IOException("chunk size too large");
                    size = size * 16 + d;
                }
                while (i < lineLength && isSpace(line[i])) i++;
                if (digits == 0 || (i < lineLength && line[i] != ';')) throw new IOException("malformed chunk size line");
                // anything after ';' is a chunk extension: ignored
                if (size == 0) {
                    do {
                        readLine(); // trailer fields, up to the empty line
                    } while (lineLength > 0);
                    return;
                }
                consume(size);
                readLine();
                if (lineLength != 0) throw new IOException("missing CRLF after chunk data");
            }
        }

        private void readUntilClose() throws IOException {
            closeAfter = true;
            while (true) {
                if (position == limit && !fill()) return;
                if (capture) body.write(buffer, position, limit - position);
                position = limit;
            }
        }

        private void consume(long length) throws IOException {
            long left = length;
            while (left > 0) {
                if (position == limit && !fill()) throw new EOFException("connection closed in the middle of a body");
                int n = (int) Math.min(left, limit - position);
                if (capture) body.write(buffer, position, n);
                position += n;
                left -= n;
            }
        }

        /** Reads one line (up to LF, without CR LF) into {@code line}. */
        private void readLine() throws IOException {
            lineLength = 0;
            while (true) {
                if (position == limit && !fill()) {
                    throw new EOFException(receivedBytes ? "connection closed in the middle of a response" : "connection closed by the server");
                }
                byte b = buffer[position++];
                if (b == '\n') {
                    if (lineLength > 0 && line[lineLength - 1] == '\r') lineLength--;
                    return;
                }
                if (lineLength == line.length) {
                    if (lineLength >= MAX_LINE) throw new IOException("line too long");
                    line = Arrays.copyOf(line, lineLength * 2);
                }
                line[lineLength++] = b;
            }
        }

        private boolean fill() throws IOException {
            int n = in.read(buffer, 0, buffer.length);
            if (n <= 0) {
                position = limit = 0;
                return false;
            }
            receivedBytes = true;
            position = 0;
            limit = n;
            return true;
        }

        private boolean nameIs(int nameLength, String lowerName) {
            if (nameLength != lowerName.length()) return false;
            for (int i = 0; i < nameLength; i++) {
                int c = line[i];
                if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
                if (c != lowerName.charAt(i)) return false;
            }
            return true;
        }

        private static boolean startsWith(byte[] bytes, String prefix) {
            for (int i = 0; i < prefix.length(); i++) if (bytes[i] != prefix.charAt(i)) return false;
            return true;
        }

        private static int indexOf(byte[] bytes, int length, byte wanted) {
            for (int i = 0; i < length; i++) if (bytes[i] == wanted) return i;
            return -1;
        }

        private static boolean isSpace(byte b) {
            return b == ' ' || b == '\t';
        }

        private static int digit(byte b) throws IOException {
            if (b < '0' || b > '9') throw new IOException("malformed status code");
            return b - '0';
        }

        private static long parseDecimal(byte[] bytes, int from, int to) throws IOException {
            if (from == to || to - from > 18) throw new IOException("malformed Content-Length");
            long value = 0;
            for (int i = from; i < to; i++) {
                if (bytes[i] < '0' || bytes[i] > '9') throw new IOException("malformed Content-Length");
                value = value * 10 + (bytes[i] - '0');
            }
            return value;
        }
    }

    // ---------------------------------------------------------------- options

    static final class Options {
        static final String USAGE = """
                usage: bench/run [options]          (starts a throw-away server, then runs this)
                       java bench/LoadGenerator.java --base http://HOST:PORT [options]

                  --base URL           the server to load (bench/run sets it)
                  --connections N      concurrent keep-alive connections (default 32)
                  --warmup SECONDS     unmeasured warm-up per scenario (default 15)
                  --duration SECONDS   measured period per scenario (default 15)
                  --only LIST          scenarios, comma-separated, from list,me,create (default all);
                                       they always run in that order, so list sees only the setup notes
                  --notes N            notes created for the user before the scenarios (default 20)
                  --max-errors PCT     fail (exit 1) when a scenario has more errors than this (default 1)
                  --timeout SECONDS    socket connect/read timeout (default 30)
                  --cookie-name NAME   session cookie name (default finote.sid)
                  --slow-log MS        after each scenario, print one line per measured request slower than MS
                                       or failed: "slow SCENARIO START_EPOCH_MS LATENCY_MS OUTCOME" (default off)
                  -h, --help           this text

                scenarios: list = GET /api/notes, me = GET /api/auth/me, create = POST /api/notes""";

        URI base;
        String host;
        int port;
        String hostHeader;
        String basePath;
        int connections = 32;
        long warmupNanos = 15_000_000_000L; // the server's JIT on 2 shared cores needs about this long
        long durationNanos = 15_000_000_000L;
        List<String> scenarios = SCENARIO_ORDER;
        int notes = 20;
        double maxErrorPercent = 1.0;
        int timeoutMillis = 30_000;
        String cookieName = "finote.sid";
        long slowLogNanos = -1; // off

        /** The options, or null when help was asked for. */
        static Options parse(String[] args) {
            Options o = new Options();
            Map<String, String> given = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("-h") || arg.equals("--help")) return null;
                if (!arg.startsWith("--")) throw new IllegalArgumentException("unexpected argument '" + arg + "'");
                String name, value;
                int eq = arg.indexOf('=');
                if (eq > 0) {
                    name = arg.substring(2, eq);
                    value = arg.substring(eq + 1);
                } else {
                    name = arg.substring(2);
                    if (i + 1 >= args.length) throw new IllegalArgumentException("--" + name + " needs a value");
                    value = args[++i];
                }
                given.put(name, value);
            }
            for (Map.Entry<String, String> option : given.entrySet()) {
                String value = option.getValue();
                switch (option.getKey()) {
                    case "base" -> o.base = URI.create(value);
                    case "connections" -> o.connections = integer("connections", value, 1, 10_000);
                    case "warmup" -> o.warmupNanos = nanos("warmup", value, 0);
                    case "duration" -> o.durationNanos = nanos("duration", value, 0.1);
                    case "only" -> {
                        List<String> wanted = Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
                        for (String name : wanted) {
                            if (!SCENARIO_ORDER.contains(name)) throw new IllegalArgumentException("unknown scenario '" + name + "' (known: list, me, create)");
                        }
                        if (wanted.isEmpty()) throw new IllegalArgumentException("--only needs at least one scenario");
                        o.scenarios = SCENARIO_ORDER.stream().filter(wanted::contains).toList();
                    }
                    case "notes" -> o.notes = integer("notes", value, 0, 10_000);
                    case "max-errors" -> o.maxErrorPercent = decimal("max-errors", value, 0);
                    case "timeout" -> o.timeoutMillis = (int) (nanos("timeout", value, 0.1) / 1_000_000);
                    case "cookie-name" -> o.cookieName = value;
                    case "slow-log" -> o.slowLogNanos = (long) (decimal("slow-log", value, 0) * 1_000_000);
                    default -> throw new IllegalArgumentException("unknown option --" + option.getKey());
                }
            }
            if (o.base == null) throw new IllegalArgumentException("--base is required (bench/run sets it)");
            if (!"http".equals(o.base.getScheme()) || o.base.getHost() == null) {
                throw new IllegalArgumentException("--base must be an http:// URL with a host (https is not supported)");
            }
            o.host = o.base.getHost();
            o.port = o.base.getPort() < 0 ? 80 : o.base.getPort();
            o.hostHeader = o.base.getPort() < 0 ? o.host : o.host + ":" + o.port;
            String path = o.base.getRawPath() == null ? "" : o.base.getRawPath();
            o.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
            return o;
        }

        private static int integer(String name, String value, int min, int max) {
            try {
                int parsed = Integer.parseInt(value.strip());
                if (parsed >= min && parsed <= max) return parsed;
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new IllegalArgumentException("--" + name + " must be a whole number from " + min + " to " + max + " (it is '" + value + "')");
        }

        private static double decimal(String name, String value, double min) {
            try {
                double parsed = Double.parseDouble(value.strip());
                if (parsed >= min && Double.isFinite(parsed)) return parsed;
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new IllegalArgumentException("--" + name + " must be a number >= " + min + " (it is '" + value + "')");
        }

        private static long nanos(String name, String seconds, double min) {
            return Math.round(decimal(name, seconds, min) * 1e9);
        }
    }

    static final class SetupException extends Exception {
        SetupException(String message) {
            super(message);
        }
    }

    // ---------------------------------------------------------------- helpers

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    static String seconds(long nanos) {
        double s = nanos / 1e9;
        return s == Math.rint(s) ? Long.toString((long) s) : String.format(Locale.ROOT, "%.1f", s);
    }

    static int occurrences(String text, String needle) {
        int count = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) count++;
        return count;
    }

    static String abbreviate(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= 300 ? flat : flat.substring(0, 300) + "…";
    }
}
