package io.rrsis4j.train;

import io.rrsis4j.data.SyntheticDatasets;
import io.rrsis4j.model.BtdNetConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The demo model: a micro BTDNet trained from scratch on synthetic RRSIS-D scenes, small enough to train on a
 * laptop CPU in minutes. The demo command and {@code serve} without a checkpoint both use it; a finished or
 * interrupted run in the folder is reused or resumed, never started over.
 *
 * @param scenes synthetic scenes to generate (70 / 15 / 15 train / val / test)
 * @param epochs training epochs
 * @param seed seed of the scenes and of the training
 */
public record DemoRecipe(int scenes, int epochs, long seed) {
    public static final int BATCH = 8;
    public static final double LEARNING_RATE = 1e-3;

    public static DemoRecipe defaults() {
        return new DemoRecipe(200, 6, 7);
    }

    /** Folder of the synthetic scenes under the demo folder. */
    public static Path data(Path out) {
        return out.resolve("synthetic-rrsisd");
    }

    /** Folder of the training run under the demo folder. */
    public static Path run(Path out) {
        return out.resolve("run");
    }

    /** Writes the scenes if missing, then trains (or resumes, or reuses) the run; returns the run folder. */
    public Path ensureTrained(Path out, PrintStream log) throws IOException {
        BtdNetConfig model = BtdNetConfig.micro();
        Path data = data(out);
        if (!Files.isDirectory(data.resolve("rrsisd"))) {
            // Scenes twice the model input, so that evaluation at the images' own size tests the upsampling too.
            Map<String, Integer> counts = SyntheticDatasets.write(data, SyntheticDatasets.Format.RRSISD, scenes,
                    model.imageSize() * 2, seed);
            log.println("wrote synthetic RRSIS-D scenes to " + data + " " + counts);
        }
        Path run = run(out);
        Trainer trainer;
        if (Files.isRegularFile(run.resolve("config.json"))) {
            log.println("resuming the training run in " + run);
            trainer = Trainer.resume(run, System.err);
        } else {
            TrainConfig config = TrainConfig.defaults("micro", model, data, "rrsisd").withSchedule(epochs, BATCH, LEARNING_RATE);
            log.println("training a micro BTDNet (" + epochs + " epochs) into " + run);
            trainer = Trainer.start(config, run, System.err);
        }
        trainer.run();
        TrainingCurve.write(run.resolve("log.jsonl"), out.resolve("training-curve.png"));
        return run;
    }
}
