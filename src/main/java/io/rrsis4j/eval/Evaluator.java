package io.rrsis4j.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.rrsis4j.InvalidInputException;
import io.rrsis4j.data.BinaryMask;
import io.rrsis4j.data.ImageTransforms;
import io.rrsis4j.data.Images;
import io.rrsis4j.data.ReferringSample;
import io.rrsis4j.data.TargetKind;
import io.rrsis4j.data.text.TokenizedSentence;
import io.rrsis4j.model.runtime.ModelInputs;
import io.rrsis4j.model.runtime.Presence;
import io.rrsis4j.model.runtime.Predictor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The benchmarks' evaluation (DATA.md "Metrics"): every (image, sentence) sample of a split, prediction =
 * target probability > 0.5, intersection and union per sample into {@link SegmentationMetrics}, and with the
 * predicted area and the sample's kind (no target, one, several) into {@link GeneralizedMetrics}. Training's
 * validation and the evaluate command both call this, so there is one evaluation path.
 */
public final class Evaluator {

    /** Where masks are compared: at the model input (the reference code) or at each image's own size. */
    public enum Resolution {
        MODEL,
        ORIGINAL
    }

    private final Predictor predictor;
    private final int batchSize;

    public Evaluator(Predictor predictor, int batchSize) {
        this.predictor = predictor;
        this.batchSize = Math.max(1, batchSize);
    }

    /** Both tables of one evaluation: the benchmarks' and GRES's. */
    public record Evaluation(SegmentationMetrics.Report classic, GeneralizedMetrics.Report generalized) {}

    public SegmentationMetrics.Report evaluate(List<ReferringSample> samples, Resolution resolution) {
        return evaluate(samples, resolution, done -> {});
    }

    /** @param progress told the number of samples done after each batch */
    public SegmentationMetrics.Report evaluate(List<ReferringSample> samples, Resolution resolution, IntConsumer progress) {
        return evaluateBoth(samples, resolution, progress).classic();
    }

    /** The benchmarks' table and GRES's of the same predictions. */
    public Evaluation evaluateBoth(List<ReferringSample> samples, Resolution resolution, IntConsumer progress) {
        return evaluateBoth(samples, resolution, progress, score -> {});
    }

