package io.rrsis4j.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.rrsis4j.data.Datasets;
import io.rrsis4j.data.Images;
import io.rrsis4j.data.ReferringSample;
import io.rrsis4j.data.synthetic.SceneObject;
import io.rrsis4j.data.synthetic.SyntheticScene;
import io.rrsis4j.data.synthetic.SyntheticSceneGenerator;
import io.rrsis4j.eval.Evaluator;
import io.rrsis4j.eval.GeneralizedMetrics;
import io.rrsis4j.eval.SegmentationMetrics;
import io.rrsis4j.infer.BtdNetSegmenter;
import io.rrsis4j.infer.ProbabilityMap;
import io.rrsis4j.infer.TiledSegmenter;
import io.rrsis4j.io.raster.DisplayBands;
import io.rrsis4j.io.raster.GeoRaster;
import io.rrsis4j.model.runtime.Predictor;
import io.rrsis4j.model.weights.TrainedModel;
import io.rrsis4j.train.DemoRecipe;
import io.rrsis4j.train.TrainConfig;
import io.rrsis4j.train.Trainer;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Does the presence head help? The demo recipe ({@link DemoRecipe}) trained twice per seed: with the head on
 * generalized synthetic scenes (a share of the sentences name several objects, a share none), and without it on the
 * same generator's single-target scenes, the paper's setting. Both are evaluated on the held-out generalized scenes
 * (GRES's gIoU, cIoU, N-acc, T-acc), on held-out single-target scenes (oIoU), and on a tiled mosaic of scenes that
 * hold no airplane, asked for airplanes (false-positive area: every predicted pixel is wrong). Runs already in the
 * folder are reused, so an interrupted benchmark resumes.
 */
public final class GeneralizedBenchmark {
    /** Sentences for the mosaic, which has no airplane. */
    public static final List<String> ABSENT_SENTENCES = List.of("the airplane", "the white airplane on the left",
            "all the airplanes");
    /** Scenes per side of the mosaic. */
    static final int MOSAIC_SIDE = 4;

    /**
     * @param scenes synthetic scenes of each data set (70 / 15 / 15 train / val / test)
     * @param epochs training epochs of each run
     * @param seeds training seeds per variant, {@code firstSeed} on
     * @param multi share of sentences naming several objects in the generalized scenes
     * @param noTarget share of sentences naming no object of the scene
     */
    public record Options(int scenes, int epochs, int seeds, long firstSeed, double multi, double noTarget) {
        public static Options defaults() {
            return new Options(DemoRecipe.SCENES, DemoRecipe.EPOCHS, 3, 1, DemoRecipe.MULTI, DemoRecipe.NO_TARGET);
        }
    }

    /**
     * One trained model's scores, in percent.
     *
     * @param generalized GRES's scores on the generalized test scenes
     * @param singleOIoU oIoU on the single-target test scenes
     * @param falsePositive predicted share of the absent-object mosaic, mean over {@link #ABSENT_SENTENCES}
     */
    public record Run(String variant, long seed, GeneralizedMetrics.Scores generalized, double singleOIoU,
                      double falsePositive) {}

    private GeneralizedBenchmark() {}

    /** Trains (or reuses) every run under {@code out} and scores it; log lines go to {@code log}. */
    public static List<Run> run(Path out, Options options, Device device, PrintStream log) throws IOException {
        int size = 2 * io.rrsis4j.model.BtdNetConfig.micro().imageSize(); // as the demo: scenes twice the input
        Path generalizedData = out.resolve("data-generalized");
        Path singleData = out.resolve("data-single");
        if (!Files.isDirectory(generalizedData)) {
            log.println("generalized scenes -> " + generalizedData + " " + io.rrsis4j.data.synthetic.SyntheticDatasets.write(
                    generalizedData, Datasets.Format.GREFS, options.scenes(), size, DemoRecipe.SCENE_SEED,
                    options.multi(), options.noTarget()));
        }
        if (!Files.isDirectory(singleData)) {
            log.println("single-target scenes -> " + singleData + " " + io.rrsis4j.data.synthetic.SyntheticDatasets.write(
                    singleData, Datasets.Format.GREFS, options.scenes(), size, DemoRecipe.SCENE_SEED, 0, 0));
        }
        Path mosaic = out.resolve("mosaic-without-airplanes.tif");
        if (!Files.isRegularFile(mosaic)) {
            Images.write(mosaicWithout("airplane", size), "tiff", mosaic);
        }
        List<ReferringSample> generalizedTest = Datasets.read(generalizedData, Datasets.Format.GREFS, "test");
        List<ReferringSample> singleTest = Datasets.read(singleData, Datasets.Format.GREFS, "test");
        List<Run> runs = new ArrayList<>();
        for (int k = 0; k < options.seeds(); k++) {
            long seed = options.firstSeed() + k;
            for (boolean head : new boolean[] {true, false}) {
                String variant = head ? "presence-head" : "without-head";
                Path runDir = out.resolve(variant).resolve("seed-" + seed);
                DemoRecipe recipe = new DemoRecipe(options.scenes(), options.epochs(), seed);
                TrainConfig config = recipe.config(head ? generalizedData : singleData, Datasets.Format.GREFS, head)
                        .withRun(seed, 500, false, 0, 0);
                long t0 = System.nanoTime();
                train(config, runDir, device);
                Run r = score(variant, seed, runDir, generalizedTest, singleTest, mosaic, size, device);
                runs.add(r);
                log.printf(java.util.Locale.ROOT, "%s seed %d (%.1f min): gIoU %.2f cIoU %.2f N-acc %.2f T-acc %.2f,"
                                + " single-target oIoU %.2f, false positives on the mosaic %.2f%%%n", variant, seed,
                        (System.nanoTime() - t0) / 6e10, r.generalized().gIoU(), r.generalized().cIoU(),
                        r.generalized().nAcc(), r.generalized().tAcc(), r.singleOIoU(), r.falsePositive());
            }
        }
        return runs;
    }

    private static void train(TrainConfig config, Path runDir, Device device) throws IOException {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        Trainer trainer = Files.isRegularFile(runDir.resolve("config.json")) ? Trainer.resume(runDir, quiet)
                : Trainer.start(config, runDir, quiet);
        trainer.withoutProgressBar().onDevice(device).run();
    }

    private static Run score(String variant, long seed, Path runDir, List<ReferringSample> generalizedTest,
                             List<ReferringSample> singleTest, Path mosaic, int sceneSize, Device device) {
        try (NDManager manager = NDManager.newBaseManager(device)) {
            Predictor predictor = TrainedModel.predictor(TrainedModel.resolve(runDir), manager);
            Evaluator evaluator = new Evaluator(predictor, DemoRecipe.BATCH);
            GeneralizedMetrics.Report gres = evaluator.evaluateBoth(generalizedTest, Evaluator.Resolution.ORIGINAL,
                    done -> {}).generalized();
            SegmentationMetrics.Report single = evaluator.evaluate(singleTest, Evaluator.Resolution.ORIGINAL);
            BtdNetSegmenter segmenter = new BtdNetSegmenter(predictor, null);
            GeoRaster raster = GeoRaster.open(mosaic);
            double fp = 0;
            for (String sentence : ABSENT_SENTENCES) {
                ProbabilityMap p = new TiledSegmenter(segmenter, sceneSize, sceneSize / 6, 4, false)
                        .segment(DisplayBands.of(raster, null), sentence);
                fp += 100.0 * onPixels(p) / ((double) p.width() * p.height());
            }
            return new Run(variant, seed, gres.all(), single.oIoU(), fp / ABSENT_SENTENCES.size());
        }
    }

    private static long onPixels(ProbabilityMap p) {
        long on = 0;
        for (int y = 0; y < p.height(); y++) {
            for (int x = 0; x < p.width(); x++) {
                on += p.get(x, y) > 0.5 ? 1 : 0;
            }
        }
        return on;
    }

    /**
     * MOSAIC_SIDE x MOSAIC_SIDE synthetic scenes of {@code size} px (seeds the training scenes do not use) without
     * any object of {@code category}, side by side: a tiled scene in which that object is absent.
     */
    static BufferedImage mosaicWithout(String category, int size) {
        BufferedImage out = new BufferedImage(MOSAIC_SIDE * size, MOSAIC_SIDE * size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        Iterator<SyntheticScene> scenes = new SyntheticSceneGenerator().oneByOne(1000, size, 424242);
        int placed = 0;
        while (placed < MOSAIC_SIDE * MOSAIC_SIDE && scenes.hasNext()) {
            SyntheticScene s = scenes.next();
            if (s.objects().stream().map(SceneObject::category).noneMatch(category::equals)) {
                g.drawImage(s.image(), (placed % MOSAIC_SIDE) * size, (placed / MOSAIC_SIDE) * size, null);
                placed++;
            }
        }
        g.dispose();
        if (placed < MOSAIC_SIDE * MOSAIC_SIDE) {
            throw new IllegalStateException("fewer than " + MOSAIC_SIDE * MOSAIC_SIDE + " scenes without " + category);
        }
        return out;
    }

    /** Mean and sample standard deviation of VALUES. */
    public static double[] meanSd(double[] values) {
        double mean = java.util.Arrays.stream(values).average().orElse(Double.NaN);
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        return new double[] {mean, values.length > 1 ? Math.sqrt(ss / (values.length - 1)) : 0};
    }
}
