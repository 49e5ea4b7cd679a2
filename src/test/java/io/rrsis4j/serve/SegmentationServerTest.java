package io.rrsis4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SegmentationServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();
    private SegmentationServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private URI start(ColourWordSegmenter segmenter, ServerLimits limits) {
        server = new SegmentationServer(segmenter, new ModelInfo("colour-word test double", 42, "nothing",
                Map.of("threshold", 0.5)), limits).start("127.0.0.1", 0);
        return URI.create("http://127.0.0.1:" + server.port());
    }

    private HttpResponse<byte[]> post(URI base, String query, MultipartBody body) throws Exception {
        return client.send(request(base, query, body), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpRequest request(URI base, String query, MultipartBody body) {
        return HttpRequest.newBuilder(base.resolve("/api/segment" + query))
                .header("Content-Type", body.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build();
    }

    private static MultipartBody upload(byte[] image, String type, String text) {
        return new MultipartBody().file("image", "scene", type, image).field("text", text);
    }

    private static String errorOf(HttpResponse<byte[]> response) throws IOException {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertFalse(body.contains("\n"), "error body must be one line: " + body);
        return JSON.readTree(body).get("error").asText();
    }

    @ParameterizedTest
    @CsvSource({"png, image/png, 0", "jpeg, image/jpeg, 2", "tiff, image/tiff, 0"})
    void uploadReturnsTheMaskOfTheReferredColourAtTheImageSize(String format, String type, int margin) throws Exception {
        URI base = start(new ColourWordSegmenter(), ServerLimits.defaults());
        HttpResponse<byte[]> response = post(base, "?format=png",
                upload(TestImages.encode(TestImages.scene(), format), type, "the red roof"));

        assertEquals(200, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        assertEquals("image/png", response.headers().firstValue("Content-Type").orElse(""));
        BufferedImage mask = ImageIO.read(new ByteArrayInputStream(response.body()));
        assertEquals(TestImages.WIDTH, mask.getWidth());
        assertEquals(TestImages.HEIGHT, mask.getHeight());
        int wrong = 0;
        for (int y = 0; y < mask.getHeight(); y++) {
            for (int x = 0; x < mask.getWidth(); x++) {
                boolean nearEdge = margin > 0 && (TestImages.inRoof(x + margin, y) != TestImages.inRoof(x - margin, y)
                        || TestImages.inRoof(x, y + margin) != TestImages.inRoof(x, y - margin));
                int value = mask.getRaster().getSample(x, y, 0);
                assertTrue(value == 0 || value == 255, "mask values are 0/255, got " + value);
                if (!nearEdge && (value == 255) != TestImages.inRoof(x, y)) {
                    wrong++;
                }
            }
        }
        assertEquals(0, wrong, "pixels where the mask disagrees with the red roof");
    }

    @Test
    void geoJsonOutlineIsTheRoofRectangle() throws Exception {
        URI base = start(new ColourWordSegmenter(), ServerLimits.defaults());
        HttpResponse<byte[]> response = post(base, "?format=geojson&confidence=true",
                upload(TestImages.encode(TestImages.scene(), "png"), "image/png", "red building"));

        assertEquals(200, response.statusCode());
        JsonNode collection = JSON.readTree(response.body());
        assertEquals("FeatureCollection", collection.get("type").asText());
        assertEquals(1, collection.get("features").size());
        JsonNode feature = collection.get("features").get(0);
        assertEquals(TestImages.ROOF_W * TestImages.ROOF_H, feature.get("properties").get("areaPixels").asLong());
        assertEquals(0.9, feature.get("properties").get("meanConfidence").asDouble(), 1e-6);
        double minX = Double.MAX_VALUE, maxX = -1, minY = Double.MAX_VALUE, maxY = -1;
        for (JsonNode point : feature.get("geometry").get("coordinates").get(0)) {
            minX = Math.min(minX, point.get(0).asDouble());
            maxX = Math.max(maxX, point.get(0).asDouble());
            minY = Math.min(minY, point.get(1).asDouble());
            maxY = Math.max(maxY, point.get(1).asDouble());
        }
        assertEquals(TestImages.ROOF_X, minX, 1e-9);
        assertEquals(TestImages.ROOF_X + TestImages.ROOF_W, maxX, 1e-9);
        assertEquals(TestImages.ROOF_Y, minY, 1e-9);
        assertEquals(TestImages.ROOF_Y + TestImages.ROOF_H, maxY, 1e-9);
    }

    @Test
    void jsonSummaryReportsAreaConfidenceAndTheMask() throws Exception {
        URI base = start(new ColourWordSegmenter(), ServerLimits.defaults());
        MultipartBody body = upload(TestImages.encode(TestImages.scene(), "png"), "image/png", "the blue water")
                .field("format", "json").field("confidence", "true");
        HttpResponse<byte[]> response = post(base, "", body);

        assertEquals(200, response.statusCode());
        JsonNode json = JSON.readTree(response.body());
        int water = TestImages.WIDTH * TestImages.HEIGHT - TestImages.ROOF_W * TestImages.ROOF_H;
        assertEquals(TestImages.WIDTH, json.get("width").asInt());
        assertEquals(TestImages.HEIGHT, json.get("height").asInt());
        assertEquals(water, json.get("areaPixels").asLong());
        assertEquals(0.9, json.get("meanConfidence").asDouble(), 1e-6);
        BufferedImage mask = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(json.get("maskPngBase64").asText())));
        assertEquals(0, mask.getRaster().getSample(TestImages.ROOF_X + 1, TestImages.ROOF_Y + 1, 0));
        assertEquals(255, mask.getRaster().getSample(0, 0, 0));
        BufferedImage confidence = ImageIO.read(new ByteArrayInputStream(
                Base64.getDecoder().decode(json.get("confidencePngBase64").asText())));
        assertEquals(Math.round(0.1f * 255), confidence.getRaster().getSample(TestImages.ROOF_X + 1, TestImages.ROOF_Y + 1, 0));
        assertEquals(Math.round(0.9f * 255), confidence.getRaster().getSample(0, 0, 0));
    }

    @Test
    void generalizedModelsSayWhetherTheTargetWasFoundWithItsPresence() throws Exception {
        URI base = start(new ColourWordSegmenter().withPresence(), ServerLimits.defaults());
        byte[] png = TestImages.encode(TestImages.scene(), "png");
        JsonNode found = JSON.readTree(post(base, "", upload(png, "image/png", "the red roof").field("format", "json")).body());
        assertTrue(found.get("target_found").asBoolean());
        assertEquals(0.9, found.get("presence").asDouble(), 1e-6);
        assertEquals(TestImages.ROOF_W * TestImages.ROOF_H, found.get("areaPixels").asLong());
        // no green in the scene: the model says so, with an empty mask
        JsonNode absent = JSON.readTree(post(base, "", upload(png, "image/png", "the green field").field("format", "json")).body());
        assertFalse(absent.get("target_found").asBoolean());
        assertEquals(0.1, absent.get("presence").asDouble(), 1e-6);
        assertEquals(0, absent.get("areaPixels").asLong());
        HttpResponse<byte[]> maskPng = post(base, "?format=png", upload(png, "image/png", "the green field"));
        assertEquals("false", maskPng.headers().firstValue("X-Target-Found").orElse(""));
        assertEquals("0.1000", maskPng.headers().firstValue("X-Presence").orElse(""));
        JsonNode geo = JSON.readTree(post(base, "?format=geojson", upload(png, "image/png", "the green field")).body());
        assertEquals(0, geo.get("features").size());
        server.close();
        // a model without the head: no presence to report, found = the mask has pixels
        base = start(new ColourWordSegmenter(), ServerLimits.defaults());
        JsonNode plain = JSON.readTree(post(base, "", upload(png, "image/png", "the red roof").field("format", "json")).body());
        assertTrue(plain.get("target_found").asBoolean());
        assertTrue(plain.get("presence").isNull());
        HttpResponse<byte[]> plainPng = post(base, "?format=png", upload(png, "image/png", "the red roof"));
        assertTrue(plainPng.headers().firstValue("X-Presence").isEmpty());
        assertEquals("true", plainPng.headers().firstValue("X-Target-Found").orElse(""));
    }

    @Test
    void healthModelAndOpenApiDescribeTheRealEndpoints() throws Exception {
        URI base = start(new ColourWordSegmenter(), ServerLimits.defaults());
        JsonNode health = JSON.readTree(get(base, "/api/health").body());
        assertEquals("ok", health.get("status").asText());

        JsonNode model = JSON.readTree(get(base, "/api/model").body());
        assertEquals(42, model.get("parameterCount").asLong());
        assertEquals(64, model.get("inputSize").asInt());
        assertEquals(300, model.get("limits").get("maxSentenceChars").asInt());

        HttpResponse<byte[]> openApi = get(base, "/api/openapi.json");
        assertEquals(200, openApi.statusCode());
        JsonNode paths = JSON.readTree(openApi.body()).get("paths");
        List<String> documented = new ArrayList<>();
        paths.fieldNames().forEachRemaining(documented::add);
        assertEquals(List.of("/api/segment", "/api/explain", "/api/health", "/api/model", "/api/openapi.json"), documented);
        for (Iterator<String> it = paths.fieldNames(); it.hasNext(); ) {
            String path = it.next();
            String method = paths.get(path).fieldNames().next();
            if (method.equals("get")) {
                assertEquals(200, get(base, path).statusCode(), path);
            }
        }
        JsonNode formats = paths.get("/api/segment").get("post").get("parameters").get(0).get("schema").get("enum");
        assertEquals("[\"png\",\"geojson\",\"json\"]", formats.toString());

        HttpResponse<byte[]> page = get(base, "/");
        assertEquals(200, page.statusCode());
        assertTrue(new String(page.body(), StandardCharsets.UTF_8).contains("id=\"segment-form\""));
    }

    @Test
    void explainAnswersAPicturePerWordOr501WithoutWordAttention() throws Exception {
        URI base = start(new ColourWordSegmenter().withWordMaps(), ServerLimits.defaults());
        MultipartBody body = upload(TestImages.encode(TestImages.scene(), "png"), "image/png", "the red roof");
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(base.resolve("/api/explain"))
                .header("Content-Type", body.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        JsonNode json = JSON.readTree(response.body());
        assertEquals(2, json.get("stages").asInt());
        List<String> words = new ArrayList<>();
        json.get("words").forEach(w -> words.add(w.get("word").asText()));
        assertEquals(List.of("the", "red", "roof"), words);
        String url = json.get("words").get(1).get("picture").asText();
        assertTrue(url.startsWith("data:image/png;base64,"), url.substring(0, 40));
        BufferedImage picture = ImageIO.read(new ByteArrayInputStream(
                java.util.Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1))));
        assertTrue(picture.getWidth() > 3 * picture.getHeight() / 2, picture.getWidth() + " x " + picture.getHeight());

        // Bad input as for /api/segment; a model without word attention: a one-line 501.
        MultipartBody empty = upload(TestImages.encode(TestImages.scene(), "png"), "image/png", " ");
        HttpResponse<byte[]> bad = client.send(HttpRequest.newBuilder(base.resolve("/api/explain"))
                .header("Content-Type", empty.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(empty.bytes()))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(400, bad.statusCode());
        assertTrue(errorOf(bad).contains("empty"));
        server.close();
        base = start(new ColourWordSegmenter(), ServerLimits.defaults());
        HttpResponse<byte[]> none = client.send(HttpRequest.newBuilder(base.resolve("/api/explain"))
                .header("Content-Type", body.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(501, none.statusCode());
        assertTrue(errorOf(none).contains("no word attention"), errorOf(none));
    }

    private HttpResponse<byte[]> get(URI base, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void badInputsAreRefusedWithAOneLineReason() throws Exception {
        URI base = start(new ColourWordSegmenter(),
                ServerLimits.defaults().withMaxUploadBytes(200_000).withMaxImageSize(200, 100).withMaxSentenceChars(20));
        byte[] png = TestImages.encode(TestImages.scene(), "png");

        HttpResponse<byte[]> notImage = post(base, "", upload("just text".getBytes(StandardCharsets.UTF_8), "image/png", "red"));
        assertEquals(415, notImage.statusCode());
        assertTrue(errorOf(notImage).contains("PNG, JPEG or TIFF"));

        byte[] corrupt = java.util.Arrays.copyOf(png, 60); // valid header, truncated data
        HttpResponse<byte[]> truncated = post(base, "", upload(corrupt, "image/png", "red"));
        assertEquals(400, truncated.statusCode());
        assertTrue(errorOf(truncated).contains("corrupt"), errorOf(truncated));

        HttpResponse<byte[]> empty = post(base, "", upload(png, "image/png", "   "));
        assertEquals(400, empty.statusCode());
        assertTrue(errorOf(empty).contains("empty"));

        HttpResponse<byte[]> tooLong = post(base, "", upload(png, "image/png", "the red roof of the big house"));
        assertEquals(400, tooLong.statusCode());
        assertTrue(errorOf(tooLong).contains("at most 20"));

        HttpResponse<byte[]> tooBig = post(base, "", upload(new byte[300_000], "image/png", "red"));
        assertEquals(413, tooBig.statusCode());
        errorOf(tooBig);

        BufferedImage wide = new BufferedImage(400, 10, BufferedImage.TYPE_INT_RGB);
        HttpResponse<byte[]> tooWide = post(base, "", upload(TestImages.encode(wide, "png"), "image/png", "red"));
        assertEquals(413, tooWide.statusCode());
        assertTrue(errorOf(tooWide).contains("400 x 10"));

        HttpResponse<byte[]> noText = post(base, "", new MultipartBody().file("image", "a.png", "image/png", png));
        assertEquals(400, noText.statusCode());
        assertTrue(errorOf(noText).contains("'text'"));

        HttpResponse<byte[]> noImage = post(base, "", new MultipartBody().field("text", "red"));
        assertEquals(400, noImage.statusCode());
        assertTrue(errorOf(noImage).contains("'image'"));

        HttpResponse<byte[]> badFormat = post(base, "?format=svg", upload(png, "image/png", "red"));
        assertEquals(400, badFormat.statusCode());

        HttpResponse<byte[]> notMultipart = client.send(HttpRequest.newBuilder(base.resolve("/api/segment"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(415, notMultipart.statusCode());
        errorOf(notMultipart);
    }

    @ParameterizedTest
    @CsvSource({"jpeg, 0.5", "jpeg, 0.9", "jpeg, 0.99", "png, 0.9", "tiff, 0.9"})
    void truncatedImagesAreRefusedAs400(String format, double kept) throws Exception {
        URI base = start(new ColourWordSegmenter(), ServerLimits.defaults());
        byte[] whole = TestImages.encode(TestImages.noisyScene(), format);
        byte[] cut = java.util.Arrays.copyOf(whole, (int) (whole.length * kept));
        HttpResponse<byte[]> response = post(base, "", upload(cut, "image/" + format, "red"));
        assertEquals(400, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        assertTrue(errorOf(response).matches(".*(corrupt|truncated|outside the file).*"), errorOf(response));
    }

    @Test
    void tooLargeUploadWithoutContentLengthIsRefusedToo() throws Exception {
        URI base = start(new ColourWordSegmenter(), ServerLimits.defaults().withMaxUploadBytes(100_000));
        MultipartBody body = upload(new byte[300_000], "image/png", "red");
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(base.resolve("/api/segment"))
                .header("Content-Type", body.contentType())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body.bytes()))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(413, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        errorOf(response);
    }

    @Test
    void internalFaultsAreOneLine500s() throws Exception {
        ColourWordSegmenter failing = new ColourWordSegmenter() {
            @Override
            public java.util.List<float[]> targetProbability(java.util.List<BufferedImage> images, java.util.List<String> s) {
                if (s.get(0).contains("crash")) {
                    throw new IllegalStateException("model exploded\nat line 2");
                }
                return java.util.List.of(new float[3]); // wrong size for the image
            }
        };
        URI base = start(failing, ServerLimits.defaults());
        byte[] png = TestImages.encode(TestImages.scene(), "png");
        for (String sentence : List.of("crash", "wrong size")) {
            HttpResponse<byte[]> response = post(base, "", upload(png, "image/png", sentence));
            assertEquals(500, response.statusCode());
            String error = errorOf(response);
            assertFalse(error.contains("at line 2") || error.contains("\tat "), error);
        }
        assertEquals(200, get(base, "/api/health").statusCode(), "the server survives");
    }

    @Test
    void fullQueueAnswers429AndQueuedRequestsFinishOnceTheModelIsFree() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ColourWordSegmenter slow = new ColourWordSegmenter(release);
        URI base = start(slow, ServerLimits.defaults().withQueue(2, 4));
        byte[] png = TestImages.encode(TestImages.scene(), "png");

        List<CompletableFuture<HttpResponse<byte[]>>> accepted = new ArrayList<>();
        accepted.add(client.sendAsync(request(base, "", upload(png, "image/png", "red")), HttpResponse.BodyHandlers.ofByteArray()));
        assertTrue(slow.entered.await(10, TimeUnit.SECONDS), "the first request reaches the model");
        for (int i = 0; i < 2; i++) {
            accepted.add(client.sendAsync(request(base, "", upload(png, "image/png", "blue")), HttpResponse.BodyHandlers.ofByteArray()));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.waitingCount() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(2, server.waitingCount());

        HttpResponse<byte[]> refused = post(base, "", upload(png, "image/png", "green"));
        assertEquals(429, refused.statusCode());
        assertTrue(errorOf(refused).contains("too many requests"));

        release.countDown();
        for (CompletableFuture<HttpResponse<byte[]>> f : accepted) {
            assertEquals(200, f.get(10, TimeUnit.SECONDS).statusCode());
        }
        assertEquals(2, slow.calls.get(), "the two waiting requests run as one batch");
        assertEquals(2, slow.largestBatch.get());
    }

    @Test
    void slowModelAnswers504AfterTheRequestTimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        URI base = start(new ColourWordSegmenter(release), ServerLimits.defaults().withRequestTimeout(Duration.ofMillis(300)));
        try {
            HttpResponse<byte[]> response = post(base, "", upload(TestImages.encode(TestImages.scene(), "png"), "image/png", "red"));
            assertEquals(504, response.statusCode());
            assertTrue(errorOf(response).contains("300 ms"));
        } finally {
            release.countDown();
        }
    }
}
