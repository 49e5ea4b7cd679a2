package io.rrsis4j.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.rrsis4j.InvalidInputException;
import io.rrsis4j.data.ReferringSample;
import io.rrsis4j.data.Datasets;
import io.rrsis4j.eval.Evaluator;
import io.rrsis4j.eval.SegmentationMetrics;
import io.rrsis4j.model.Predictor;
import io.rrsis4j.model.TrainedModel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The paper's ablation study: the full BTDNet and the variants with BSC, T-BTD or D-MOLS turned off
 * (BTDNET.md "Ablation switches"), each trained with the same recipe into OUT/VARIANT and evaluated on the same
 * split with the same {@link Evaluator} as {@code evaluate}. A variant whose run folder exists is resumed (or, when
 * finished, only evaluated), so an interrupted study continues where it stopped.
 *
 * <p>Measured with the demo recipe (micro from scratch, 1,200 synthetic scenes at 96 px, 2 epochs; 17 min on 2
 * cores), test oIoU / mIoU on 973 samples: full 68.22 / 62.96, without BSC 56.26 / 48.73, without T-BTD
 * 66.96 / 60.97, without D-MOLS 61.28 / 54.37: every part helps, BSC most, as in the paper's table.
 */
public final class AblationStudy {
    /** One row of the table: which parts are on. */
    public record Variant(String name, boolean bsc, boolean tbtd, boolean dmols) {}

    public static final List<Variant> VARIANTS = List.of(
            new Variant("full", true, true, true),
            new Variant("without-bsc", false, true, true),
            new Variant("without-tbtd", true, false, true),
            new Variant("without-dmols", true, true, false));

    /** A trained and evaluated variant. */
    public record Row(Variant variant, SegmentationMetrics.Report report, Path run) {}

    private final TrainConfig recipe;
    private final Path out;
    private final String split;
    private final PrintStream err;
    private boolean progressBar = true;
    private Device device;

    /**
     * @param recipe the training run of the full model; the variants differ only in the three switches
     * @param out folder of the variants' runs
     * @param split the split the table is computed on ("val" or "test")
     */
    public AblationStudy(TrainConfig recipe, Path out, String split, PrintStream err) {
        this.recipe = recipe;
        this.out = out;
        this.split = split;
        this.err = err;
    }

    /** Trains and evaluates on {@code device} (default: the engine's). */
    public AblationStudy onDevice(Device device) {
        this.device = device;
        return this;
    }

    public AblationStudy withoutProgressBar() {
        progressBar = false;
        return this;
    }

    /** Trains (or resumes) and evaluates every variant in turn. */
    public List<Row> run() throws IOException {
        List<ReferringSample> samples = Datasets.readSplit(Path.of(recipe.dataDir()), recipe.datasetFormat(), split);
        List<Row> rows = new ArrayList<>();
        for (Variant v : VARIANTS) {
            TrainConfig config = recipe.withModel(recipe.model().withAblation(v.bsc(), v.tbtd(), v.dmols()));
            Path run = out.resolve(v.name());
            err.println("ablation: " + v.name() + " -> " + run);
            Trainer trainer = existingRun(run, config) ? Trainer.resume(run, err) : Trainer.start(config, run, err);
            if (!progressBar) {
                trainer.withoutProgressBar();
            }
            trainer.onDevice(device).run();
            try (NDManager manager = NDManager.newBaseManager(device)) {
                Predictor predictor = TrainedModel.predictor(run, manager);
                SegmentationMetrics.Report report = new Evaluator(predictor, config.batchSize())
                        .evaluate(samples, Evaluator.Resolution.MODEL);
                rows.add(new Row(v, report, run));
            }
        }
        return rows;
    }

    /** True when RUN holds this variant's run; a run with other settings is refused rather than mixed in. */
    private static boolean existingRun(Path run, TrainConfig wanted) {
        Path file = run.resolve("config.json");
        if (!Files.isRegularFile(file)) {
            return false;
        }
        if (!TrainConfig.read(file).equals(wanted)) {
            throw new InvalidInputException(file, "holds a run with other settings than this study's: use another --out");
        }
        return true;
    }

    /**
     * The table as the paper prints it: which parts are on (in ASCII, as terminals without UTF-8 show it), then
     * Pr@0.5..0.9, oIoU and mIoU.
     */
    public static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-5s %-5s %-6s", "BSC", "T-BTD", "D-MOLS"));
        for (double t : SegmentationMetrics.THRESHOLDS) {
            sb.append(String.format(Locale.ROOT, "%8s", String.format(Locale.ROOT, "Pr@%.1f", t)));
        }
        sb.append(String.format(Locale.ROOT, "%8s%8s%n", "oIoU", "mIoU"));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%-5s %-5s %-6s", mark(r.variant().bsc()), mark(r.variant().tbtd()),
                    mark(r.variant().dmols())));
            for (double t : SegmentationMetrics.THRESHOLDS) {
                sb.append(String.format(Locale.ROOT, "%8.2f", r.report().precisionAt(t)));
            }
            sb.append(String.format(Locale.ROOT, "%8.2f%8.2f%n", r.report().oIoU(), r.report().mIoU()));
        }
        return sb.toString();
    }

    private static String mark(boolean on) {
        return on ? "on" : "off";
    }
}
