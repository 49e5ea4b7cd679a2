package io.rrsis4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rrsis4j.infer.WordMaps;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A hostile client on loopback: malformed HTTP, malformed multipart bodies, image bombs and odd parameters. Every
 * case must be answered with the expected status and a one-line JSON {@code {"error": ...}} (never a stack trace,
 * never a hang), and /api/health must keep answering between the cases.
 */
class HostileRequestsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String B = "hostile";
    private static final Duration READ_TIMEOUT = Duration.ofMillis(800);
    private static SegmentationServer server;
    private static int port;
    private static byte[] png;

    @BeforeAll
    static void start() throws IOException {
        ServerLimits limits = ServerLimits.defaults().withMaxUploadBytes(12L << 20).withMaxImageSize(4096, 4096)
                .withConnections(ConnectionLimits.defaults().withTimeouts(READ_TIMEOUT, Duration.ofSeconds(1)));
        server = new SegmentationServer(new ColourWordSegmenter().withWordMaps(),
                ModelInfo.unknown("colour-word test double"), limits).start("127.0.0.1", 0);
        port = server.port();
        png = TestImages.encode(TestImages.scene(), "png");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** One answer read from a raw socket: status (0: none), body, and whether the server kept silent too long. */
    record Answer(int status, String head, String body, boolean hung, long millis) {}

    static Answer exchange(byte[] request, Duration wait) throws IOException {
        return exchange(port, request, wait);
    }

    static Answer exchange(int port, byte[] request, Duration wait) throws IOException {
        return exchange(null, port, request, wait);
    }

    /** The exchange from a given loopback address (null: any), so that an attacker has an address of its own. */
    static Answer exchange(String from, int port, byte[] request, Duration wait) throws IOException {
        long t0 = System.nanoTime();
        try (Socket socket = new Socket()) {
            if (from != null) {
                socket.bind(new InetSocketAddress(from, 0));
            }
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout((int) wait.toMillis());
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
            } catch (IOException e) {
                // the server may answer and close before the whole request is sent: read what it said
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            boolean hung = false;
            while (true) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (SocketTimeoutException e) {
                    hung = true;
                    break;
                } catch (IOException e) {
                    break;
                }
                if (n < 0) {
                    break;
                }
                bytes.write(buffer, 0, n);
                if (complete(bytes.toString(StandardCharsets.ISO_8859_1))) {
                    break;
                }
            }
            String text = bytes.toString(StandardCharsets.UTF_8);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            int end = text.indexOf("\r\n\r\n");
            if (!text.startsWith("HTTP/1.") || end < 0) {
                return new Answer(0, text, "", hung, millis);
            }
            String head = text.substring(0, end);
            String body = text.substring(end + 4);
            if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
                body = unchunk(body);
            }
            for (String line : head.toLowerCase(Locale.ROOT).split("\r\n")) {
                if (line.startsWith("content-length:")) { // what follows is the answer to the next request
                    int length = Integer.parseInt(line.substring(15).strip());
                    byte[] raw = body.getBytes(StandardCharsets.UTF_8);
                    body = new String(raw, 0, Math.min(length, raw.length), StandardCharsets.UTF_8);
                }
            }
            if (new String(request, 0, 5, StandardCharsets.ISO_8859_1).startsWith("HEAD ")) {
                body = null; // no body to check
            }
            return new Answer(Integer.parseInt(text.substring(9, 12)), head, body, hung, millis);
        }
    }

    private static boolean complete(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String head = text.substring(0, end).toLowerCase(Locale.ROOT);
        if (head.startsWith("head ") || text.startsWith("HTTP/1.1 304") || text.startsWith("HTTP/1.1 204")) {
            return true;
        }
        for (String line : head.split("\r\n")) {
            if (line.startsWith("content-length:")) {
                return text.length() >= end + 4 + Integer.parseInt(line.substring(15).strip());
            }
        }
        return head.contains("transfer-encoding: chunked") && text.endsWith("0\r\n\r\n");
    }

    private static String unchunk(String body) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < body.length()) {
            int eol = body.indexOf("\r\n", at);
            if (eol < 0) {
                break;
            }
            int size = Integer.parseInt(body.substring(at, eol).strip(), 16);
            if (size == 0) {
                break;
            }
            out.append(body, eol + 2, Math.min(body.length(), eol + 2 + size));
            at = eol + 2 + size + 2;
        }
        return out.toString();
    }

    // ---- building requests ----

    static byte[] bytes(Object... pieces) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object piece : pieces) {
            out.writeBytes(piece instanceof byte[] b ? b : piece.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    static byte[] post(String path, String contentType, byte[] body) {
        return bytes("POST " + path + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\nContent-Type: " + contentType
                + "\r\nContent-Length: " + body.length + "\r\n\r\n", body);
    }

    static byte[] part(String name, String filename, byte[] content) {
        return bytes("--" + B + "\r\nContent-Disposition: form-data; name=\"" + name + "\""
                + (filename == null ? "" : "; filename=\"" + filename + "\"\r\nContent-Type: application/octet-stream")
                + "\r\n\r\n", content, "\r\n");
    }

    static byte[] form(byte[]... parts) {
        return bytes(bytes((Object[]) parts), "--" + B + "--\r\n");
    }

    static byte[] upload(String path, byte[] image, String text) {
        return post(path, "multipart/form-data; boundary=" + B,
                form(part("image", "scene.png", image), part("text", null, text.getBytes(StandardCharsets.UTF_8))));
    }

    // ---- hostile images ----

    /** A PNG whose header declares the given size, with a tiny IDAT (a decompression bomb as far as the header goes). */
    static byte[] pngDeclaring(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        return bytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, chunk("IHDR", ihdr.array()),
                chunk("IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01}), chunk("IEND", new byte[0]));
    }

    private static byte[] chunk(String type, byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(type.getBytes(StandardCharsets.US_ASCII));
        crc.update(data);
        return bytes(ByteBuffer.allocate(4).putInt(data.length).array(), type, data,
                ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** A real small JPEG whose frame header (SOF0) is patched to declare the size. */
    static byte[] jpegDeclaring(int width, int height) throws IOException {
        byte[] jpeg = TestImages.encode(TestImages.scene(), "jpeg");
        for (int i = 2; i + 8 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xC0) {
                jpeg[i + 5] = (byte) (height >> 8);
                jpeg[i + 6] = (byte) height;
                jpeg[i + 7] = (byte) (width >> 8);
                jpeg[i + 8] = (byte) width;
                return jpeg;
            }
        }
        throw new IllegalStateException("no SOF0 marker in the JPEG ImageIO wrote");
    }

    /** A little-endian TIFF with one or more IFDs, each declaring the size; the last IFD may point back to the first. */
    static byte[] tiff(int width, int height, int ifds, boolean cycle) {
        int entries = 9;
        int ifdSize = 2 + entries * 12 + 4;
        int dataAt = 8 + ifds * ifdSize;
        ByteBuffer b = ByteBuffer.allocate(dataAt + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        for (int i = 0; i < ifds; i++) {
            b.putShort((short) entries);
            entry(b, 256, 4, width);
            entry(b, 257, 4, height);
            entry(b, 258, 3, 8);
            entry(b, 259, 3, 1);
            entry(b, 262, 3, 1);
            entry(b, 273, 4, dataAt);
            entry(b, 277, 3, 1);
            entry(b, 278, 4, height);
            entry(b, 279, 4, 16);
            int next = i + 1 < ifds ? 8 + (i + 1) * ifdSize : cycle ? 8 : 0;
            b.putInt(next);
        }
        return b.array();
    }

    /** A TIFF of 8 x 2 pixels whose StripOffsets and StripByteCounts claim {@code count} values. */
    static byte[] tiffWithStripCount(int count) {
        byte[] tiff = tiff(8, 2, 1, false);
        ByteBuffer b = ByteBuffer.wrap(tiff).order(ByteOrder.LITTLE_ENDIAN);
        for (int entry = 0; entry < b.getShort(8); entry++) {
            int at = 10 + entry * 12;
            int tag = b.getShort(at) & 0xffff;
            if (tag == 273 || tag == 279) {
                b.putInt(at + 4, count);
            }
        }
        return tiff;
    }

    /** A TIFF of 8 x 2 pixels with one of its tags (a SHORT or LONG in the builder's directory) set to value. */
    static byte[] tiffWithTag(int tag, int value) {
        return withTag(tiff(8, 2, 1, false), tag, value);
    }

    static byte[] withTag(byte[] tiff, int tag, int value) {
        ByteBuffer b = ByteBuffer.wrap(tiff).order(ByteOrder.LITTLE_ENDIAN);
        for (int entry = 0; entry < b.getShort(8); entry++) {
            int at = 10 + entry * 12;
            if ((b.getShort(at) & 0xffff) == tag) {
                if (b.getShort(at + 2) == 3) {
                    b.putShort(at + 8, (short) value);
                } else {
                    b.putInt(at + 8, value);
                }
            }
        }
        return tiff;
    }

    /** A keyword, a NUL, compression method 0 and {@code size} zero bytes deflated (about a thousandth as large). */
    static byte[] zeroText(int size) {
        java.util.zip.Deflater deflater = new java.util.zip.Deflater(9);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bytes("Comment", new byte[] {0, 0}));
        byte[] zeros = new byte[1 << 20];
        byte[] buffer = new byte[1 << 16];
        for (int i = 0; i < size / zeros.length; i++) {
            deflater.setInput(zeros);
            while (!deflater.needsInput()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
        }
        deflater.finish();
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    /** The PNG with a chunk inserted after IHDR. */
    static byte[] withChunkBeforeIdat(byte[] png, String type, byte[] data) {
        int afterIhdr = 8 + 8 + 13 + 4;
        return bytes(java.util.Arrays.copyOf(png, afterIhdr), chunk(type, data),
                java.util.Arrays.copyOfRange(png, afterIhdr, png.length));
    }

    /** The PNG with one byte of its first chunk's CRC flipped. */
    static byte[] badCrc(byte[] png) {
        byte[] copy = png.clone();
        copy[8 + 8 + 13 + 3] ^= 0x55; // IHDR: length, type, 13 data bytes, then the CRC
        return copy;
    }

    private static void entry(ByteBuffer b, int tag, int type, int value) {
        b.putShort((short) tag).putShort((short) type).putInt(1);
        if (type == 3) {
            b.putShort((short) value).putShort((short) 0);
        } else {
            b.putInt(value);
        }
    }

    // ---- checking ----

    private final List<String> violations = new ArrayList<>();
    private int cases;

    /** Sends the request, checks the status and the one-line JSON error, then that /api/health still answers. */
    void expect(String name, byte[] request, IntPredicate status, Duration wait) throws IOException {
        cases++;
        Answer answer = exchange(request, wait);
        String problem = null;
        if (answer.hung() && answer.status() == 0) {
            problem = "no answer within " + wait.toMillis() + " ms";
        } else if (answer.status() == 0) {
            problem = "no HTTP answer: " + clip(answer.head());
        } else if (!status.test(answer.status())) {
            problem = "status " + answer.status() + ": " + clip(answer.body());
        } else if (answer.status() >= 400 && answer.body() != null) {
            problem = errorProblem(answer);
        }
        if (problem == null) {
            Answer health = exchange(bytes("GET /api/health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"),
                    Duration.ofSeconds(2));
            if (health.status() != 200) {
                problem = "health afterwards: " + health.status();
            }
        }
        System.out.printf("%-55s %3d %5d ms %s%n", name, answer.status(), answer.millis(),
                problem == null ? "ok " + clip(String.valueOf(answer.body())) : "FAIL " + problem);
        if (problem != null) {
            violations.add(name + ": " + problem);
        }
    }

    private static String errorProblem(Answer answer) {
        String body = answer.body();
        if (!answer.head().toLowerCase(Locale.ROOT).contains("content-type: application/json")) {
            return "not JSON: " + clip(answer.head()) + " / " + clip(body);
        }
        if (body.strip().contains("\n") || body.contains("\tat ") || body.contains("Exception:")) {
            return "not one line: " + clip(body);
        }
        try {
            JsonNode error = JSON.readTree(body).get("error");
            if (error != null && error.asText().length() > ApiException.MAX_REASON_CHARS) {
                return "reason of " + error.asText().length() + " characters";
            }
            return error == null || error.asText().isBlank() ? "no error reason: " + clip(body) : null;
        } catch (IOException e) {
            return "not JSON: " + clip(body);
        }
    }

    private static String clip(String s) {
        String one = s.replace("\r", "\\r").replace("\n", "\\n");
        return one.length() > 160 ? one.substring(0, 160) + "..." : one;
    }

    static IntPredicate is(int... accepted) {
        return s -> java.util.Arrays.stream(accepted).anyMatch(a -> a == s);
    }

    static final IntPredicate CLIENT_ERROR = s -> s >= 400 && s < 500;
    static final Duration QUICK = Duration.ofSeconds(5);

    @Test
    void everyHostileRequestGetsAOneLineJsonReason() throws Exception {
        for (String path : List.of("/api/segment", "/api/explain")) {
            multipartCases(path);
            imageCases(path);
        }
        httpCases();
        parameterCases();
        assertTrue(violations.isEmpty(), violations.size() + " of " + cases + " cases broke the rule:\n"
                + String.join("\n", violations));
    }

    void multipartCases(String p) throws IOException {
        String mp = "multipart/form-data; boundary=" + B;
        byte[] good = form(part("image", "a.png", png), part("text", null, "red".getBytes(StandardCharsets.UTF_8)));
        expect(p + " valid", post(p, mp, good), is(200), QUICK);
        expect(p + " no body", bytes("POST " + p + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"), is(415), QUICK);
        expect(p + " multipart, empty body", post(p, mp, new byte[0]), is(400), QUICK);
        expect(p + " multipart claimed, JSON body", post(p, mp, bytes("{\"text\": \"red\"}")), is(400), QUICK);
        expect(p + " no boundary", post(p, "multipart/form-data", good), is(400), QUICK);
        expect(p + " wrong boundary", post(p, "multipart/form-data; boundary=other", good), is(400), QUICK);
        expect(p + " empty boundary", post(p, "multipart/form-data; boundary=", good), is(400), QUICK);
        expect(p + " boundary never closed", post(p, mp, bytes(part("image", "a.png", png), part("text", null, bytes("red")))),
                is(400), QUICK);
        expect(p + " cut inside a part", post(p, mp, java.util.Arrays.copyOf(good, good.length / 2)), is(400), QUICK);
        expect(p + " duplicate text", post(p, mp, form(part("image", "a.png", png), part("text", null, bytes("red")),
                part("text", null, bytes("blue")))), is(400), QUICK);
        expect(p + " duplicate image", post(p, mp, form(part("image", "a.png", png), part("image", "b.png", png),
                part("text", null, bytes("red")))), is(400), QUICK);
        expect(p + " odd bytes in a field name", post(p, mp, form(part("image", "a.png", png),
                part("text", null, bytes("red")), part("x\u0000\u00ff\"y", null, bytes("1")))), CLIENT_ERROR.or(is(200)), QUICK);
        expect(p + " raw 0xff bytes in part headers", post(p, mp, bytes(part("image", "a.png", png),
                "--" + B + "\r\nContent-Disposition: form-data; name=\"text\"\r\nX-Odd: ", new byte[] {(byte) 0xff, (byte) 0xfe, 0},
                "\r\n\r\nred\r\n--" + B + "--\r\n")), CLIENT_ERROR.or(is(200)), QUICK);
        expect(p + " filename ../../etc/passwd", post(p, mp, form(part("image", "../../etc/passwd", png),
                part("text", null, bytes("red")))), is(200), QUICK);
        expect(p + " image as a text field", post(p, mp, form(part("image", null, png), part("text", null, bytes("red")))),
                is(400), QUICK);
        expect(p + " text as a file", post(p, mp, form(part("image", "a.png", png), part("text", "t.txt", bytes("red")))),
                is(400), QUICK);
        ByteArrayOutputStream many = new ByteArrayOutputStream();
        for (int i = 0; i < 100_000; i++) {
            many.writeBytes(part("f" + i, null, bytes("x")));
        }
        expect(p + " 1e5 small parts", post(p, mp, form(many.toByteArray())), is(400, 413), QUICK);
        byte[] hugeText = new byte[10 << 20];
        java.util.Arrays.fill(hugeText, (byte) 'a');
        expect(p + " 10 MB text field", post(p, mp, form(part("image", "a.png", png), part("text", null, hugeText))),
                is(400), Duration.ofSeconds(10));
        byte[] overLimit = new byte[13 << 20];
        expect(p + " 13 MB image over the 12 MB limit", post(p, mp, form(part("image", "a.png", overLimit))), is(413),
                Duration.ofSeconds(10));
        expect(p + " part without Content-Disposition", post(p, mp, bytes("--" + B + "\r\nContent-Type: text/plain\r\n\r\nred\r\n--"
                + B + "--\r\n")), is(400), QUICK);
        expect(p + " 100 KB part header", post(p, mp, bytes("--" + B + "\r\nContent-Disposition: form-data; name=\"text\"\r\nX: "
                + "a".repeat(100_000) + "\r\n\r\nred\r\n--" + B + "--\r\n")), CLIENT_ERROR, QUICK);
        expect(p + " base64 Content-Transfer-Encoding, bad base64", post(p, mp, bytes(part("image", "a.png", png),
                "--" + B + "\r\nContent-Disposition: form-data; name=\"text\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + "!!not base64!!\r\n--" + B + "--\r\n")), CLIENT_ERROR.or(is(200)), QUICK);
        expect(p + " quoted-printable text", post(p, mp, bytes(part("image", "a.png", png),
                "--" + B + "\r\nContent-Disposition: form-data; name=\"text\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                + "red=ZZ=\r\n--" + B + "--\r\n")), CLIENT_ERROR.or(is(200)), QUICK);
        expect(p + " part without a name", post(p, mp, form(part("image", "a.png", png), part("text", null, bytes("red")),
                bytes("--" + B + "\r\nContent-Disposition: form-data; filename=\"x\"\r\n\r\nzz\r\n"))), CLIENT_ERROR.or(is(200)),
                QUICK);
        expect(p + " type multipart/form-data-evil", post(p, "multipart/form-data-evil; boundary=" + B, form(part("image", "a.png", png),
                part("text", null, bytes("red")))), is(415), QUICK);
        expect(p + " type multipart/mixed", post(p, "multipart/mixed; boundary=" + B, form(part("image", "a.png", png),
                part("text", null, bytes("red")))), is(415), QUICK);
        expect(p + " quoted boundary with charset", post(p, "Multipart/Form-Data; charset=utf-8; boundary=\"" + B + "\"",
                form(part("image", "a.png", png), part("text", null, bytes("red")))), is(200), QUICK);
        expect(p + " 1000-character boundary", post(p, "multipart/form-data; boundary=" + "b".repeat(1000),
                bytes("--" + "b".repeat(1000) + "\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nred\r\n--"
                        + "b".repeat(1000) + "--\r\n")), is(400), QUICK);
        expect(p + " text not UTF-8", post(p, mp, form(part("image", "a.png", png), part("text", null,
                new byte[] {'r', 'e', 'd', (byte) 0xc3, (byte) 0x28, (byte) 0xff}))), is(400), QUICK);
        for (String text : List.of(" \t\r\n ", "...!?", "\uD83D\uDE00\uD83C\uDFE0", "\u0627\u0644\u0633\u0642\u0641 red",
                "red\u0000roof", "\u0000\u0000")) {
            expect(p + " text " + clip(JSON.writeValueAsString(text)), upload(p, png, text),
                    text.strip().isEmpty() || text.chars().allMatch(c -> c == 0) ? is(400) : is(200, 400), QUICK);
        }
    }

    void imageCases(String p) throws IOException {
        expect(p + " 0-byte image", upload(p, new byte[0], "red"), is(400), QUICK);
        java.awt.image.BufferedImage rgb = TestImages.scene();
        for (String format : List.of("gif", "bmp")) { // read as the commands read them: one decoding path
            expect(p + " " + format + " image", upload(p, TestImages.encode(rgb, format), "red"), is(200), QUICK);
        }
        expect(p + " WebP header", upload(p, bytes("RIFF\u0024\u0000\u0000\u0000WEBPVP8 "), "red"), is(400), QUICK);
        expect(p + " SVG image", upload(p, bytes("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>"), "red"),
                is(415), QUICK);
        expect(p + " PNG bomb 100000 x 100000", upload(p, pngDeclaring(100_000, 100_000), "red"), is(413), QUICK);
        expect(p + " PNG declaring 2^31-1 x 1", upload(p, pngDeclaring(Integer.MAX_VALUE, 1), "red"), is(400, 413), QUICK);
        expect(p + " PNG declaring 0 x 0", upload(p, pngDeclaring(0, 0), "red"), is(400), QUICK);
        expect(p + " PNG declaring 4000 x 4000, tiny data", upload(p, pngDeclaring(4000, 4000), "red"), is(400), QUICK);
        expect(p + " JPEG declaring 20000 x 20000", upload(p, jpegDeclaring(20_000, 20_000), "red"), is(413), QUICK);
        expect(p + " JPEG declaring 65535 x 65535", upload(p, jpegDeclaring(65535, 65535), "red"), is(400, 413), QUICK);
        expect(p + " JPEG declaring 0 x 0", upload(p, jpegDeclaring(0, 0), "red"), is(400), QUICK);
        expect(p + " JPEG declaring 4000 x 4000, 96 x 64 of data", upload(p, jpegDeclaring(4000, 4000), "red"), is(400), QUICK);
        expect(p + " TIFF declaring 100000 x 100000", upload(p, tiff(100_000, 100_000, 1, false), "red"), is(413), QUICK);
        expect(p + " TIFF declaring 4000 x 4000, 16 bytes", upload(p, tiff(4000, 4000, 1, false), "red"), is(400), QUICK);
        expect(p + " TIFF with 5000 IFDs", upload(p, tiff(8, 2, 5000, false), "red"), is(200, 400), QUICK);
        expect(p + " TIFF with a cycle of IFDs", upload(p, tiff(8, 2, 3, true), "red"), is(200, 400), QUICK);
        expect(p + " TIFF whose strip count is 2^30", upload(p, tiffWithStripCount(1 << 30), "red"), is(400, 413), QUICK);
        expect(p + " TIFF whose IFD claims 65535 entries", upload(p, bytes(new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0,
                (byte) 0xff, (byte) 0xff}, new byte[64]), "red"), is(400), QUICK);
        expect(p + " big-endian TIFF header only", upload(p, new byte[] {'M', 'M', 0, 42, 0, 0, 0, 8}, "red"), is(400), QUICK);
        expect(p + " BigTIFF header only", upload(p, new byte[] {'I', 'I', 43, 0, 8, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0}, "red"),
                is(400), QUICK);
        expect(p + " PNG signature only", upload(p, java.util.Arrays.copyOf(png, 8), "red"), is(400), QUICK);
        expect(p + " JPEG SOI only", upload(p, new byte[] {(byte) 0xFF, (byte) 0xD8}, "red"), is(400, 415), QUICK);
        expect(p + " PNG with a bad CRC", upload(p, badCrc(png), "red"), is(400, 200), QUICK);
        expect(p + " PNG with a zTXt bomb (64 MB of text)", upload(p, withChunkBeforeIdat(png, "zTXt", zeroText(64 << 20)),
                "red"), is(200, 400), Duration.ofSeconds(10));
        expect(p + " PNG with an iCCP bomb (64 MB profile)", upload(p, withChunkBeforeIdat(png, "iCCP", zeroText(64 << 20)),
                "red"), is(200, 400), Duration.ofSeconds(10));
        expect(p + " TIFF with 65535 samples per pixel", upload(p, tiffWithTag(277, 65535), "red"), is(200, 400), QUICK);
        byte[] wideSamples = tiff(4000, 4000, 1, false);
        ByteBuffer.wrap(wideSamples).order(ByteOrder.LITTLE_ENDIAN).putShort(10 + 2 * 12 + 8, (short) 16); // 16-bit
        expect(p + " TIFF 4000 x 4000, 16-bit, 16 bytes", upload(p, wideSamples, "red"), is(400), QUICK);
        expect(p + " TIFF 4000 x 4000, 65535 samples, 16 bytes", upload(p, withTag(tiff(4000, 4000, 1, false), 277, 65535), "red"),
                is(400), QUICK);
        expect(p + " TIFF with 64-bit integer samples", upload(p, tiffWithTag(258, 64), "red"), is(200, 400), QUICK);
        expect(p + " TIFF with an unknown compression", upload(p, tiffWithTag(259, 60000), "red"), is(400), QUICK);
        expect(p + " TIFF with photometric 99", upload(p, tiffWithTag(262, 99), "red"), is(200, 400), QUICK);
        expect(p + " 1 x 1 PNG", upload(p, TestImages.encode(new java.awt.image.BufferedImage(1, 1,
                java.awt.image.BufferedImage.TYPE_INT_RGB), "png"), "red"), is(200), QUICK);
        expect(p + " 16-bit grey PNG", upload(p, TestImages.encode(new java.awt.image.BufferedImage(20, 10,
                java.awt.image.BufferedImage.TYPE_USHORT_GRAY), "png"), "red"), is(200), QUICK);
        java.awt.image.BufferedImage greyAlpha = new java.awt.image.BufferedImage(
                new java.awt.image.ComponentColorModel(java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_GRAY),
                        true, false, java.awt.Transparency.TRANSLUCENT, java.awt.image.DataBuffer.TYPE_BYTE),
                java.awt.image.Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, 20, 10, 2, null), false, null);
        expect(p + " grey+alpha PNG", upload(p, TestImages.encode(greyAlpha, "png"), "red"), is(200), QUICK);
        expect(p + " CMYK JPEG", upload(p, cmykJpeg(), "red"), is(200, 415), QUICK);
    }

    /** A 4-component (CMYK, Adobe APP14) JPEG as photo tools write it; made with ImageMagick, kept as a resource. */
    static byte[] cmykJpeg() throws IOException {
        try (InputStream in = HostileRequestsTest.class.getResourceAsStream("/serve/cmyk.jpg")) {
            return in.readAllBytes();
        }
    }

    void httpCases() throws IOException {
        String seg = "/api/segment";
        String mp = "multipart/form-data; boundary=" + B;
        byte[] good = form(part("image", "a.png", png), part("text", null, "red".getBytes(StandardCharsets.UTF_8)));
        expect("GET /api/segment", bytes("GET /api/segment HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"), is(405), QUICK);
        expect("GET /api/explain", bytes("GET /api/explain HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"), is(405), QUICK);
        expect("POST /api/health", bytes("POST /api/health HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"),
                is(405), QUICK);
        expect("PUT /api/segment", bytes("PUT /api/segment HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"),
                is(405), QUICK);
        expect("DELETE /api/model", bytes("DELETE /api/model HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"), is(405), QUICK);
        expect("HEAD /api/health", bytes("HEAD /api/health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"),
                is(200, 405, 404), QUICK);
        expect("OPTIONS /api/segment", bytes("OPTIONS /api/segment HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"),
                is(200, 204, 405, 404), QUICK);
        expect("TRACE /", bytes("TRACE / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"), is(405, 404, 400), QUICK);
        expect("unknown method", bytes("BREW /api/health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"), CLIENT_ERROR, QUICK);
        expect("unknown path", bytes("GET /api/nothing HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"), is(404), QUICK);
        expect("unknown path, Accept html", bytes("GET /nothing.html HTTP/1.1\r\nHost: t\r\nAccept: text/html\r\n"
                + "Connection: close\r\n\r\n"), is(404), QUICK);
        expect("path with ..", bytes("GET /../../etc/passwd HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"), is(400, 404), QUICK);
        expect("path with %2e%2e", bytes("GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"),
                is(400, 404), QUICK);
        expect("path with %00", bytes("GET /api/health%00 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"), is(400, 404), QUICK);
        expect("path with %2F", bytes("GET /api%2Fhealth HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"), is(400, 404), QUICK);
        expect("path with bad %-escape", bytes("GET /api/%zz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"), is(400, 404), QUICK);
        expect("query with bad %-escape", bytes("POST /api/segment?format=%zz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
                + "Content-Type: " + mp + "\r\nContent-Length: " + good.length + "\r\n\r\n", good), is(400), QUICK);
        expect("raw UTF-8 bytes in the path", bytes("GET /api/h\u00e9alth HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"),
                is(400, 404), QUICK);
        expect("raw 0xff byte in a header", bytes("GET /api/health HTTP/1.1\r\nHost: t\r\nX-Odd: ", new byte[] {(byte) 0xff},
                "\r\nConnection: close\r\n\r\n"), is(200, 400), QUICK);
        expect("absolute URI to another host", bytes("GET http://example.com/api/health HTTP/1.1\r\nHost: t\r\n"
                + "Connection: close\r\n\r\n"), is(200, 400), QUICK);
        expect("CONNECT", bytes("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\nConnection: close\r\n\r\n"),
                is(400, 404, 405), QUICK);
        expect("10000 query parameters", bytes("GET /api/health?" + "a=1&".repeat(1_900) + " HTTP/1.1\r\nHost: t\r\n"
                + "Connection: close\r\n\r\n"), is(200), QUICK);
        expect("h2c upgrade", bytes("GET /api/health HTTP/1.1\r\nHost: t\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n"), is(200), QUICK);
        expect("WebSocket upgrade", bytes("GET /api/health HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"), is(200, 400, 404), QUICK);
        expect("Range beyond a static file", bytes("GET /app.js HTTP/1.1\r\nHost: t\r\nRange: bytes=99999999-\r\n"
                + "Connection: close\r\n\r\n"), is(200), QUICK);
        expect("malformed Range", bytes("GET /app.js HTTP/1.1\r\nHost: t\r\nRange: bytes=z-q,,,-\r\n"
                + "Connection: close\r\n\r\n"), is(200), QUICK);
        expect("10000 ranges", bytes("GET /app.js HTTP/1.1\r\nHost: t\r\nRange: bytes=" + "0-1,".repeat(1500) + "0-1\r\n"
                + "Connection: close\r\n\r\n"), is(200), QUICK);
        expect("garbage If-Modified-Since", bytes("GET /app.js HTTP/1.1\r\nHost: t\r\nIf-Modified-Since: yesterday\r\n"
                + "If-None-Match: \"\r\nConnection: close\r\n\r\n"), is(200), QUICK);
        expect("two Host headers", bytes("GET /api/health HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n"),
                is(200, 400), QUICK);
        expect("double slashes", bytes("GET //api//health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"), is(200, 400, 404),
                QUICK);
        expect("trailing slash", bytes("POST /api/segment/ HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Type: " + mp
                + "\r\nContent-Length: " + good.length + "\r\n\r\n", good), is(200), QUICK);
        expect("GET with a body", bytes("GET /api/health HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: 5\r\n\r\n"
                + "hello"), is(200), QUICK);
        expect("query with %ff (not UTF-8)", bytes("POST /api/segment?format=%ff HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
                + "Content-Type: " + mp + "\r\nContent-Length: " + good.length + "\r\n\r\n", good), is(400), QUICK);
        expect("100 KB URL", bytes("GET /api/health?" + "a".repeat(100_000) + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"),
                is(414, 431, 400), QUICK);
        expect("1 MB header", bytes("GET /api/health HTTP/1.1\r\nHost: t\r\nX-Big: " + "a".repeat(1 << 20)
                + "\r\nConnection: close\r\n\r\n"), is(431, 400, 413), QUICK);
        expect("10000 headers", bytes("GET /api/health HTTP/1.1\r\nHost: t\r\n" + "X: y\r\n".repeat(10_000)
                + "Connection: close\r\n\r\n"), is(431, 400), QUICK);
        expect("HTTP/1.0 without Host", bytes("GET /api/health HTTP/1.0\r\n\r\n"), is(200), QUICK);
        expect("HTTP/1.1 without Host", bytes("GET /api/health HTTP/1.1\r\nConnection: close\r\n\r\n"), is(400, 200), QUICK);
        expect("garbage request line", bytes("\u0001\u0002garbage garbage garbage\r\n\r\n"), is(400), QUICK);
        expect("HTTP/9.9", bytes("GET /api/health HTTP/9.9\r\nHost: t\r\n\r\n"), is(400, 505), QUICK);
        expect("HEAD /api/segment", bytes("HEAD /api/segment HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"),
                is(404, 405), QUICK);
        expect("header without colon", bytes("GET /api/health HTTP/1.1\r\nHost: t\r\nNoColonHere\r\n\r\n"), is(400), QUICK);
        expect("negative Content-Length", bytes("POST " + seg + " HTTP/1.1\r\nHost: t\r\nContent-Type: " + mp
                + "\r\nContent-Length: -5\r\n\r\n", good), is(400), QUICK);
        expect("non-numeric Content-Length", bytes("POST " + seg + " HTTP/1.1\r\nHost: t\r\nContent-Type: " + mp
                + "\r\nContent-Length: lots\r\n\r\n", good), is(400), QUICK);
        expect("Content-Length 2^63", bytes("POST " + seg + " HTTP/1.1\r\nHost: t\r\nContent-Type: " + mp
                + "\r\nContent-Length: 99999999999999999999\r\n\r\n", good), is(400, 413), QUICK);
        expect("two Content-Lengths", bytes("POST " + seg + " HTTP/1.1\r\nHost: t\r\nContent-Type: " + mp
                + "\r\nContent-Length: " + good.length + "\r\nContent-Length: 5\r\n\r\n", good), is(400), QUICK);
        expect("Content-Length larger than the body (stall)", bytes("POST " + seg + " HTTP/1.1\r\nHost: t\r\nContent-Type: " + mp
                + "\r\nContent-Length: " + (good.length + 1000) + "\r\n\r\n", good), is(408), QUICK);
        expect("Content-Length smaller than the body", bytes("POST " + seg + " HTTP/1.1\r\nHost: t\r\nContent-Type: " + mp
                + "\r\nContent-Length: " + (good.length / 2) + "\r\n\r\n", good), is(400), QUICK);
        String chunked = Integer.toHexString(good.length) + "\r\n";
        expect("chunked and Content-Length", bytes("POST " + seg + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Type: " + mp
                + "\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked, good, "\r\n0\r\n\r\n"), is(400, 200), QUICK);
        expect("valid chunked", bytes("POST " + seg + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Type: " + mp
                + "\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked, good, "\r\n0\r\n\r\n"), is(200), QUICK);
        expect("chunk size not hex", bytes("POST " + seg + " HTTP/1.1\r\nHost: t\r\nContent-Type: " + mp
                + "\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", good, "\r\n0\r\n\r\n"), is(400), QUICK);
        expect("chunk size huge", bytes("POST " + seg + " HTTP/1.1\r\nHost: t\r\nContent-Type: " + mp
                + "\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n", good, "\r\n0\r\n\r\n"), is(400, 413), QUICK);
        expect("chunk shorter than its size", bytes("POST " + seg + " HTTP/1.1\r\nHost: t\r\nContent-Type: " + mp
                + "\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(good.length + 50) + "\r\n", good, "\r\n0\r\n\r\n"),
                is(400, 408), QUICK);
        expect("unknown Transfer-Encoding", bytes("POST " + seg + " HTTP/1.1\r\nHost: t\r\nContent-Type: " + mp
                + "\r\nTransfer-Encoding: gzip\r\n\r\n", good), is(400, 501), QUICK);
        expect("Expect: 100-continue then nothing", bytes("POST " + seg + " HTTP/1.1\r\nHost: t\r\nContent-Type: " + mp
                + "\r\nExpect: 100-continue\r\nContent-Length: 1000\r\n\r\n"), is(100, 408), QUICK);
        expect("Content-Encoding gzip (not gzip)", bytes("POST " + seg + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Type: "
                + mp + "\r\nContent-Encoding: gzip\r\nContent-Length: " + good.length + "\r\n\r\n", good), is(400, 415, 200), QUICK);
        // pipelined: two health requests in one write, both answered
        cases++;
        Answer pipelined = exchange(bytes("GET /api/health HTTP/1.1\r\nHost: t\r\n\r\nGET /api/health HTTP/1.1\r\nHost: t\r\n"
                + "Connection: close\r\n\r\n"), QUICK);
        assertEquals(200, pipelined.status());
        // two uploads pipelined on one connection: the first answered in full, the second follows it
        cases++;
        byte[] keepAlive = bytes("POST /api/segment?format=json HTTP/1.1\r\nHost: t\r\nContent-Type: " + mp
                + "\r\nContent-Length: " + good.length + "\r\n\r\n", good);
        Answer first = exchange(bytes(keepAlive, post("/api/segment?format=json", mp, good)), QUICK);
        assertEquals(200, first.status(), first.body());
        assertTrue(first.body().startsWith("{\"width\""), first.body());
        // a request then garbage on the same connection
        expect("valid request then garbage", bytes("GET /api/health HTTP/1.1\r\nHost: t\r\n\r\n\u0000\u0001junk\r\n\r\n"), is(200),
                QUICK);
    }

    void parameterCases() throws IOException {
        String mp = "multipart/form-data; boundary=" + B;
        for (String query : List.of("?format=PNG", "?format=svg", "?format=", "?format=png&format=json", "?format=%00",
                "?confidence=yes", "?confidence=TRUE", "?confidence=", "?confidence=1", "?confidence=true&confidence=false",
                "?format=" + "x".repeat(5000))) {
            boolean ok = query.equals("?format=PNG") || query.equals("?confidence=TRUE") || query.equals("?format=")
                    || query.equals("?confidence=");
            expect("/api/segment" + clip(query.length() > 40 ? query.substring(0, 40) : query),
                    upload("/api/segment" + query, png, "red"), ok ? is(200) : is(400), QUICK);
        }
        for (int[] size : new int[][] {{1, 1}, {300, 1}, {1, 300}, {2, 2}}) {
            java.awt.image.BufferedImage tiny = new java.awt.image.BufferedImage(size[0], size[1], java.awt.image.BufferedImage.TYPE_INT_RGB);
            tiny.setRGB(0, 0, 0xE61414); // one red pixel: a mask of one pixel to outline
            for (String format : List.of("png", "geojson", "json")) {
                expect("/api/segment " + size[0] + " x " + size[1] + " as " + format, upload("/api/segment?confidence=true&format="
                        + format, TestImages.encode(tiny, "png"), "red"), is(200), QUICK);
            }
        }
        byte[] disagree = form(part("image", "a.png", png), part("text", null, bytes("red")), part("format", null, bytes("json")));
        expect("format in query and form, disagreeing", post("/api/segment?format=png", mp, disagree), is(400), QUICK);
        byte[] agree = form(part("image", "a.png", png), part("text", null, bytes("red")), part("format", null, bytes("json")));
        expect("format in query and form, agreeing", post("/api/segment?format=json", mp, agree), is(200), QUICK);
        byte[] odd = form(part("image", "a.png", png), part("text", null, bytes("red")), part("confidence", null, bytes("maybe")));
        expect("confidence=maybe in the form", post("/api/segment", mp, odd), is(400), QUICK);
    }

    /**
     * Requests beyond the queue are refused at once (429), on /api/segment and /api/explain alike, while the model is
     * busy; /api/health answers meanwhile, and the queued requests finish once the model is free.
     */
    @ParameterizedTest
    @ValueSource(strings = {"/api/segment", "/api/explain"})
    void requestsBeyondTheQueueAre429AtOnce(String path) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch drawing = new CountDownLatch(1);
        ColourWordSegmenter busy = new ColourWordSegmenter(release) {
            @Override
            public List<WordMaps.WordMap> wordMaps(BufferedImage image, String sentence) {
                drawing.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.wordMaps(image, sentence);
            }
        }.withWordMaps();
        ServerLimits limits = ServerLimits.defaults().withQueue(2, 1).withRequestTimeout(Duration.ofSeconds(20));
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try (SegmentationServer busyServer = new SegmentationServer(busy, ModelInfo.unknown("busy"), limits)
                .start("127.0.0.1", 0)) {
            int busyPort = busyServer.port();
            Duration wait = Duration.ofSeconds(20);
            List<Future<Answer>> held = new ArrayList<>();
            held.add(pool.submit(() -> exchange(busyPort, upload(path, png, "red"), wait)));
            CountDownLatch started = path.endsWith("segment") ? busy.entered : drawing;
            assertTrue(started.await(10, TimeUnit.SECONDS), "the first request reaches the model");
            for (int i = 0; i < 2; i++) {
                held.add(pool.submit(() -> exchange(busyPort, upload(path, png, "blue"), wait)));
            }
            Thread.sleep(500); // the two take the waiting places
            List<Future<Answer>> beyond = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                beyond.add(pool.submit(() -> exchange(busyPort, upload(path, png, "green"), wait)));
            }
            for (Future<Answer> f : beyond) {
                Answer answer = f.get(10, TimeUnit.SECONDS);
                assertEquals(429, answer.status(), path + ": " + answer.body());
                assertTrue(answer.millis() < 2000, path + ": 429 after " + answer.millis() + " ms");
                assertEquals(null, errorProblem(answer), path);
            }
            assertEquals(200, exchange(busyPort, bytes("GET /api/health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"),
                    QUICK).status());
            release.countDown();
            for (Future<Answer> f : held) {
                assertEquals(200, f.get(20, TimeUnit.SECONDS).status(), path);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A request whose sentence the model refuses, batched with others, fails alone: the others get their masks. */
    @Test
    void aRefusedSentenceInABatchFailsOnlyItsOwnRequest() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ColourWordSegmenter picky = new ColourWordSegmenter(release) {
            @Override
            public List<float[]> targetProbability(List<BufferedImage> images, List<String> sentences) {
                List<float[]> out = super.targetProbability(images, sentences);
                if (sentences.stream().anyMatch(s -> s.contains("poison"))) {
                    throw new io.rrsis4j.InvalidInputException("the sentence 'poison' names nothing");
                }
                return out;
            }
        };
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try (SegmentationServer pickyServer = new SegmentationServer(picky, ModelInfo.unknown("picky"),
                ServerLimits.defaults().withQueue(4, 4)).start("127.0.0.1", 0)) {
            int pickyPort = pickyServer.port();
            Duration wait = Duration.ofSeconds(20);
            Future<Answer> first = pool.submit(() -> exchange(pickyPort, upload("/api/segment", png, "red"), wait));
            assertTrue(picky.entered.await(10, TimeUnit.SECONDS));
            Future<Answer> good = pool.submit(() -> exchange(pickyPort, upload("/api/segment", png, "blue"), wait));
            Future<Answer> bad = pool.submit(() -> exchange(pickyPort, upload("/api/segment", png, "poison"), wait));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (pickyServer.waitingCount() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            release.countDown();
            assertEquals(200, first.get(20, TimeUnit.SECONDS).status());
            assertEquals(200, good.get(20, TimeUnit.SECONDS).status(), "batched with a refused sentence");
            Answer refused = bad.get(20, TimeUnit.SECONDS);
            assertEquals(400, refused.status());
            assertEquals(null, errorProblem(refused));
            assertEquals(2, picky.largestBatch.get(), "the two waiting requests were one batch");
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Many small uploads of large images (a flat max-size PNG is tiny) cannot hold more decoded pixels than the
     * budget: beyond it, 503 at once; pixels are given back when a request ends, also when its image was refused.
     */
    @Test
    void decodedPixelsBeyondTheBudgetAre503AtOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ColourWordSegmenter slow = new ColourWordSegmenter(release);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        PixelBudget oneScene = new PixelBudget(TestImages.WIDTH * TestImages.HEIGHT);
        try (SegmentationServer budgetServer = new SegmentationServer(slow, ModelInfo.unknown("slow"),
                ServerLimits.defaults(), oneScene).start("127.0.0.1", 0)) {
            int budgetPort = budgetServer.port();
            for (int i = 0; i < 3; i++) { // admitted from the header, then refused as corrupt: the pixels come back
                assertEquals(400, exchange(budgetPort, upload("/api/segment", pngDeclaring(TestImages.WIDTH, TestImages.HEIGHT),
                        "red"), QUICK).status());
            }
            Future<Answer> held = pool.submit(() -> exchange(budgetPort, upload("/api/segment", png, "red"), Duration.ofSeconds(20)));
            assertTrue(slow.entered.await(10, TimeUnit.SECONDS), "the first request reaches the model");
            for (String path : List.of("/api/segment", "/api/explain")) {
                Answer refused = exchange(budgetPort, upload(path, png, "blue"), QUICK);
                assertEquals(503, refused.status(), path + ": " + refused.body());
                assertTrue(refused.millis() < 2000, refused.millis() + " ms");
                assertEquals(null, errorProblem(refused));
            }
            release.countDown();
            assertEquals(200, held.get(20, TimeUnit.SECONDS).status());
            assertEquals(200, exchange(budgetPort, upload("/api/segment", png, "blue"), QUICK).status(), "pixels given back");
        } finally {
            pool.shutdownNow();
        }
    }

    /** An Error (not an Exception) in a handler is a one-line 500 too, and the server goes on serving. */
    @Test
    void anErrorInAHandlerIsAOneLine500() throws Exception {
        ColourWordSegmenter overflowing = new ColourWordSegmenter() {
            @Override
            public List<WordMaps.WordMap> wordMaps(BufferedImage image, String sentence) {
                throw new StackOverflowError("deep\nat somewhere");
            }
        };
        try (SegmentationServer faulty = new SegmentationServer(overflowing, ModelInfo.unknown("faulty"),
                ServerLimits.defaults()).start("127.0.0.1", 0)) {
            Answer answer = exchange(faulty.port(), upload("/api/explain", png, "red"), QUICK);
            assertEquals(500, answer.status(), answer.body());
            assertEquals(null, errorProblem(answer));
            assertTrue(answer.body().contains("StackOverflowError") && !answer.body().contains("somewhere"), answer.body());
            assertEquals(200, exchange(faulty.port(), upload("/api/segment", png, "red"), QUICK).status());
        }
    }

    /**
     * Eight attackers on their own address send hostile requests without pause for two seconds; meanwhile /api/health
     * and a normal upload from another address are answered promptly.
     */
    @Test
    void normalClientsAreServedDuringAHostileBarrage() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(canBind("127.0.0.2"), "needs a second loopback address");
        String mp = "multipart/form-data; boundary=" + B;
        byte[] good = form(part("image", "a.png", png), part("text", null, bytes("red")));
        List<byte[]> hostile = List.of(
                post("/api/segment", mp, java.util.Arrays.copyOf(good, good.length / 2)),
                upload("/api/segment", pngDeclaring(100_000, 100_000), "red"),
                upload("/api/explain", pngDeclaring(4000, 4000), "red"),
                upload("/api/segment", png, "red\u0000"),
                bytes("GET /api/health HTTP/1.1\r\nHost: t\r\nX-Big: " + "a".repeat(1 << 20) + "\r\n\r\n"),
                bytes("\u0001\u0002garbage\r\n\r\n"),
                bytes("POST /api/segment HTTP/1.1\r\nHost: t\r\nContent-Type: " + mp + "\r\nContent-Length: -5\r\n\r\n"),
                bytes("POST /api/segment HTTP/1.1\r\nHost: t\r\nContent-Type: " + mp
                        + "\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"));
        long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        ExecutorService attackers = Executors.newFixedThreadPool(8);
        java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger unanswered = new java.util.concurrent.atomic.AtomicInteger();
        try {
            for (int a = 0; a < 8; a++) {
                int first = a;
                attackers.submit(() -> {
                    for (int i = first; System.nanoTime() < end; i++) {
                        Answer answer = exchange("127.0.0.2", port, hostile.get(i % hostile.size()), QUICK);
                        sent.incrementAndGet();
                        if (answer.status() < 400) {
                            unanswered.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
            int rounds = 0;
            while (System.nanoTime() < end) {
                Answer health = exchange(bytes("GET /api/health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"), QUICK);
                assertEquals(200, health.status());
                assertTrue(health.millis() < 1000, "health took " + health.millis() + " ms");
                Answer mask = exchange(upload("/api/segment", png, "red"), QUICK);
                assertEquals(200, mask.status(), mask.body());
                assertTrue(mask.millis() < 2000, "a normal upload took " + mask.millis() + " ms");
                rounds++;
            }
            assertTrue(rounds >= 3, "rounds under attack: " + rounds);
            System.out.println("normal rounds under attack: " + rounds);
        } finally {
            attackers.shutdown();
            assertTrue(attackers.awaitTermination(15, TimeUnit.SECONDS));
        }
        System.out.println("hostile requests in the barrage: " + sent.get());
        assertTrue(sent.get() > 50, "hostile requests sent: " + sent.get());
        assertEquals(0, unanswered.get(), "hostile requests without a 4xx, of " + sent.get());
    }

    private static boolean canBind(String address) {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(address, 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
