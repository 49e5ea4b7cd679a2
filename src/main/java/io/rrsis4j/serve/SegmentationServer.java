package io.rrsis4j.serve;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.rrsis4j.InvalidInputException;
import io.rrsis4j.infer.Segmenter;
import io.rrsis4j.infer.WordMaps;
import io.rrsis4j.io.raster.DecodedImage;
import io.rrsis4j.model.runtime.Predictor.ImagePrediction;
import io.rrsis4j.model.runtime.Presence;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.imageio.ImageIO;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP service and web page around one shared {@link Segmenter}.
 *
 * <ul>
 *   <li>POST /api/segment: multipart {@code image} (PNG, JPEG, TIFF) and {@code text}; {@code format=png|geojson|json},
 *       {@code confidence=true|false} as query or form fields</li>
 *   <li>POST /api/explain: the same {@code image} and {@code text}; JSON with a picture per word of where each
 *       attention stage looks (PNG data URLs)</li>
 *   <li>GET /api/health, GET /api/model, GET /api/openapi.json</li>
 *   <li>GET /: the web page</li>
 * </ul>
 *
 * Every refusal is a 4xx with a one-line JSON body {@code {"error": "..."}}; internal faults are logged and
 * answered with a one-line 500.
 */
public final class SegmentationServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentationServer.class);
    private static final String WEB = "/io/rrsis4j/serve/web";
    private static final String OPENAPI = "/io/rrsis4j/serve/openapi.json";
    private static final double OUTLINE_TOLERANCE_PIXELS = 0.75;

    private final Segmenter segmenter;
    private final ModelInfo modelInfo;
    private final ServerLimits limits;
    private final InferenceQueue queue;
    private final UploadSlots uploads;
    private final Javalin app;
    private ListeningSocket socket;
    private HeaderDeadline headerDeadline;
    private final PixelBudget pixels;
    private final Semaphore explaining = new Semaphore(1);
    private final Semaphore explainWaiting;

    public SegmentationServer(Segmenter segmenter, ModelInfo modelInfo, ServerLimits limits) {
        this(segmenter, modelInfo, limits, PixelBudget.forHeap((long) limits.maxImageWidth() * limits.maxImageHeight()));
    }

    SegmentationServer(Segmenter segmenter, ModelInfo modelInfo, ServerLimits limits, PixelBudget pixels) {
        this.pixels = pixels;
        this.segmenter = segmenter;
        this.modelInfo = modelInfo;
        this.limits = limits;
        this.queue = new InferenceQueue(segmenter, limits.queueCapacity(), limits.maxBatchSize(),
                limits.batchWindow().toMillis());
        this.explainWaiting = new Semaphore(limits.queueCapacity() + 1); // the one drawing, and those waiting
        this.uploads = new UploadSlots(limits.connections().maxUploads(), limits.connections().maxUploadsPerClient());
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.http.prefer405over404 = true; // GET /api/segment: 405 with the methods it takes, not 404
            config.http.maxRequestSize = limits.maxUploadBytes();
            config.jetty.modifyHttpConfiguration(http -> http.setMinRequestDataRate(limits.connections().minUploadBytesPerSecond()));
            config.jetty.addConnector(this::connector);
            config.jetty.timeoutStatus = 408; // a body read that times out outside UploadForm (Javalin's default: 500)
            // requests Jetty refuses before a route runs (bad request line, URI, headers, Content-Length): JSON too
            config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            config.jetty.modifyServletContextHandler(context -> {
                context.setErrorHandler(new JsonErrorHandler());
                context.addFilter(new org.eclipse.jetty.servlet.FilterHolder(new WholeFilesOnly()), "/*",
                        java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
            });
            // an Error in a handler (OutOfMemoryError, StackOverflowError): Javalin's default is a 500 without a body
            config.pvt.javaLangErrorHandler((response, error) -> {
                LOG.error("internal error", error);
                JsonErrorHandler.writeInternalError(response, error);
            });
            config.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = WEB;
                files.location = Location.CLASSPATH;
            });
        });
        app.before(SegmentationServer::checkQuery);
        app.before("/api/segment", this::checkContentLength);
        app.post("/api/segment", this::segment);
        app.before("/api/explain", this::checkContentLength);
        app.post("/api/explain", this::explain);
        app.get("/api/health", ctx -> ctx.json(Map.of("status", "ok", "waiting", queue.waitingCount())));
        app.get("/api/model", this::model);
        app.get("/api/openapi.json", this::openApi);
        app.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
        app.exception(InvalidInputException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
        app.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(),
                e.getStatus() == 405 && e.getDetails().containsKey("availableMethods")
                        ? ctx.method() + " " + ctx.path() + " is not allowed; use " + e.getDetails().get("availableMethods")
                        : e.getMessage()));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("internal error on {} {}", ctx.method(), ctx.path(), e);
            error(ctx, 500, "internal error (" + e.getClass().getSimpleName() + "); see the server log");
        });
    }

    /** Starts listening; port 0 picks a free port (see {@link #port()}). A host or port at fault is one line. */
    public SegmentationServer start(String host, int port) {
        return start(ListeningSocket.open(host, port));
    }

    /** Starts serving on a socket bound beforehand (so the caller learns of a port in use before loading a model). */
    public SegmentationServer start(ListeningSocket socket) {
        this.socket = socket;
        try {
            app.start();
        } catch (RuntimeException e) {
            if (headerDeadline != null) {
                headerDeadline.close();
            }
            socket.close();
            queue.close();
            throw e;
        }
        return this;
    }

    /** Jetty's connector on the bound socket, with the read timeout and the header deadline. */
    private Connector connector(Server server, HttpConfiguration http) {
        if (socket == null) {
            throw new IllegalStateException("start(ListeningSocket) sets the socket");
        }
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(socket.host());
        connector.setPort(socket.port());
        connector.setIdleTimeout(limits.connections().readTimeout().toMillis());
        try {
            connector.open(socket.channel());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        headerDeadline = new HeaderDeadline(connector, limits.connections().headerTimeout());
        return connector;
    }

    public int port() {
        return app.port();
    }

    /** Requests waiting for the model now. */
    public int waitingCount() {
        return queue.waitingCount();
    }

    @Override
    public void close() {
        app.stop();
        if (headerDeadline != null) {
            headerDeadline.close();
        }
        if (socket != null) {
            socket.close(); // Jetty closed it already unless the start failed
        }
        queue.close();
    }

    private void checkContentLength(Context ctx) {
        long length = ctx.contentLength();
        if (length > limits.maxUploadBytes()) {
            throw new ApiException(413, "upload is " + length + " bytes; at most " + limits.maxUploadBytes() + " accepted");
        }
    }

    private void segment(Context ctx) throws IOException {
        UploadForm form = readForm(ctx);
        String format = parameter(ctx, form, "format", "png");
        if (!format.equals("png") && !format.equals("geojson") && !format.equals("json")) {
            throw new ApiException(400, "format must be png, geojson or json, not '" + format + "'");
        }
        String confidenceValue = parameter(ctx, form, "confidence", "false");
        if (!confidenceValue.equals("true") && !confidenceValue.equals("false")) {
            throw new ApiException(400, "confidence must be true or false, not '" + confidenceValue + "'");
        }
        boolean confidence = confidenceValue.equals("true");
        String sentence = sentence(form);
        List<String> warnings = new ArrayList<>(sentenceWarnings(sentence));
        try (PixelBudget.Held held = pixels.holder()) {
            DecodedImage decoded = image(form, held);
            warnings.addAll(0, decoded.notes());
            answerMask(ctx, decoded.image(), sentence, format, confidence, warnings);
        }
    }

    /** How the model reads the sentence (cut off, unknown words); one with nothing to look for is refused 400. */
    private List<String> sentenceWarnings(String sentence) {
        try {
            return segmenter.sentenceWarnings(sentence);
        } catch (InvalidInputException e) {
            throw new ApiException(400, e.getMessage());
        }
    }

    private void answerMask(Context ctx, BufferedImage image, String sentence, String format, boolean confidence,
            List<String> warnings) throws IOException {
        if (!warnings.isEmpty()) { // every format says them: JSON in its body, PNG and GeoJSON in a header too
            ctx.header("X-Warnings", asciiHeader(String.join("; ", warnings)));
        }
        int width = image.getWidth();
        int height = image.getHeight();
        ImagePrediction prediction = infer(image, sentence);
        float[] probability = prediction.probability();
        if (probability.length != width * height) {
            throw new IllegalStateException("segmenter returned " + probability.length + " values for "
                    + width + " x " + height + " pixels");
        }
        byte[] mask = MaskEncoding.threshold(probability);
        Presence presence = prediction.presence();
        if (presence.judged()) { // the PNG and GeoJSON answers say it too, beside the JSON's fields
            ctx.header("X-Presence", String.format(Locale.ROOT, "%.4f", presence.probability()));
        }
        ctx.header("X-Target-Found", String.valueOf(targetFound(presence, mask)));
        switch (format) {
            case "png" -> ctx.contentType("image/png").result(confidence
                    ? MaskEncoding.probabilityPng(probability, width, height)
                    : MaskEncoding.maskPng(mask, width, height));
            case "geojson" -> {
                Map<String, Object> collection = new LinkedHashMap<>(MaskPolygons.featureCollection(
                        MaskPolygons.outline(mask, width, height, OUTLINE_TOLERANCE_PIXELS), probability, mask, width,
                        height, confidence));
                if (!warnings.isEmpty()) {
                    collection.put("warnings", warnings); // a foreign member, which RFC 7946 readers keep or skip
                }
                ctx.contentType("application/geo+json").result(JSON.writeValueAsBytes(collection));
            }
            default -> {
                Map<String, Object> json = summary(probability, presence, mask, width, height, sentence, confidence);
                json.put("warnings", warnings);
                ctx.json(json);
            }
        }
    }

    /**
     * The word maps (as {@code segment --explain} draws them) of one image and sentence. One at a time beside the
     * segmentation queue: a request that cannot start within the request timeout is answered 503.
     */
    private void explain(Context ctx) throws IOException, InterruptedException {
        UploadForm form = readForm(ctx);
        String sentence = sentence(form);
        sentenceWarnings(sentence);
        try (PixelBudget.Held held = pixels.holder()) {
            answerWordMaps(ctx, image(form, held).image(), sentence);
        }
    }

    private void answerWordMaps(Context ctx, BufferedImage image, String sentence) throws IOException, InterruptedException {
        List<WordMaps.WordMap> maps;
        // as many may wait for their turn as for the segmentation queue; one more is 429 at once, not after a wait
        if (!explainWaiting.tryAcquire()) {
            throw new ApiException(429, "too many requests waiting for word maps (" + limits.queueCapacity()
                    + "); try again shortly");
        }
        try {
            if (!explaining.tryAcquire(limits.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new ApiException(503, "the word maps of another request are being drawn; try again later");
            }
            try {
                maps = segmenter.wordMaps(image, sentence);
            } catch (UnsupportedOperationException e) {
                throw new ApiException(501, e.getMessage());
            } finally {
                explaining.release();
            }
        } finally {
            explainWaiting.release();
        }
        List<Map<String, Object>> words = new ArrayList<>();
        for (WordMaps.WordMap map : maps) {
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(WordMaps.picture(image, map), "png", png);
            words.add(Map.of("word", map.word(),
                    "picture", "data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray())));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("sentence", sentence);
        json.put("stages", maps.isEmpty() ? 0 : maps.get(0).stages().size());
        json.put("words", words);
        ctx.json(json);
    }

    /** The multipart body, read within the upload limits (count, per-client slots, size, rate). */
    private UploadForm readForm(Context ctx) throws IOException {
        // media types are case-insensitive (RFC 9110), Jetty's parser wants lower case; the boundary is kept as sent
        String contentType = ctx.contentType() == null ? "" : ctx.contentType();
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("multipart/form-data")) {
            throw new ApiException(415, "send a multipart/form-data body with fields image and text");
        }
        String parameters = semicolon < 0 ? "" : contentType.substring(semicolon);
        String encoding = ctx.header("Content-Encoding");
        if (encoding != null && !encoding.isBlank() && !encoding.strip().equalsIgnoreCase("identity")) {
            throw new ApiException(415, "Content-Encoding " + encoding.strip() + " is not accepted; send the form uncompressed");
        }
        try (UploadSlots.Slot slot = uploads.acquire(ctx.req().getRemoteAddr())) {
            return UploadForm.read(ctx.req(), mediaType + parameters, limits.maxUploadBytes(), limits.connections());
        }
    }

    /** The form's {@code text}, checked. */
    private String sentence(UploadForm form) {
        String sentence = form.field("text");
        if (sentence == null) {
            throw new ApiException(400, "missing form field 'text' (the referring sentence)");
        }
        sentence = sentence.strip();
        if (sentence.isEmpty()) {
            throw new ApiException(400, "the sentence in 'text' is empty");
        }
        if (sentence.chars().anyMatch(c -> Character.isISOControl(c) && !Character.isWhitespace(c))) {
            throw new ApiException(400, "the sentence in 'text' contains control characters");
        }
        if (sentence.length() > limits.maxSentenceChars()) {
            throw new ApiException(400, "the sentence has " + sentence.length() + " characters; at most "
                    + limits.maxSentenceChars() + " accepted");
        }
        return sentence;
    }

    /** The form's {@code image}, decoded within the limits, its pixels taken from the budget before decoding. */
    private DecodedImage image(UploadForm form, PixelBudget.Held held) {
        byte[] bytes = form.file("image");
        if (bytes == null) {
            throw new ApiException(400, "missing file field 'image' (PNG, JPEG or TIFF)");
        }
        if (bytes.length == 0) {
            throw new ApiException(400, "the uploaded image is empty");
        }
        return UploadedImages.decode(bytes, limits.maxImageWidth(), limits.maxImageHeight(), held::reserve);
    }

    /** Header values are ASCII: other characters are written as Java escapes (\\u00e9). */
    static String asciiHeader(String text) {
        StringBuilder out = new StringBuilder();
        text.chars().forEach(c -> out.append(c >= 0x20 && c < 0x7F ? String.valueOf((char) c)
                : String.format(Locale.ROOT, "\\u%04x", c)));
        return out.toString();
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private ImagePrediction infer(BufferedImage image, String sentence) {
        CompletableFuture<ImagePrediction> result = queue.submit(image, sentence);
        long timeoutMillis = limits.requestTimeout().toMillis();
        try {
            return result.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            result.cancel(false); // the worker skips it if it has not started yet
            throw new ApiException(504, "the model did not answer within " + timeoutMillis + " ms; try again later");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "request interrupted; server is shutting down");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ApiException api) {
                throw api;
            }
            if (e.getCause() instanceof InvalidInputException invalid) {
                throw new ApiException(400, invalid.getMessage());
            }
            throw new ApiException(500, "inference failed (" + e.getCause().getClass().getSimpleName() + "); see the server log");
        }
    }

    /** Something was found: not judged absent by a generalized model, and at least one mask pixel. */
    private static boolean targetFound(Presence presence, byte[] mask) {
        if (presence.absent()) {
            return false;
        }
        for (byte b : mask) {
            if (b != 0) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Object> summary(float[] probability, Presence presence, byte[] mask, int width, int height,
                                               String sentence, boolean confidence) {
        long area = 0;
        double confidenceSum = 0;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] != 0) {
                area++;
                confidenceSum += probability[i];
            }
        }
        Base64.Encoder base64 = Base64.getEncoder();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("width", width);
        json.put("height", height);
        json.put("sentence", sentence);
        json.put("threshold", MaskEncoding.THRESHOLD);
        json.put("areaPixels", area);
        json.put("areaFraction", (double) area / mask.length);
        json.put("meanConfidence", area == 0 ? 0.0 : confidenceSum / area);
        json.put("target_found", !presence.absent() && area > 0);
        json.put("presence", presence.judged() ? presence.probability() : null); // null: a model without the head
        json.put("maskPngBase64", base64.encodeToString(MaskEncoding.maskPng(mask, width, height)));
        if (confidence) {
            json.put("confidencePngBase64", base64.encodeToString(MaskEncoding.probabilityPng(probability, width, height)));
        }
        return json;
    }

    private void model(Context ctx) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", modelInfo.name());
        json.put("parameterCount", modelInfo.parameterCount());
        json.put("trainedOn", modelInfo.trainedOn());
        json.put("configuration", modelInfo.configuration());
        json.put("inputSize", segmenter.inputSize());
        json.put("threshold", MaskEncoding.THRESHOLD);
        Map<String, Object> limitsJson = new LinkedHashMap<>();
        limitsJson.put("maxUploadBytes", limits.maxUploadBytes());
        limitsJson.put("maxImageWidth", limits.maxImageWidth());
        limitsJson.put("maxImageHeight", limits.maxImageHeight());
        limitsJson.put("maxSentenceChars", limits.maxSentenceChars());
        limitsJson.put("queueCapacity", limits.queueCapacity());
        limitsJson.put("maxBatchSize", limits.maxBatchSize());
        limitsJson.put("requestTimeoutMillis", limits.requestTimeout().toMillis());
        ConnectionLimits connections = limits.connections();
        limitsJson.put("readTimeoutMillis", connections.readTimeout().toMillis());
        limitsJson.put("headerTimeoutMillis", connections.headerTimeout().toMillis());
        limitsJson.put("minUploadBytesPerSecond", connections.minUploadBytesPerSecond());
        limitsJson.put("maxUploads", connections.maxUploads());
        limitsJson.put("maxUploadsPerClient", connections.maxUploadsPerClient());
        json.put("limits", limitsJson);
        ctx.json(json);
    }

    private void openApi(Context ctx) throws IOException {
        try (InputStream in = SegmentationServer.class.getResourceAsStream(OPENAPI)) {
            if (in == null) {
                throw new IllegalStateException("resource " + OPENAPI + " missing from the build");
            }
            ctx.contentType("application/json").result(in.readAllBytes());
        }
    }

    /** A query string that is not valid percent-encoding is refused, not read with the bad escapes dropped. */
    private static void checkQuery(Context ctx) {
        String query = ctx.queryString();
        if (query == null) {
            return;
        }
        try {
            java.net.URLDecoder.decode(query, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "the query string is not valid percent-encoding");
        }
    }

    /**
     * An option given in the query or as a form field (blank: the fallback), lower case. Given twice, or in both
     * places with different values, it is refused: which one the client meant is unknown.
     */
    private static String parameter(Context ctx, UploadForm form, String name, String fallback) {
        List<String> inQuery = ctx.queryParams(name).stream().map(SegmentationServer::normalized).distinct().toList();
        if (inQuery.size() > 1) {
            throw new ApiException(400, "'" + name + "' is given more than once in the query, with different values");
        }
        String query = inQuery.isEmpty() ? null : inQuery.get(0);
        String field = form.field(name) == null ? null : normalized(form.field(name));
        if (query != null && field != null && !query.equals(field)) {
            throw new ApiException(400, "'" + name + "' is '" + query + "' in the query but '" + field + "' in the form");
        }
        String value = query != null ? query : field;
        return value == null || value.isEmpty() ? fallback : value;
    }

    private static String normalized(String value) {
        return value.strip().toLowerCase(Locale.ROOT);
    }

    private static void error(Context ctx, int status, String message) {
        String line = message == null ? "error" : ApiException.oneLine(message);
        ctx.status(status).json(Map.of("error", line));
    }
}
