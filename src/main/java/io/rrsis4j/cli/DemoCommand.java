package io.rrsis4j.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.rrsis4j.data.BinaryMask;
import io.rrsis4j.data.Images;
import io.rrsis4j.data.MaskImages;
import io.rrsis4j.data.ReferringSample;
import io.rrsis4j.data.Datasets;
import io.rrsis4j.eval.Evaluator;
import io.rrsis4j.eval.SegmentationMetrics;
import io.rrsis4j.io.OutputSet;
import io.rrsis4j.infer.MaskPrediction;
import io.rrsis4j.model.Predictor;
import io.rrsis4j.model.TrainedModel;
import io.rrsis4j.train.DemoRecipe;
import io.rrsis4j.model.NativeThreads;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rrsis4j demo}, the main job: synthetic referring scenes -> train a micro BTDNet from scratch on the CPU ->
 * evaluate on held-out scenes -> segment a held-out image from its sentence; pictures in the folder it names.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Generate synthetic scenes, train a small BTDNet on them, evaluate it and segment a held-out image.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "demo-output", description = "Folder for everything the demo writes (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--scenes", defaultValue = "" + DemoRecipe.SCENES, description = "Synthetic scenes to generate (default ${DEFAULT-VALUE}).")
    int scenes;

    @Option(names = "--epochs", defaultValue = "" + DemoRecipe.EPOCHS, description = "Training epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--seed", defaultValue = "7", description = "Seed of the scenes and the training (default ${DEFAULT-VALUE}).")
    long seed;

    // The micro model's ops are too small to share out: on 2 cores one native thread trains at 30 images/s, two at 23.
    @Option(names = "--threads", defaultValue = "1", description = "Native intra-op threads (default ${DEFAULT-VALUE}; 0 = one per core).")
    int threads;

    @Mixin
    DeviceOption device = new DeviceOption();

    @Override
    public Integer call() throws Exception {
        if (threads < 0) {
            throw new io.rrsis4j.InvalidInputException("--threads must be 0 or more, got " + threads);
        }
        DemoRecipe recipe = new DemoRecipe(scenes, epochs, seed);
        NativeThreads.set(threads);
        Device on = device.device();
        long start = System.nanoTime();
        Files.createDirectories(out);
        System.out.println("1/4 synthetic scenes, 2/4 training (a run already in " + out + " is reused or resumed)");
        Path run = recipe.ensureTrained(out, System.out, on);
        Path curve = out.resolve("training-curve.png");
        Path data = DemoRecipe.data(out);

        List<ReferringSample> test = Datasets.readSplit(data, Datasets.Format.RRSISD, "test");
        Path checkpoint = TrainedModel.resolve(run);
        try (NDManager manager = NDManager.newBaseManager(on)) {
            Predictor predictor = TrainedModel.predictor(checkpoint, manager);
            SegmentationMetrics.Report report = new Evaluator(predictor, DemoRecipe.BATCH).evaluate(test, Evaluator.Resolution.ORIGINAL);
            System.out.println("3/4 held-out test scenes (never seen in training), masks at the images' own size:");
            System.out.println(report.table());

            ReferringSample sample = test.get(0);
            BufferedImage image = Images.read(sample.imagePath());
            float[] p = predictor.atImageSize(List.of(image), List.of(sample.sentence())).get(0);
            BinaryMask predicted = MaskPrediction.threshold(p, image.getWidth(), image.getHeight(), 0.5f);
            Path overlay = out.resolve("segmented.png");
            Path truth = out.resolve("ground-truth.png");
            BinaryMask groundTruth = sample.mask().load();
            try (OutputSet pictures = new OutputSet()) {
                pictures.write(overlay, tmp -> MaskImages.writeOverlay(image, predicted, tmp));
                pictures.write(truth, tmp -> MaskImages.writeOverlay(image, groundTruth, tmp));
                pictures.write(out.resolve("sentence.txt"),
                        tmp -> Files.writeString(tmp, sample.sentence() + System.lineSeparator()));
                pictures.commit();
            }
            System.out.printf("4/4 \"%s\" -> %s (ground truth: %s)%n", sample.sentence(), overlay, truth);
        }
        System.out.printf("demo done in %.1f min. Pictures: %s, %s; checkpoint: %s%n",
                (System.nanoTime() - start) / 6e10, curve.toAbsolutePath(), out.resolve("segmented.png").toAbsolutePath(),
                checkpoint.toAbsolutePath());
        System.out.println("Try: ./rrsis4j segment --checkpoint " + checkpoint + " --image IMAGE --text \"...\" --out mask.png");
        return 0;
    }
}
