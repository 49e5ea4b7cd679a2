package io.rrsis4j.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rrsis4j.InvalidInputException;
import io.rrsis4j.data.Datasets;
import io.rrsis4j.data.ReferringSample;
import io.rrsis4j.data.text.WordPieceTokenizer;
import io.rrsis4j.eval.Evaluator;
import io.rrsis4j.eval.SegmentationMetrics;
import io.rrsis4j.io.files.AtomicFiles;
import io.rrsis4j.model.BtdNet;
import io.rrsis4j.model.BtdNetLoss;
import io.rrsis4j.model.ParameterPaths;
import io.rrsis4j.model.runtime.Predictor;
import io.rrsis4j.model.weights.TrainedModel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Trains BTDNet (BTDNET.md "Total loss and training"): AdamW with the polynomial schedule, one sample per sentence,
 * D-MOLS's erased pass, occlusion augmentation, validation after each epoch ({@link Evaluator} at the model
 * resolution, the reference code's protocol) with the best checkpoint by val oIoU,
 * checkpoints every {@code checkpointEvery} steps, and an exact resume.
 *
 * <p>Run folder: {@code config.json} (the {@link TrainConfig}), {@code log.jsonl} (one JSON object per step and per
 * validation), {@code checkpoints/} ({@link TrainingCheckpoint}). Determinism: parameters are initialised from the
 * seed, each step's batch and augmentation come from (seed, step) ({@link TrainingBatches}) and the engine's random
 * generator (dropout) is reseeded from (seed, step) before each step, so a resumed run repeats the uninterrupted
 * one up to floating-point nondeterminism of the native kernels.
 */
public final class Trainer {
    private final TrainConfig config;
    private final Path runDir;
    private final PrintStream err;
    private boolean progressBar = true;
    private Device device;
    /** Whether {@link #start} created the run folder (then a run that fails before its first checkpoint removes it). */
    private boolean createdRunDir;

    /** What a finished run reports. */
    public record Result(long steps, double lastLoss, SegmentationMetrics.Report lastValidation, double bestOIoU,
                         Path lastCheckpoint, Optional<Path> bestCheckpoint, double imagesPerSecond) {}

    public Trainer(TrainConfig config, Path runDir, PrintStream err) {
        this.config = config;
        this.runDir = runDir;
        this.err = err;
    }

    /**
     * A new run: writes RUN_DIR/config.json; refuses a folder that already holds checkpoints. When this call creates
     * the folder and the run fails before its first checkpoint, {@link #run()} removes the folder again.
     */
    public static Trainer start(TrainConfig config, Path runDir, PrintStream err) throws IOException {
        if (TrainedModel.resolve(runDir.resolve("checkpoints"), TrainedModel.LAST).isPresent()) {
            throw new InvalidInputException(runDir, "holds checkpoints of an earlier run: use --resume or another --out");
        }
        boolean created = !Files.exists(runDir);
        Files.createDirectories(runDir);
        try {
            config.write(runDir.resolve("config.json"));
        } catch (IOException | RuntimeException e) {
            if (created) {
                AtomicFiles.deleteTree(runDir);
            }
            throw e;
        }
        Trainer trainer = new Trainer(config, runDir, err);
        trainer.createdRunDir = created;
        return trainer;
    }

    /** Continues the run in RUN_DIR with the configuration it was started with. */
    public static Trainer resume(Path runDir, PrintStream err) {
        return new Trainer(TrainConfig.read(runDir.resolve("config.json")), runDir, err);
    }

    public Trainer withoutProgressBar() {
        progressBar = false;
        return this;
    }

    /** Trains on {@code device} (default: the engine's, a GPU when it has one). */
    public Trainer onDevice(Device device) {
        this.device = device;
        return this;
    }

    public TrainConfig config() {
        return config;
    }

    public Path checkpoints() {
        return runDir.resolve("checkpoints");
    }

