package io.rrsis4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rrsis4j.InvalidInputException;
import io.rrsis4j.infer.Segmenter;
import io.rrsis4j.serve.ConnectionLimits;
import io.rrsis4j.serve.ModelInfo;
import io.rrsis4j.serve.SegmentationServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class ServeCommandTest {

    /** Test double: probability 0.7 everywhere. */
    private static final class ConstantSegmenter implements Segmenter {
        @Override
        public List<float[]> targetProbability(List<BufferedImage> images, List<String> sentences) {
            List<float[]> out = new ArrayList<>();
            for (BufferedImage image : images) {
                float[] p = new float[image.getWidth() * image.getHeight()];
                java.util.Arrays.fill(p, 0.7f);
                out.add(p);
            }
            return out;
        }

        @Override
        public int inputSize() {
            return 32;
        }
    }

    @Test
    void optionsBecomeLimitsAndTheLoaderGetsTheCheckpoint(@TempDir Path dir) throws Exception {
        Path checkpoint = Files.writeString(dir.resolve("model.ckpt"), "weights");
        List<Path> loaded = new ArrayList<>();
        ServeCommand command = new ServeCommand(path -> {
            loaded.add(path);
            return new ConstantSegmenter();
        }, (path, segmenter) -> new ModelInfo("btdnet-test", 1234, "synthetic scenes", Map.of("swin", "tiny")));
        new CommandLine(command).parseArgs("--checkpoint", checkpoint.toString(), "--port", "0",
                "--max-sentence-chars", "50", "--queue", "3", "--timeout-s", "7", "--read-timeout-s", "4",
                "--header-timeout-s", "2", "--min-upload-rate", "500", "--max-uploads", "5", "--max-uploads-per-client", "2");

        assertEquals(50, command.limits().maxSentenceChars());
        assertEquals(3, command.limits().queueCapacity());
        assertEquals(7, command.limits().requestTimeout().toSeconds());
        assertEquals(20L * 1024 * 1024, command.limits().maxUploadBytes());
        assertEquals(new ConnectionLimits(Duration.ofSeconds(4), Duration.ofSeconds(2), 500, 5, 2),
                command.limits().connections());
        try (SegmentationServer server = command.start()) {
            assertEquals(List.of(checkpoint), loaded);
            HttpResponse<String> model = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/model")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, model.statusCode());
            assertTrue(model.body().contains("\"parameterCount\":1234"), model.body());
            assertTrue(model.body().contains("\"maxSentenceChars\":50"), model.body());
            assertTrue(model.body().contains("\"maxUploadsPerClient\":2"), model.body());
        }
    }

    @Test
    void missingCheckpointIsInvalidInput(@TempDir Path dir) {
        ServeCommand command = new ServeCommand(path -> new ConstantSegmenter());
        new CommandLine(command).parseArgs("--checkpoint", dir.resolve("absent.ckpt").toString());
        InvalidInputException e = assertThrows(InvalidInputException.class, command::start);
        assertTrue(e.getMessage().contains("absent.ckpt"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--port|99999|--port 99999: not a port (0-65535)",
            "--port|-1|--port -1: not a port (0-65535)",
            "--host|nosuch.invalid|--host nosuch.invalid: unknown host"})
    void badHostOrPortIsOneLineAndExit2(String option, String value, String expected, @TempDir Path dir) throws Exception {
        Path checkpoint = Files.writeString(dir.resolve("model.ckpt"), "weights");
        String[] streams = runCapturing("serve", "--checkpoint", checkpoint.toString(), option, value);
        assertEquals("2", streams[0]);
        assertEquals("error: " + expected + System.lineSeparator(), streams[2]);
    }

    @Test
    void portInUseIsOneLineExit2AndNoModelIsLoaded(@TempDir Path dir) throws Exception {
        Path checkpoint = Files.writeString(dir.resolve("model.ckpt"), "weights");
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            String port = String.valueOf(taken.getLocalPort());
            String[] streams = runCapturing("serve", "--checkpoint", checkpoint.toString(), "--port", port);
            assertEquals("2", streams[0]);
            assertEquals("error: 127.0.0.1:" + port + " is already in use" + System.lineSeparator(), streams[2]);

            List<Path> loaded = new ArrayList<>();
            ServeCommand command = new ServeCommand(path -> {
                loaded.add(path);
                return new ConstantSegmenter();
            });
            new CommandLine(command).parseArgs("--checkpoint", checkpoint.toString(), "--port", port);
            assertThrows(InvalidInputException.class, command::start);
            assertEquals(List.of(), loaded, "the port is checked before the model loads");
        }
    }

    /** Runs the whole command line; returns the exit code, stdout and stderr. */
    private static String[] runCapturing(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new String[] {String.valueOf(code), outBytes.toString(StandardCharsets.UTF_8),
                    errBytes.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
