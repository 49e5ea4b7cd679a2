package io.rrsis4j.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.rrsis4j.infer.BtdNetSegmenter;
import io.rrsis4j.serve.ModelInfo;
import io.rrsis4j.serve.MultipartBody;
import io.rrsis4j.serve.SegmentationServer;
import io.rrsis4j.serve.ServerLimits;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Odd but valid images (1 pixel, one row, one column, 16-bit, grey with alpha) and odd sentences through the real
 * (micro, untrained) model: each is answered 200 or a one-line 4xx, never a 500.
 */
class ServeMicroModelOddInputsTest {
    @Test
    void oddImagesAndSentencesAreNeverInternalErrors(@TempDir Path dir) throws Exception {
        Path checkpoint = MicroCheckpoint.write(dir.resolve("micro"));
        Map<String, BufferedImage> images = new LinkedHashMap<>();
        images.put("1 x 1", new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB));
        images.put("300 x 1", new BufferedImage(300, 1, BufferedImage.TYPE_INT_RGB));
        images.put("1 x 300", new BufferedImage(1, 300, BufferedImage.TYPE_INT_RGB));
        images.put("3 x 2", new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB));
        images.put("16-bit grey", new BufferedImage(40, 30, BufferedImage.TYPE_USHORT_GRAY));
        images.put("RGBA", new BufferedImage(40, 30, BufferedImage.TYPE_INT_ARGB));
        List<String> sentences = List.of("the red roof", "...!?", "\uD83D\uDE00\uD83C\uDFE0", "\u0627\u0644\u0633\u0642\u0641",
                "a ".repeat(140), "x".repeat(290), "[CLS] [SEP] [MASK] [PAD]", "\u200b\u200b", "e\u0301\u0301\u0301");
        List<String> failures = new ArrayList<>();
        HttpClient client = HttpClient.newHttpClient();
        try (BtdNetSegmenter segmenter = BtdNetSegmenter.load(checkpoint, Device.cpu());
             SegmentationServer server = new SegmentationServer(segmenter, ModelInfo.unknown("micro"), ServerLimits.defaults())
                     .start("127.0.0.1", 0)) {
            URI base = URI.create("http://127.0.0.1:" + server.port());
            for (String path : List.of("/api/segment?format=json", "/api/explain")) {
                for (Map.Entry<String, BufferedImage> image : images.entrySet()) {
                    check(client, base, path, image.getKey(), png(image.getValue()), "the red roof", failures);
                }
                for (String sentence : sentences) {
                    check(client, base, path, "sentence " + sentence.substring(0, Math.min(20, sentence.length())),
                            png(new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB)), sentence, failures);
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    private static void check(HttpClient client, URI base, String path, String name, byte[] image, String text,
            List<String> failures) throws Exception {
        MultipartBody body = new MultipartBody().file("image", "a.png", "image/png", image).field("text", text);
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", body.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        String shown = response.body().length() > 160 ? response.body().substring(0, 160) : response.body();
        System.out.println(path + " " + name + ": " + response.statusCode() + " " + shown);
        if (response.statusCode() >= 500 || (response.statusCode() >= 400 && !response.body().startsWith("{\"error\""))) {
            failures.add(path + " " + name + ": " + response.statusCode() + " " + shown);
        }
    }

    private static byte[] png(BufferedImage image) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