    /** As {@link #evaluateBoth(List, Resolution, IntConsumer)}, and {@code each} told every sample's score in order. */
    public Evaluation evaluateBoth(List<ReferringSample> samples, Resolution resolution, IntConsumer progress,
            Consumer<SampleScore> each) {
        SegmentationMetrics classic = new SegmentationMetrics();
        GeneralizedMetrics generalized = new GeneralizedMetrics();
        Metrics metrics = new Metrics(classic, generalized);
        ExecutorService loader = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "eval-loader");
            t.setDaemon(true);
            return t;
        });
        try {
            // Decode the next batch while the model runs on this one.
            CompletableFuture<List<Loaded>> next = load(samples, 0, loader);
            for (int start = 0; start < samples.size(); start += batchSize) {
                List<Loaded> batch = join(next);
                int following = start + batchSize;
                next = following < samples.size() ? load(samples, following, loader) : null;
                score(batch, resolution, metrics, each);
                progress.accept(Math.min(samples.size(), following));
            }
        } finally {
            loader.shutdownNow();
        }
        return new Evaluation(classic.report(), generalized.report());
    }

    /** Where a batch's counts go. */
    record Metrics(SegmentationMetrics classic, GeneralizedMetrics generalized) {}

    /** @param kind what the sentence names, from the sample (or counted in its full-size mask when the format does not say) */
    private record Loaded(ReferringSample sample, BufferedImage image, BinaryMask mask, float[] chw, TargetKind kind) {}

    private CompletableFuture<List<Loaded>> load(List<ReferringSample> samples, int start, ExecutorService pool) {
        List<ReferringSample> slice = samples.subList(start, Math.min(samples.size(), start + batchSize));
        int size = predictor.inputSize();
        return CompletableFuture.supplyAsync(() -> {
            List<Loaded> out = new ArrayList<>();
            for (ReferringSample s : slice) {
                BufferedImage image = Images.read(s.imagePath());
                BinaryMask mask;
                try {
                    mask = s.mask().load();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                out.add(new Loaded(s, image, mask, ImageTransforms.toNormalizedChw(image, size), s.kindIn(mask)));
            }
            return out;
        }, pool);
    }

    private static List<Loaded> join(CompletableFuture<List<Loaded>> future) {
        try {
            return future.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private void score(List<Loaded> batch, Resolution resolution, Metrics metrics, Consumer<SampleScore> each) {
        int size = predictor.inputSize();
        try (NDManager step = predictor.manager().newSubManager()) {
            List<float[]> chw = batch.stream().map(Loaded::chw).toList();
            List<TokenizedSentence> tokens = batch.stream().map(l -> predictor.tokenizer().encode(l.sample().sentence())).toList();
            NDList inputs = ModelInputs.of(step, chw, tokens, size);
            Predictor.Output out = predictor.predict(inputs);
            NDArray probability = out.probability();
            if (resolution == Resolution.MODEL) {
                List<byte[]> masks = batch.stream().map(l -> ImageTransforms.maskToSize(l.mask(), size)).toList();
                PixelCounts counts = PixelCounts.of(probability, ModelInputs.masks(step, masks, size));
                for (int b = 0; b < batch.size(); b++) {
                    record(counts.sample(batch.get(b).sample(), batch.get(b).kind(), out.presenceOf(b, predictor.presenceRule()), b),
                            metrics, each);
                }
            } else {
                for (int b = 0; b < batch.size(); b++) {
                    Loaded l = batch.get(b);
                    if (l.mask().width() != l.image().getWidth() || l.mask().height() != l.image().getHeight()) {
                        throw new InvalidInputException(l.sample().imagePath(), "mask is " + l.mask().width() + " x "
                                + l.mask().height() + " but the image is " + l.image().getWidth() + " x " + l.image().getHeight());
                    }
                    NDArray p = Predictor.resize(probability.get(b), l.image().getWidth(), l.image().getHeight()).expandDims(0);
                    NDArray gt = ModelInputs.masks(step, List.of(l.mask().pixels()), l.mask().width(), l.mask().height());
                    record(PixelCounts.of(p, gt).sample(l.sample(), l.kind(), out.presenceOf(b, predictor.presenceRule()), 0),
                            metrics, each);
                }
            }
        }
    }

    private static void record(SampleScore score, Metrics metrics, Consumer<SampleScore> each) {
        metrics.classic().add(score.intersection(), score.union());
        metrics.generalized().add(score.kind(), score.intersection(), score.union(), score.predicted());
        each.accept(score);
    }

    /** Per-sample I, U and predicted area, summed on the engine side, into both tables (no samples or presence). */
    static void addCounts(NDArray probability, NDArray truth, List<TargetKind> kinds, Metrics metrics) {
        PixelCounts counts = PixelCounts.of(probability, truth);
        for (int b = 0; b < kinds.size(); b++) {
            record(counts.sample(null, kinds.get(b), Presence.UNJUDGED, b), metrics, score -> {});
        }
    }

    /** A batch's pixel counts per sample: prediction = probability > 0.5, truth = mask > 0. */
    private record PixelCounts(long[] truth, long[] predicted, long[] intersection, long[] union) {
        static PixelCounts of(NDArray probability, NDArray truth) {
            NDArray pred = probability.gt(0.5f);
            NDArray gt = truth.gt(0);
            return new PixelCounts(count(gt), count(pred), count(pred.logicalAnd(gt)), count(pred.logicalOr(gt)));
        }

        SampleScore sample(ReferringSample sample, TargetKind kind, Presence presence, int b) {
            return new SampleScore(sample, kind, presence, truth[b], predicted[b], intersection[b], union[b]);
        }
    }

    private static long[] count(NDArray on) {
        return on.toType(ai.djl.ndarray.types.DataType.INT64, false).sum(new int[] {1, 2}).toLongArray();
    }
}
