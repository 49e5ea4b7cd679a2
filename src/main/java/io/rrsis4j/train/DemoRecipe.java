package io.rrsis4j.train;

import ai.djl.Device;
import io.rrsis4j.data.Datasets;
import io.rrsis4j.data.synthetic.SyntheticDatasets;
import io.rrsis4j.model.BtdNetConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The demo model: a micro BTDNet trained from scratch on synthetic scenes, small enough to train on a laptop CPU in
 * minutes. The demo command and {@code serve} without a checkpoint both use it; a finished or interrupted run in the
 * folder is reused or resumed, never started over. The demo's scenes are generalized (gRefCOCO layout: a share
 * {@value #MULTI} of the sentences name several objects, a share {@value #NO_TARGET} none) and its model has the
 * presence head (DESIGN-NOTES.md "Generalized referring segmentation"); {@link #config(Path)} is the plain recipe on
 * RRSIS-D-layout scenes, as LearnTest trains it.
 *
 * <p>Many scenes seen twice beat few scenes seen often: 1,200 scenes x 2 epochs reach test oIoU 68 on unseen
 * scenes, 200 scenes x 6 epochs (the same time) about 48. LearnTest trains exactly this recipe.
 *
 * @param scenes synthetic scenes to generate (70 / 15 / 15 train / val / test)
 * @param epochs training epochs
 * @param seed seed of the scenes and of the training
 */
public record DemoRecipe(int scenes, int epochs, long seed) {
    public static final int SCENES = 1200;
    public static final int EPOCHS = 2;
    public static final int BATCH = 16;
    public static final double LEARNING_RATE = 1.5e-3;
    /** Validation samples after each epoch: enough for the curve, without slowing the demo down. */
    public static final int VALIDATION_SAMPLES = 300;
    /** Share of the demo's sentences that name several objects, and that name none. */
    public static final double MULTI = 0.2;
    public static final double NO_TARGET = 0.2;
    /** Seed of the demo's scenes by default. */
    public static final long SCENE_SEED = 7;

    public DemoRecipe {
        if (scenes < 20 || epochs < 1) {
            throw new io.rrsis4j.InvalidInputException("--scenes must be at least 20 (every 20 scenes give 3 test"
                    + " scenes) and --epochs at least 1, got " + scenes + " and " + epochs);
        }
    }

    public static DemoRecipe defaults() {
        return new DemoRecipe(SCENES, EPOCHS, SCENE_SEED);
    }

    /** The training run of this recipe on the RRSIS-D-layout scenes in {@code data}, without the presence head. */
    public TrainConfig config(Path data) {
        return config(data, Datasets.Format.RRSISD, false);
    }

    /** The training run of this recipe on the scenes in {@code data}, with or without the presence head. */
    public TrainConfig config(Path data, Datasets.Format format, boolean generalized) {
        BtdNetConfig model = BtdNetConfig.micro().withGeneralized(generalized, BtdNetConfig.DEFAULT_LAMBDA_PRESENCE);
        return TrainConfig.defaults("micro", model, data, format.name().toLowerCase(java.util.Locale.ROOT))
                .withSchedule(epochs, BATCH, LEARNING_RATE).withRun(seed, 500, true, 0, VALIDATION_SAMPLES);
    }

    /** Folder of the synthetic scenes under the demo folder (gRefCOCO layout). */
    public static Path data(Path out) {
        return out.resolve("synthetic-grefs");
    }

    /** Folder of the training run under the demo folder. */
    public static Path run(Path out) {
        return out.resolve("run");
    }

    /**
     * Writes the scenes if missing, then trains (or resumes, or reuses) the run on {@code device}; returns the run
     * folder.
     */
    public Path ensureTrained(Path out, PrintStream log, Device device) throws IOException {
        return ensureTrained(out, log, device, true);
    }

    /** As {@link #ensureTrained(Path, PrintStream, Device)}; without PROGRESS_BAR, training shows none. */
    public Path ensureTrained(Path out, PrintStream log, Device device, boolean progressBar) throws IOException {
        BtdNetConfig model = BtdNetConfig.micro();
        Path data = data(out);
        if (!Files.isDirectory(data)) {
            // Scenes twice the model input, so that evaluation at the images' own size tests the upsampling too.
            Map<String, Integer> counts = SyntheticDatasets.write(data, Datasets.Format.GREFS, scenes,
                    model.imageSize() * 2, seed, MULTI, NO_TARGET);
            log.println("wrote synthetic scenes (gRefCOCO layout, " + Math.round(100 * MULTI) + "% multi-target, "
                    + Math.round(100 * NO_TARGET) + "% no-target sentences) to " + data + " " + counts);
        }
        Path run = run(out);
        Trainer trainer;
        if (Files.isRegularFile(run.resolve("config.json"))) {
            log.println("resuming the training run in " + run);
            trainer = Trainer.resume(run, System.err);
        } else {
            TrainConfig config = config(data, Datasets.Format.GREFS, true);
            log.println("training a micro BTDNet with the presence head (" + epochs + " epochs) into " + run);
            trainer = Trainer.start(config, run, System.err);
        }
        if (!progressBar) {
            trainer.withoutProgressBar();
        }
        trainer.onDevice(device).run();
        TrainingCurve.write(run.resolve("log.jsonl"), out.resolve("training-curve.png"));
        return run;
    }
}
