package io.rrsis4j.cli;

import io.rrsis4j.InvalidInputException;
import io.rrsis4j.infer.Segmenter;
import io.rrsis4j.serve.ModelInfo;
import io.rrsis4j.serve.SegmentationServer;
import io.rrsis4j.serve.ServerLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiFunction;
import java.util.function.Function;
import io.rrsis4j.train.DemoRecipe;
import picocli.CommandLine.Command;
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

    private final Function<Path, Segmenter> loadSegmenter;
    private final BiFunction<Path, Segmenter, ModelInfo> describeModel;
    private Segmenter segmenter;

    /**
     * @param loadSegmenter builds the shared segmenter from a checkpoint (e.g. {@code Segmenters::fromCheckpoint})
     * @param describeModel what GET /api/model reports for that checkpoint
     */
    public ServeCommand(Function<Path, Segmenter> loadSegmenter, BiFunction<Path, Segmenter, ModelInfo> describeModel) {
        this.loadSegmenter = Objects.requireNonNull(loadSegmenter);
        this.describeModel = Objects.requireNonNull(describeModel);
    }

    public ServeCommand(Function<Path, Segmenter> loadSegmenter) {
        this(loadSegmenter, (path, segmenter) -> ModelInfo.unknown(path.getFileName().toString()));
    }

    /** The limits the options describe. */
    ServerLimits limits() {
        if (maxUploadMb < 1 || maxImageSide < 1 || maxSentenceChars < 1 || queueCapacity < 1 || maxBatchSize < 1
                || batchWindowMillis < 0 || timeoutSeconds < 1) {
            throw new InvalidInputException("serve limits must be positive");
        }
        return new ServerLimits(maxUploadMb * 1024L * 1024L, maxImageSide, maxImageSide, maxSentenceChars,
                queueCapacity, maxBatchSize, Duration.ofMillis(batchWindowMillis), Duration.ofSeconds(timeoutSeconds));
    }

    /** Loads the model and starts the server; the caller closes it. */
    SegmentationServer start() {
        if (checkpoint == null) {
            try {
                checkpoint = DemoRecipe.defaults().ensureTrained(demoDir, System.out);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        if (!Files.exists(checkpoint)) {
            throw new InvalidInputException(checkpoint, "checkpoint not found");
        }
        ServerLimits limits = limits();
        segmenter = loadSegmenter.apply(checkpoint);
        return new SegmentationServer(segmenter, describeModel.apply(checkpoint, segmenter), limits).start(host, port);
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