    /** The tokenizer the configuration names. */
    public static WordPieceTokenizer tokenizer(TrainConfig config) {
        int n = config.model().maxTokens();
        return TrainedModel.SYNTHETIC_VOCAB.equals(config.vocab())
                ? WordPieceTokenizer.bundled(n)
                : WordPieceTokenizer.fromVocabFile(Path.of(config.vocab()), n);
    }

    /** Trains to the end, from the last checkpoint when there is one. */
    public Result run() throws IOException {
        try {
            return train();
        } catch (IOException | RuntimeException | Error e) {
            if (createdRunDir && TrainedModel.resolve(checkpoints(), TrainedModel.LAST).isEmpty()) {
                try {
                    AtomicFiles.deleteTree(runDir); // nothing to resume from: leave no half-made run folder behind
                } catch (IOException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw e;
        }
    }

    private Result train() throws IOException {
        WordPieceTokenizer tokenizer = tokenizer(config);
        if (tokenizer.vocabSize() != config.model().vocabSize()) {
            throw new InvalidInputException(runDir.resolve("config.json"), "model vocabulary " + config.model().vocabSize()
                    + " differs from the tokenizer's " + tokenizer.vocabSize());
        }
        Path root = Path.of(config.dataDir());
        Datasets.Format format = config.datasetFormat();
        List<ReferringSample> train = TrainingBatches.limit(Datasets.readSplit(root, format, "train"), config.limit());
        List<ReferringSample> val = config.validateEachEpoch()
                ? TrainingBatches.limit(Datasets.read(root, format, "val"), config.validationLimit())
                : List.of();
        TrainingLog log = new TrainingLog(runDir.resolve("log.jsonl"));
        try (NDManager manager = NDManager.newBaseManager(device);
             TrainingBatches batches = new TrainingBatches(train, config, tokenizer)) {
            Engine.getInstance().setRandomSeed((int) TrainingBatches.mix(config.seed(), 0, 0));
            BtdNet net = new BtdNet(config.model());
            net.initialize(manager, DataType.FLOAT32);
            PretrainedEncoders.apply(net, config.swinWeights(), config.bertDir());
            Map<String, Parameter> params = ParameterPaths.of(net);
            params.values().stream().filter(Parameter::requiresGradient)
                    .forEach(p -> p.getArray().setRequiresGradient(true));
            AdamW optimizer = new AdamW(manager, config.weightDecay());
            TrainingCheckpoint.clean(checkpoints());
            Optional<Path> last = TrainedModel.resolve(checkpoints(), TrainedModel.LAST);
            TrainingCheckpoint.State state = last.map(p -> TrainingCheckpoint.restore(p, net, optimizer))
                    .orElse(new TrainingCheckpoint.State(0, 0, 0, 0, config.seed(), -1, -1, Double.NaN));
            log.truncateAfter(state.nextStep());
            long total = batches.totalSteps();
            int perEpoch = batches.stepsPerEpoch();
            PolyLearningRate schedule = new PolyLearningRate(config.learningRate(), total, config.polyPower());
            BtdNetLoss lossFn = new BtdNetLoss(config.model());
            Path lastCheckpoint = last.orElse(null);
            SegmentationMetrics.Report lastReport = null;
            double bestOIoU = state.bestOIoU();
            long bestStep = state.bestStep();
            double lastLoss = state.lastLoss();
            long images = 0;
            long started = System.nanoTime();
            double waitedSeconds = 0;
            double modelSeconds = 0;
            try (ProgressBar bar = progressBar(total, state.nextStep())) {
                for (long step = state.nextStep(); step < total; step++) {
                    long t0 = System.nanoTime();
                    TrainingBatches.Batch b = batches.take(step);
                    double waited = (System.nanoTime() - t0) / 1e9; // the loader was behind the model this long
                    Engine.getInstance().setRandomSeed((int) TrainingBatches.mix(config.seed(), step, 3));
                    double lr = schedule.at(step);
                    Map<String, Float> values;
                    try (NDManager sm = manager.newSubManager()) {
                        int s = b.size();
                        Shape text = new Shape(b.count(), b.tokens());
                        NDList in = new NDList(sm.create(b.images(), new Shape(b.count(), 3, s, s)),
                                sm.create(b.ids(), text), sm.create(b.attention(), text), sm.create(b.erasedIds(), text));
                        BtdNetLoss.Terms loss;
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            Gradients.zero(params.values());
                            NDList out = net.forward(new ParameterStore(sm, false), in, true);
                            loss = lossFn.compute(out, sm.create(b.masks(), new Shape(b.count(), s, s)),
                                    sm.create(b.labels(), text));
                            gc.backward(loss.total());
                        }
                        optimizer.update(params, lr, sm);
                        values = loss.values();
                    }
                    lastLoss = values.get("loss");
                    if (!Double.isFinite(lastLoss)) {
                        // the run's settings (a learning rate too high for the data), not a bug: said in one line
                        throw new InvalidInputException(runDir.resolve("config.json"), "training diverged: loss is "
                                + lastLoss + " at step " + step + " with learning rate " + config.learningRate()
                                + "; start a new run with a lower --lr");
                    }
                    images += b.count();
                    double stepSeconds = (System.nanoTime() - t0) / 1e9;
                    ObjectNode entry = log.entry();
                    entry.put("step", step + 1).put("epoch", step / perEpoch).put("lr", lr);
                    values.forEach(entry::put);
                    entry.put("images_per_s", b.count() / stepSeconds);
                    entry.put("loader_wait_s", waited).put("model_s", stepSeconds - waited);
                    waitedSeconds += waited;
                    modelSeconds += stepSeconds - waited;
                    if (step + 1 == total) { // the run's verdict, over the steps this process ran, on its last entry
                        InputBalance balance = new InputBalance(waitedSeconds, modelSeconds, batches.loaderThreads());
                        entry.put("input", balance.verdict()).put("loader_wait_total_s", waitedSeconds)
                                .put("model_total_s", modelSeconds).put("loader_threads", batches.loaderThreads());
                        err.println(balance);
                    }
                    log.append(entry);
                    if (bar != null) {
                        bar.stepTo(step + 1);
                        bar.setExtraMessage(String.format(" loss %.4f  %.1f img/s", lastLoss, b.count() / stepSeconds));
                    }
                    long next = step + 1;
                    boolean epochEnd = next % perEpoch == 0;
                    boolean best = false;
                    if (epochEnd && !val.isEmpty()) {
                        lastReport = new Evaluator(new Predictor(net, tokenizer, manager), config.batchSize())
                                .evaluate(val, Evaluator.Resolution.MODEL);
                        ObjectNode v = log.entry();
                        v.put("step", next).put("epoch", step / perEpoch).put("val_oIoU", lastReport.oIoU())
                                .put("val_mIoU", lastReport.mIoU()).put("val_samples", lastReport.samples());
                        for (double x : SegmentationMetrics.THRESHOLDS) {
                            v.put("val_Pr@" + x, lastReport.precisionAt(x));
                        }
                        log.append(v);
                        if (lastReport.oIoU() > bestOIoU) {
                            bestOIoU = lastReport.oIoU();
                            bestStep = next;
                            best = true;
                        }
                    }
                    if (epochEnd || next % config.checkpointEvery() == 0 || next == total) {
                        TrainingCheckpoint.State st = new TrainingCheckpoint.State(next, next / perEpoch, next % perEpoch,
                                optimizer.updates(), config.seed(), bestOIoU, bestStep, lastLoss);
                        lastCheckpoint = TrainingCheckpoint.write(checkpoints(), net, optimizer, st, best);
                    }
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            return new Result(total, lastLoss, lastReport, bestOIoU, lastCheckpoint,
                    TrainedModel.resolve(checkpoints(), TrainedModel.BEST), images / Math.max(seconds, 1e-9));
        }
    }

    private ProgressBar progressBar(long total, long start) {
        if (!progressBar) {
            return null;
        }
        return new ProgressBarBuilder().setTaskName("train").setInitialMax(total).startsFrom(start, Duration.ZERO)
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(err)).showSpeed().build();
    }
}
