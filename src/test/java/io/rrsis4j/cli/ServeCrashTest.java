package io.rrsis4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.rrsis4j.infer.BtdNetSegmenter;
import io.rrsis4j.serve.ModelInfo;
import io.rrsis4j.serve.MultipartBody;
import io.rrsis4j.serve.SegmentationServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A `serve` process killed (SIGKILL) while a request is in flight: nothing is lost and the next start works. */
class ServeCrashTest {
    private static final Pattern SERVING = Pattern.compile("serving .* on http://127\\.0\\.0\\.1:(\\d+)/");

    @Test
    void killedServerLosesNothingAndTheNextStartServesOnTheSamePort(@TempDir Path dir) throws Exception {
        Path checkpoint = dir.resolve("ckpt");
        ServeTrainedModelTest.saveMicroCheckpoint(checkpoint);
        Map<String, String> before = digests(checkpoint);

        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "serve", "--checkpoint", checkpoint.toString(), "--port", "0")
                .redirectError(dir.resolve("child.log").toFile()).start();
        int port;
        try {
            port = awaitPort(child, 90);
            try (Socket inFlight = new Socket()) {
                inFlight.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                inFlight.setSoTimeout(10_000);
                OutputStream out = inFlight.getOutputStream();
                out.write(("POST /api/segment HTTP/1.1\r\nHost: test\r\nContent-Type: multipart/form-data; boundary=zz\r\n"
                        + "Content-Length: 100000\r\n\r\n--zz\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nred")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(300); // the server is now reading the body
                child.destroyForcibly(); // SIGKILL
                assertTrue(child.waitFor(10, TimeUnit.SECONDS), "the child did not die");
                assertEquals(-1, readUntilClosed(inFlight.getInputStream()), "the client sees the connection end");
            }
        } finally {
            child.destroyForcibly();
        }
        assertEquals(before, digests(checkpoint), "the checkpoint folder changed");

        ServeCommand command = new ServeCommand(BtdNetSegmenter::load, ModelInfo::describe);
        new CommandLine(command).parseArgs("--checkpoint", checkpoint.toString(), "--port", String.valueOf(port));
        try (SegmentationServer server = command.start()) {
            assertEquals(port, server.port());
            MultipartBody body = new MultipartBody().file("image", "scene.png", "image/png", png())
                    .field("text", "the red roof");
            HttpResponse<byte[]> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/api/segment"))
                    .header("Content-Type", body.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, answer.statusCode(), new String(answer.body(), StandardCharsets.UTF_8));
        }
        assertEquals(before, digests(checkpoint), "serving changed the checkpoint folder");
    }

    /** Reads the child's stdout until it says where it serves. */
    private static int awaitPort(Process child, int seconds) throws Exception {
        BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line; (line = lines.readLine()) != null; ) {
                    Matcher m = SERVING.matcher(line);
                    if (m.find()) {
                        return Integer.parseInt(m.group(1));
                    }
                }
                return -1;
            } catch (IOException e) {
                return -1;
            }
        });
        int found = port.get(seconds, TimeUnit.SECONDS);
        if (found < 0) {
            fail("serve exited before listening, exit " + child.waitFor());
        }
        return found;
    }

    /** Reads what is left; -1 once the peer is gone (end of stream or reset), a timeout fails: a hang. */
    private static int readUntilClosed(InputStream in) throws IOException {
        try {
            while (in.read() >= 0) {
                // an answer after the kill would be a surprise, but only the end matters here
            }
            return -1;
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException reset) {
            return -1;
        }
    }

    private static Map<String, String> digests(Path folder) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                out.put(folder.relativize(file).toString(), HexFormat.of().formatHex(sha.digest(Files.readAllBytes(file))));
            }
        }
        return out;
    }

    private static byte[] png() throws IOException {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(64, 48, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
