package io.rrsis4j.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rrsis4j.data.BlankSentences;
import io.rrsis4j.data.Datasets;
import io.rrsis4j.data.ReferringSample;
import io.rrsis4j.eval.Evaluator;
import io.rrsis4j.eval.GeneralizedMetrics;
import io.rrsis4j.eval.SampleScore;
import io.rrsis4j.eval.SegmentationMetrics;
import io.rrsis4j.io.files.AtomicFiles;
import io.rrsis4j.io.files.OutputSet;
import io.rrsis4j.model.runtime.BatchChoice;
import io.rrsis4j.model.runtime.Precision;
import io.rrsis4j.model.runtime.Predictor;
import io.rrsis4j.model.runtime.PresenceRule;
import io.rrsis4j.model.weights.TrainedModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rrsis4j evaluate}: the benchmark table (Pr@0.5..0.9, oIoU, mIoU) of a checkpoint on a split, and GRES's
 * (gIoU, cIoU, N-acc, T-acc, Pr@0.7..0.9 by kind) when the split has sentences naming no object or several.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a checkpoint on a benchmark split with the official protocol.")
public final class EvaluateCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--checkpoint", required = true, description = "Checkpoint folder or training run folder.")
    Path checkpoint;

    @Option(names = "--data", required = true, description = "Dataset root as released.")
    Path data;

    @Option(names = "--format", required = true, description = "rrsisd, refsegrs or grefs.")
    String format;

    @Option(names = "--split", defaultValue = "test",
            description = "val or test, or a split the dataset names (testA, ...) (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--resolution", defaultValue = "model",
            description = "model (480 x 480 as the reference code) or original (each image's own size); default ${DEFAULT-VALUE}.")
    String resolution;

    @Option(names = "--presence-threshold", defaultValue = "" + PresenceRule.DEFAULT_THRESHOLD, description = "Generalized"
            + " models: below this presence probability a sample is predicted empty (\"no target\"), as segment answers"
            + " (default ${DEFAULT-VALUE}).")
    float presenceThreshold;

    @Option(names = "--batch", description = "Samples per forward pass (default: as many as the free memory holds on a"
            + " GPU, 8 on the CPU).")
    Integer batch;

    @Mixin
    DeviceOption device = new DeviceOption();

    @Mixin
    PrecisionOption precision = new PrecisionOption();

    @Mixin
    OutputOptions output;

    @Option(names = "--json", description = "Write the table as JSON here (default: CHECKPOINT/eval-SPLIT.json).")
    Path json;

    @Option(names = "--per-sample", paramLabel = "FILE", description = "Also write every sample's outcome here, one JSON"
            + " object per line in the split's order: id, image, sentence, category, kind, presence, whether judged"
            + " absent, and the true, predicted, shared (intersection) and union pixel counts behind the tables, with"
            + " the sample's IoU as GRES scores it.")
    Path perSample;

    @Override
    public Integer call() throws Exception {
        PresenceRule presence = new PresenceRule(presenceThreshold);
        Device on = device.device();
        Precision forward = precision.value(on);
        Evaluator.Resolution res = switch (resolution.toLowerCase()) {
            case "model" -> Evaluator.Resolution.MODEL;
            case "original" -> Evaluator.Resolution.ORIGINAL;
            default -> throw new io.rrsis4j.InvalidInputException("--resolution must be model or original, not " + resolution);
        };
        if (batch != null && batch < 1) {
            throw new io.rrsis4j.InvalidInputException("--batch must be at least 1, got " + batch);
        }
        // an empty sentence is left out with a counted warning: a benchmark's score should not fail on one bad line
        List<ReferringSample> samples = Datasets.readSplit(data, Datasets.Format.parse(format), split,
                BlankSentences.Policy.SKIP);
        Path dir = TrainedModel.resolve(checkpoint);
        Path out = json != null ? json : dir.resolve("eval-" + split + ".json");
        List<Path> inputs = new java.util.ArrayList<>(Datasets.annotationFiles(data, Datasets.Format.parse(format), split));
        inputs.add(dir.resolve("model.safetensors"));
        inputs.add(dir.resolve("config.json"));
        try (OutputSet outputs = new OutputSet(inputs.toArray(Path[]::new)); NDManager manager = NDManager.newBaseManager(on)) {
            outputs.reserve(out); // a folder it cannot be written to is reported now, not after the evaluation
            if (perSample != null) {
                outputs.reserve(perSample);
            }
            List<SampleScore> scores = new java.util.ArrayList<>();
            Predictor predictor = TrainedModel.predictor(dir, manager).inPrecision(forward)
                    .withPresenceRule(presence);
            Evaluator.Evaluation evaluation;
            long start = System.nanoTime();
            try (ProgressBar bar = ProgressBars.of("evaluate " + split, samples.size(), output.bars())) {
                int perForward = BatchChoice.choose(batch, 8, on, predictor.net().config(), forward);
                output.detail("batch %d (from %s)", perForward, BatchChoice.origin(batch, on));
                evaluation = new Evaluator(predictor, perForward).evaluateBoth(samples, res, ProgressBars.stepper(bar),
                        perSample == null ? score -> {} : scores::add);
            }
            SegmentationMetrics.Report report = evaluation.classic();
            output.detail("checkpoint %s: %d samples in %.1f s", dir, samples.size(), (System.nanoTime() - start) / 1e9);
            System.out.println(report.table());
            System.out.printf("%d samples of %s/%s, masks compared at the %s resolution%n", report.samples(),
                    format, split, res == Evaluator.Resolution.MODEL ? "model input (" + predictor.inputSize() + " x "
                            + predictor.inputSize() + ")" : "images' own");
            GeneralizedMetrics.Report gres = evaluation.generalized();
            if (gres.isGeneralized()) {
                System.out.println();
                System.out.println(gres.table());
                System.out.println("(GRES: a no-target sample is right when the mask is empty; N-acc over no-target"
                        + " samples, T-acc and Pr@X over target samples)");
            }
            byte[] table = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(
                    reportNode(report, gres, split, res)).getBytes(StandardCharsets.UTF_8);
            outputs.write(out, tmp -> AtomicFiles.write(tmp, table));
            if (perSample != null) {
                outputs.writeStream(perSample, stream -> SampleLines.write(scores, stream));
            }
            outputs.commit();
            System.out.println("wrote " + out + (perSample == null ? "" : " and " + perSample));
        }
        return 0;
    }

    static String reportJson(SegmentationMetrics.Report report, String split, Evaluator.Resolution res) throws Exception {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(reportNode(report, split, res));
    }

    /**
     * The table as JSON, and when the split is generalized GRES's scores too: top-level {@code gIoU}, {@code cIoU},
     * {@code N_acc}, {@code T_acc} (percent, as GRES's results file names them; null where a score has no samples)
     * and under {@code gres} the same with Pr@0.7..0.9 for all samples and per kind (single, multi, none).
     */
    static ObjectNode reportNode(SegmentationMetrics.Report report, GeneralizedMetrics.Report gres, String split,
            Evaluator.Resolution res) {
        ObjectNode node = reportNode(report, split, res);
        if (!gres.isGeneralized()) {
            return node;
        }
        scores(node, gres.all(), false);
        ObjectNode detail = node.putObject("gres");
        scores(detail.putObject("all"), gres.all(), true);
        gres.byKind().forEach((kind, s) -> scores(detail.putObject(kind.label()), s, true));
        return node;
    }

    private static void scores(ObjectNode node, GeneralizedMetrics.Scores s, boolean full) {
        if (full) {
            node.put("samples", s.samples());
        }
        putScore(node, "gIoU", s.gIoU());
        putScore(node, "cIoU", s.cIoU());
        putScore(node, "N_acc", s.nAcc());
        putScore(node, "T_acc", s.tAcc());
        if (full) {
            for (int i = 0; i < GeneralizedMetrics.THRESHOLDS.length; i++) {
                putScore(node, String.format(Locale.ROOT, "Pr@%.1f", GeneralizedMetrics.THRESHOLDS[i]), s.precision()[i]);
            }
        }
    }

    private static void putScore(ObjectNode node, String key, double percent) {
        if (Double.isNaN(percent)) {
            node.putNull(key);
        } else {
            node.put(key, round(percent));
        }
    }

    /** The table as a JSON object: split, resolution, samples, Pr@0.5..0.9, oIoU, mIoU (percent, two decimals). */
    static ObjectNode reportNode(SegmentationMetrics.Report report, String split, Evaluator.Resolution res) {
        ObjectNode node = JSON.createObjectNode();
        node.put("split", split);
        node.put("resolution", res.name().toLowerCase(Locale.ROOT));
        node.put("samples", report.samples());
        for (double t : SegmentationMetrics.THRESHOLDS) {
            node.put(String.format(Locale.ROOT, "Pr@%.1f", t), round(report.precisionAt(t)));
        }
        node.put("oIoU", round(report.oIoU()));
        node.put("mIoU", round(report.mIoU()));
        return node;
    }

    private static double round(double percent) {
        return Math.round(percent * 100) / 100.0;
    }
}
