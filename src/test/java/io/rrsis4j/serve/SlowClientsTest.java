package io.rrsis4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Clients that are slow on purpose (slowloris, slow or stalled uploads, endless chunked uploads) on loopback. */
class SlowClientsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UPLOAD_HEAD = "POST /api/segment HTTP/1.1\r\nHost: test\r\n"
            + "Content-Type: multipart/form-data; boundary=zz\r\n";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Socket> sockets = new ArrayList<>();
    private SegmentationServer server;

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private int start(ConnectionLimits connections, long maxUploadBytes) {
        server = new SegmentationServer(new ColourWordSegmenter(), ModelInfo.unknown("colour-word test double"),
                ServerLimits.defaults().withMaxUploadBytes(maxUploadBytes).withConnections(connections))
                .start("127.0.0.1", 0);
        return server.port();
    }

    /** A socket to the server from the given loopback address (all of 127/8 is this machine on Linux). */
    private Socket connect(String from, int port) throws IOException {
        Socket socket = new Socket();
        sockets.add(socket);
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        socket.setSoTimeout(5000);
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /** Reads a response's status and body until the server closes or the body is complete. */
    private static String[] response(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (true) {
            int n;
            try {
                n = in.read(buffer);
            } catch (IOException e) {
                break; // reset after the answer: keep what came
            }
            if (n < 0) {
                break;
            }
            bytes.write(buffer, 0, n);
            String text = bytes.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (end >= 0) {
                String length = text.substring(0, end).lines().filter(l -> l.toLowerCase().startsWith("content-length:"))
                        .map(l -> l.substring(15).strip()).findFirst().orElse(null);
                if (length != null && text.length() >= end + 4 + Integer.parseInt(length)) {
                    break;
                }
            }
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(text.isEmpty(), "the server answered nothing");
        int end = text.indexOf("\r\n\r\n");
        return new String[] {text.substring(9, 12), end < 0 ? "" : text.substring(end + 4)};
    }

    private static String errorOf(String body) throws IOException {
        assertFalse(body.strip().contains("\n"), "error body must be one line: " + body);
        return JSON.readTree(body).get("error").asText();
    }

    @Test
    void healthAndUploadsAreServedWhileSlowClientsHoldConnections() throws Exception {
        assumeTrue(canBind("127.0.0.2"), "needs a second loopback address for the attacker");
        // no rate floor: the slow uploads keep their threads for the whole test, the worst case for the pool
        int port = start(ConnectionLimits.defaults().withMinUploadBytesPerSecond(0), 20L << 20);
        URI base = URI.create("http://127.0.0.1:" + port);
        // 300 uploads that send a byte at a time, from the attacker's address (more than Jetty's 250 threads)
        List<Socket> slowUploads = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Socket socket = connect("127.0.0.2", port);
            send(socket, UPLOAD_HEAD + "Content-Length: 100000\r\n\r\n--zz\r\n");
            slowUploads.add(socket);
        }
        // 50 connections from the client's own address that send their headers a byte at a time
        List<Socket> slowHeaders = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Socket socket = connect("127.0.0.1", port);
            send(socket, "GET /api/health HTTP/1.1\r\n");
            slowHeaders.add(socket);
        }
        byte[] png = TestImages.encode(TestImages.scene(), "png");
        long attackEnds = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        int rounds = 0;
        while (System.nanoTime() < attackEnds) {
            dribble(slowUploads, "x");
            dribble(slowHeaders, "X");
            long t0 = System.nanoTime();
            HttpResponse<String> health = client.send(HttpRequest.newBuilder(base.resolve("/api/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            long healthMillis = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(200, health.statusCode());
            MultipartBody body = new MultipartBody().file("image", "scene.png", "image/png", png).field("text", "red");
            t0 = System.nanoTime();
            HttpResponse<byte[]> mask = client.send(HttpRequest.newBuilder(base.resolve("/api/segment"))
                    .timeout(Duration.ofSeconds(2)).header("Content-Type", body.contentType())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build(), HttpResponse.BodyHandlers.ofByteArray());
            long segmentMillis = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(200, mask.statusCode(), new String(mask.body(), StandardCharsets.UTF_8));
            assertTrue(healthMillis < 2000 && segmentMillis < 2000, healthMillis + " / " + segmentMillis + " ms");
            rounds++;
            Thread.sleep(200);
        }
        assertTrue(rounds >= 3, "rounds under attack: " + rounds);

        // the attacker still holds its uploads: one more from its address is refused at once, one line
        Socket more = connect("127.0.0.2", port);
        send(more, UPLOAD_HEAD + "Content-Length: 100000\r\n\r\n--zz\r\n");
        String[] refused = response(more);
        assertEquals("429", refused[0]);
        assertTrue(errorOf(refused[1]).contains("127.0.0.2"), refused[1]);
    }

    private static void dribble(List<Socket> sockets, String oneByte) {
        for (Socket socket : sockets) {
            try {
                send(socket, oneByte);
            } catch (IOException closedByServer) {
                // refused uploads and expired headers are closed by the server; the rest keep dribbling
            }
        }
    }

    private static boolean canBind(String address) {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void connectionsThatSendHeadersTooSlowlyAreClosed() throws Exception {
        int port = start(ConnectionLimits.defaults().withTimeouts(Duration.ofSeconds(20), Duration.ofMillis(500)), 1 << 20);
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Socket socket = connect("127.0.0.1", port);
            send(socket, "GET /api/health HTTP/1.1\r\n");
            slow.add(socket);
        }
        long t0 = System.nanoTime();
        int closed = 0;
        for (int round = 0; round < 40 && closed < slow.size(); round++) {
            Thread.sleep(100);
            closed = 0;
            for (Socket socket : slow) {
                try {
                    send(socket, "X");
                } catch (IOException e) {
                    closed++;
                }
            }
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(slow.size(), closed, "connections still open after " + millis + " ms");
        assertTrue(millis >= 400, "closed before the header timeout: " + millis + " ms");

        // a client that sends its request at once is served
        Socket fast = connect("127.0.0.1", port);
        send(fast, "GET /api/health HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
        assertEquals("200", response(fast)[0]);
    }

    @Test
    void stalledUploadGets408AfterTheReadTimeout() throws Exception {
        int port = start(ConnectionLimits.defaults().withTimeouts(Duration.ofMillis(800), Duration.ofSeconds(10)), 1 << 20);
        Socket socket = connect("127.0.0.1", port);
        long t0 = System.nanoTime();
        send(socket, UPLOAD_HEAD + "Content-Length: 5000\r\n\r\n--zz\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nred");
        String[] answer = response(socket);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals("408", answer[0], answer[1]);
        assertTrue(errorOf(answer[1]).contains("stalled"), answer[1]);
        assertTrue(millis >= 700 && millis < 5000, millis + " ms");
        assertEquals(200, client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/health")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
    }

    @Test
    void uploadBelowTheMinimumRateGets408() throws Exception {
        int port = start(ConnectionLimits.defaults().withMinUploadBytesPerSecond(2000), 1 << 20);
        Socket socket = connect("127.0.0.1", port);
        send(socket, UPLOAD_HEAD + "Content-Length: 5000\r\n\r\n--zz\r\n");
        long t0 = System.nanoTime();
        try {
            while (socket.getInputStream().available() == 0 && System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos()) {
                send(socket, "Co"); // 20 bytes/s
                Thread.sleep(100);
            }
        } catch (IOException closedByServer) {
            // answered and closed: read the answer
        }
        String[] answer = response(socket);
        assertEquals("408", answer[0], answer[1]);
        assertTrue(errorOf(answer[1]).contains("too slow"), answer[1]);
    }

    @Test
    void chunkedUploadWithoutLengthIsCutAtTheLimit() throws Exception {
        int limit = 100_000;
        int port = start(ConnectionLimits.defaults(), limit);
        Socket socket = connect("127.0.0.1", port);
        socket.setSendBufferSize(64 * 1024);
        send(socket, UPLOAD_HEAD + "Transfer-Encoding: chunked\r\n\r\n");
        OutputStream out = socket.getOutputStream();
        byte[] chunk = ("2000\r\n" + "a".repeat(0x2000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        long sent = 0;
        long endless = 200L << 20; // 200 MB, if the server kept reading
        long t0 = System.nanoTime();
        try {
            while (sent < endless && socket.getInputStream().available() == 0) {
                out.write(chunk);
                sent += 0x2000;
            }
        } catch (IOException closedByServer) {
            // the server stopped reading and closed: what it answered before is still to read
        }
        String[] answer = response(socket);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals("413", answer[0], answer[1]);
        errorOf(answer[1]);
        assertTrue(sent < 32L << 20, "the server read on: the client sent " + sent + " bytes");
        assertTrue(millis < 5000, millis + " ms");
    }
}
