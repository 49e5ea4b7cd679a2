package io.rrsis4j.cli;

import ai.djl.Device;
import io.rrsis4j.InvalidInputException;
import io.rrsis4j.infer.Segmenter;
import io.rrsis4j.serve.ConnectionLimits;
import io.rrsis4j.serve.ListeningSocket;
import io.rrsis4j.serve.ModelInfo;
import io.rrsis4j.serve.SegmentationServer;
import io.rrsis4j.serve.ServerLimits;
import io.rrsis4j.train.DemoRecipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiFunction;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rrsis4j serve}: loads the model once and serves the HTTP API and web page until interrupted.
 * The model loader is passed in, so this command does not depend on how checkpoints are read; register it with
 * {@code cli.addSubcommand("serve", new ServeCommand(loader, describer))}.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the segmentation HTTP API and web page (http://HOST:PORT/).")
public final class ServeCommand implements Callable<Integer> {

    @Option(names = "--checkpoint", description = "Checkpoint or training run folder to serve (default: the demo model,"
            + " trained into --demo-dir on first start if missing).")
    Path checkpoint;

    @Option(names = "--demo-dir", defaultValue = "demo-output", description = "Where the demo model lives (default ${DEFAULT-VALUE}).")
    Path demoDir;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "Port to listen on, 0 for any free port (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--max-upload-mb", defaultValue = "20", description = "Largest upload in MB (default ${DEFAULT-VALUE}).")
    int maxUploadMb;

    @Option(names = "--max-image-side", defaultValue = "8192", description = "Largest image width or height (default ${DEFAULT-VALUE}).")
    int maxImageSide;

    @Option(names = "--max-sentence-chars", defaultValue = "300", description = "Longest sentence (default ${DEFAULT-VALUE}).")
    int maxSentenceChars;

    @Option(names = "--queue", defaultValue = "8", description = "Requests that may wait for the model; more get 429 (default ${DEFAULT-VALUE}).")
    int queueCapacity;

    @Option(names = "--batch", defaultValue = "4", description = "Most requests per model call (default ${DEFAULT-VALUE}).")
    int maxBatchSize;

    @Option(names = "--batch-window-ms", defaultValue = "5", description = "How long a batch waits for more requests (default ${DEFAULT-VALUE}).")
    int batchWindowMillis;

    @Option(names = "--timeout-s", defaultValue = "60", description = "Per-request timeout in seconds; 504 after (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--read-timeout-s", defaultValue = "20", description = "Longest pause in a client's upload; 408 after (default ${DEFAULT-VALUE}).")
    int readTimeoutSeconds;

    @Option(names = "--header-timeout-s", defaultValue = "10", description = "Longest a client may take to send request headers (default ${DEFAULT-VALUE}).")
    int headerTimeoutSeconds;

    @Option(names = "--min-upload-rate", defaultValue = "1024", description = "Slowest upload accepted, bytes/s; 408 below (default ${DEFAULT-VALUE}).")
    long minUploadBytesPerSecond;

    @Option(names = "--max-uploads", defaultValue = "32", description = "Uploads read at once; more get 503 (default ${DEFAULT-VALUE}).")
    int maxUploads;

    @Option(names = "--max-uploads-per-client", defaultValue = "8", description = "Uploads read at once from one address; more get 429 (default ${DEFAULT-VALUE}).")
    int maxUploadsPerClient;

    @Mixin
    DeviceOption device = new DeviceOption();

    private final BiFunction<Path, Device, Segmenter> loadSegmenter;
    private final BiFunction<Path, Segmenter, ModelInfo> describeModel;
    private Segmenter segmenter;

    /**
     * @param loadSegmenter builds the shared segmenter from a checkpoint on the --device (e.g.
     *                      {@code BtdNetSegmenter::load})
     * @param describeModel what GET /api/model reports for that checkpoint
     */
    public ServeCommand(BiFunction<Path, Device, Segmenter> loadSegmenter,
                        BiFunction<Path, Segmenter, ModelInfo> describeModel) {
        this.loadSegmenter = Objects.requireNonNull(loadSegmenter);
        this.describeModel = Objects.requireNonNull(describeModel);
    }

    /** A loader that does not place the model itself (a stand-in model, in tests). */
    public ServeCommand(Function<Path, Segmenter> loadSegmenter, BiFunction<Path, Segmenter, ModelInfo> describeModel) {
        this((path, device) -> loadSegmenter.apply(path), describeModel);
    }

    public ServeCommand(Function<Path, Segmenter> loadSegmenter) {
        this(loadSegmenter, (path, segmenter) -> ModelInfo.unknown(path.getFileName().toString()));
    }

    private static void atLeast(String option, long value, long min) {
        if (value < min) {
            throw new InvalidInputException(option + " must be at least " + min + ", got " + value);
        }
    }

    /** The limits the options describe. */
    ServerLimits limits() {
        // the option that is out of range, by name (not "some limit is wrong")
        atLeast("--max-upload-mb", maxUploadMb, 1);
        atLeast("--max-image-side", maxImageSide, 1);
        atLeast("--max-sentence-chars", maxSentenceChars, 1);
        atLeast("--queue", queueCapacity, 1);
        atLeast("--batch", maxBatchSize, 1);
        atLeast("--batch-window-ms", batchWindowMillis, 0);
        atLeast("--timeout-s", timeoutSeconds, 1);
        atLeast("--read-timeout-s", readTimeoutSeconds, 1);
        atLeast("--header-timeout-s", headerTimeoutSeconds, 1);
        atLeast("--min-upload-rate", minUploadBytesPerSecond, 0);
        atLeast("--max-uploads", maxUploads, 1);
        atLeast("--max-uploads-per-client", maxUploadsPerClient, 1);
        ConnectionLimits connections = new ConnectionLimits(Duration.ofSeconds(readTimeoutSeconds),
                Duration.ofSeconds(headerTimeoutSeconds), minUploadBytesPerSecond, maxUploads, maxUploadsPerClient);
        return new ServerLimits(maxUploadMb * 1024L * 1024L, maxImageSide, maxImageSide, maxSentenceChars,
                queueCapacity, maxBatchSize, Duration.ofMillis(batchWindowMillis), Duration.ofSeconds(timeoutSeconds),
                connections);
    }

    /** Binds --host:--port before the model loads, so a port in use or a typo is reported at once. */
    ListeningSocket listen() {
        if (port < 0 || port > 65535) {
            throw new InvalidInputException("--port " + port + ": not a port (0-65535)");
        }
        try {
            ListeningSocket.resolve(host);
        } catch (InvalidInputException e) {
            throw new InvalidInputException("--host " + host + ": unknown host");
        }
        return ListeningSocket.open(host, port);
    }

    /** Loads the model and starts the server; the caller closes it. */
    SegmentationServer start() {
        ServerLimits limits = limits();
        Device on = device.device();
        if (checkpoint != null && !Files.exists(checkpoint)) {
            throw new InvalidInputException(checkpoint, "checkpoint not found");
        }
        ListeningSocket socket = listen();
        try {
            if (checkpoint == null) {
                checkpoint = DemoRecipe.defaults().ensureTrained(demoDir, System.out, on);
            }
            segmenter = loadSegmenter.apply(checkpoint, on);
            return new SegmentationServer(segmenter, describeModel.apply(checkpoint, segmenter), limits).start(socket);
        } catch (java.io.IOException e) {
            socket.close();
            throw new java.io.UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            socket.close(); // the port is free again for the next try
            throw e;
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        SegmentationServer server = start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            segmenter.close(); // the server shares the model but does not own it
            stopped.countDown();
        }, "serve-shutdown"));
        System.out.println("serving " + checkpoint + " on http://" + host + ":" + server.port() + "/ (Ctrl-C stops)");
        stopped.await();
        return 0;
    }
}
