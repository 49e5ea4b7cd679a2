package io.rrsis4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rrsis4j.InvalidInputException;
import io.rrsis4j.infer.Segmenter;
import io.rrsis4j.serve.ModelInfo;
import io.rrsis4j.serve.SegmentationServer;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
                "--max-sentence-chars", "50", "--queue", "3", "--timeout-s", "7");

        assertEquals(50, command.limits().maxSentenceChars());
        assertEquals(3, command.limits().queueCapacity());
        assertEquals(7, command.limits().requestTimeout().toSeconds());
        assertEquals(20L * 1024 * 1024, command.limits().maxUploadBytes());
        try (SegmentationServer server = command.start()) {
            assertEquals(List.of(checkpoint), loaded);
            HttpResponse<String> model = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/model")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, model.statusCode());
            assertTrue(model.body().contains("\"parameterCount\":1234"), model.body());
            assertTrue(model.body().contains("\"maxSentenceChars\":50"), model.body());
        }
    }

    @Test
    void missingCheckpointIsInvalidInput(@TempDir Path dir) {
        ServeCommand command = new ServeCommand(path -> new ConstantSegmenter());
        new CommandLine(command).parseArgs("--checkpoint", dir.resolve("absent.ckpt").toString());
        InvalidInputException e = assertThrows(InvalidInputException.class, command::start);
        assertTrue(e.getMessage().contains("absent.ckpt"));
    }
}
