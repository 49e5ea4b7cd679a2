package io.rrsis4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rrsis4j.data.Images;
import io.rrsis4j.infer.BtdNetSegmenter;
import io.rrsis4j.serve.ModelInfo;
import io.rrsis4j.serve.MultipartBody;
import io.rrsis4j.serve.SegmentationServer;
import io.rrsis4j.serve.ServerLimits;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What users bring, through the commands and the server with a real (micro, untrained) model: camera JPEGs turned by
 * EXIF, formats without a decoder, sentences past the token limit or without a word the model knows. Each gets an
 * answer that says what was done, or one line.
 */
class UserInputsCommandTest {
    @TempDir
    static Path dir;
    static Path checkpoint;

    @BeforeAll
    static void micro() {
        checkpoint = MicroCheckpoint.write(dir.resolve("micro"));
    }

    static Path fixture(String name) throws URISyntaxException {
        return Path.of(UserInputsCommandTest.class.getResource("/encodings/" + name).toURI());
    }

    @Test
    void aTurnedCameraPictureIsSegmentedUprightAndALongSentenceIsCutAndSaid() throws Exception {
        Path mask = dir.resolve("upright-mask.png");
        String sentence = "the small red car parked on the road next to the large white building near the left corner "
                + "of the lake beside the green tree";
        CliRun run = CliRun.of("segment", "--checkpoint", checkpoint.toString(), "--image",
                fixture("orientation-6.jpg").toString(), "--text", sentence, "--out", mask.toString());
        assertEquals(0, run.code(), run.toString());
        BufferedImage m = Images.read(mask);
        assertEquals(48, m.getWidth(), "the mask has the upright picture's size");
        assertEquals(32, m.getHeight());
        assertTrue(run.out().contains("warning: image rotated 90 degrees clockwise as its EXIF orientation (6) says"),
                run.out());
        assertTrue(run.out().contains("the last 6 word(s) were dropped: 'the lake beside the green tree'"), run.out());
    }

    @Test
    void sentencesWithNothingToLookForAndUndecodableFormatsAreOneLine() throws Exception {
        String[][] cases = {
                {"orientation-1.jpg", "\u6cb9\u7f50 \u65c1\u8fb9", "no word the model's vocabulary knows"},
                {"orientation-1.jpg", "the of the and", "has no word that names something"},
                {"orientation-1.jpg", "\uD83D\uDE97 \uD83C\uDFE0", "no word (no letter or digit)"},
                {"orientation-1.jpg", "tank ".repeat(1000), "at most 1000 are accepted"},
                {"phone.heic", "the red car", "HEIF/HEIC"},
                {"arithmetic.jpg", "the red car", "arithmetic-coded JPEG"},
        };
        for (String[] c : cases) {
            Path out = dir.resolve("refused.png");
            CliRun run = CliRun.of("segment", "--checkpoint", checkpoint.toString(), "--image",
                    fixture(c[0]).toString(), "--text", c[1], "--out", out.toString());
            List<String> lines = run.errorLines();
            assertEquals(2, run.code(), c[1] + ": " + run);
            assertEquals(1, lines.size(), run.toString());
            assertTrue(lines.get(0).startsWith("error: ") && lines.get(0).contains(c[2]), lines.get(0));
            assertFalse(Files.exists(out));
        }
    }

    @Test
    void aListSaysEachPairsWarningsAndRefusesALineWithNothingToLookFor() throws Exception {
        Path list = dir.resolve("pairs.txt");
        Files.writeString(list, fixture("orientation-8.jpg") + "\tthe zeppelin near the red car\n"
                + fixture("cmyk.jpg") + "\tthe red car\n");
        CliRun run = CliRun.of("segment", "--checkpoint", checkpoint.toString(), "--list", list.toString(),
                "--out-dir", dir.resolve("masks").toString());
        assertEquals(0, run.code(), run.toString());
        List<String> report = run.out().lines().filter(l -> l.contains("pixels ->")).toList();
        assertEquals(2, report.size(), run.out());
        assertTrue(report.get(0).contains("\twarning: image rotated 90 degrees counter-clockwise as its EXIF orientation (8)"
                + " says, as viewers show it; word(s) the model's vocabulary does not know"), report.get(0));
        assertTrue(report.get(1).contains("without a usable ICC colour profile"), report.get(1));

        Files.writeString(list, fixture("orientation-1.jpg") + "\tthe red car\n\n" + fixture("orientation-1.jpg")
                + "\tthe the the\n");
        CliRun refused = CliRun.of("segment", "--checkpoint", checkpoint.toString(), "--list", list.toString(),
                "--out-dir", dir.resolve("masks2").toString());
        assertEquals(2, refused.code(), refused.toString());
        assertTrue(refused.errorLines().get(0).contains("line 3: the sentence 'the the the' has no word that names"),
                refused.toString());
        assertFalse(Files.exists(dir.resolve("masks2")));
    }

    @Test
    void theServerReturnsTheWarningsAndNamesFormatsItCannotDecode() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        try (BtdNetSegmenter segmenter = BtdNetSegmenter.load(checkpoint, Device.cpu());
             SegmentationServer server = new SegmentationServer(segmenter, ModelInfo.unknown("micro"),
                     ServerLimits.defaults()).start("127.0.0.1", 0)) {
            URI segment = URI.create("http://127.0.0.1:" + server.port() + "/api/segment?format=json");
            HttpResponse<String> ok = post(client, segment, fixture("orientation-5.jpg"), "the red car beside the zeppelin");
            assertEquals(200, ok.statusCode(), ok.body());
            JsonNode json = new ObjectMapper().readTree(ok.body());
            assertEquals(48, json.get("width").asInt());
            assertEquals(32, json.get("height").asInt());
            assertEquals(2, json.get("warnings").size(), ok.body());
            assertTrue(json.get("warnings").get(0).asText().contains("EXIF orientation (5)"), ok.body());
            assertTrue(json.get("warnings").get(1).asText().contains("'zeppelin'"), ok.body());
            assertTrue(ok.headers().firstValue("X-Warnings").orElse("").contains("EXIF orientation (5)"));

            HttpResponse<String> plain = post(client, segment, fixture("orientation-1.jpg"), "the red car");
            assertEquals(0, new ObjectMapper().readTree(plain.body()).get("warnings").size(), plain.body());

            HttpResponse<String> heic = post(client, segment, fixture("phone.heic"), "the red car");
            assertEquals(415, heic.statusCode(), heic.body());
            assertTrue(heic.body().contains("HEIF/HEIC"), heic.body());

            HttpResponse<String> nothing = post(client, segment, fixture("orientation-1.jpg"), "\u6cb9\u7f50");
            assertEquals(400, nothing.statusCode(), nothing.body());
            assertTrue(nothing.body().contains("no word the model's vocabulary knows"), nothing.body());
        }
    }

    private static HttpResponse<String> post(HttpClient client, URI uri, Path image, String text) throws Exception {
        MultipartBody body = new MultipartBody().file("image", image.getFileName().toString(), "application/octet-stream",
                Files.readAllBytes(image)).field("text", text);
        return client.send(HttpRequest.newBuilder(uri).header("Content-Type", body.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build(), HttpResponse.BodyHandlers.ofString());
    }
}
