package io.rrsis4j.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.rrsis4j.data.Datasets;
import io.rrsis4j.data.Images;
import io.rrsis4j.data.ReferringSample;
import io.rrsis4j.eval.Evaluator;
import io.rrsis4j.infer.BtdNetSegmenter;
import io.rrsis4j.infer.Gallery;
import io.rrsis4j.infer.WordMaps;
import io.rrsis4j.model.runtime.NativeThreads;
import io.rrsis4j.model.runtime.Predictor;
import io.rrsis4j.model.weights.TrainedModel;
import io.rrsis4j.train.DemoRecipe;
import io.rrsis4j.train.TrainConfig;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rrsis4j demo}, the main job: synthetic referring scenes -> train a micro BTDNet from scratch on the CPU ->
 * evaluate on held-out scenes -> a gallery of held-out scenes with their sentences, predictions and ground truth,
 * and the word maps of one of them; pictures in the folder it names.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Generate synthetic scenes, train a small BTDNet on them, evaluate it and draw a gallery of held-out scenes.")
public final class DemoCommand implements Callable<Integer> {
    /** Scenes in the gallery: three rows of four. */
    static final int GALLERY_SCENES = 12;

    @Option(names = "--out", defaultValue = "demo-output", description = "Folder for everything the demo writes (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--scenes", defaultValue = "" + DemoRecipe.SCENES, description = "Synthetic scenes to generate (default ${DEFAULT-VALUE}).")
    int scenes;

    @Option(names = "--epochs", defaultValue = "" + DemoRecipe.EPOCHS, description = "Training epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--seed", defaultValue = "7", description = "Seed of the scenes, the training and the gallery's draw (default ${DEFAULT-VALUE}).")
    long seed;

    // The micro model's ops are too small to share out: on 2 cores one native thread trains at 30 images/s, two at 23.
    @Option(names = "--threads", defaultValue = "1", description = "Native intra-op threads (default ${DEFAULT-VALUE}; 0 = one per core).")
    int threads;

    @Mixin
    DeviceOption device = new DeviceOption();

    @Mixin
    OutputOptions output;

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
        PrintStream steps = output.unlessQuiet(System.out);
        steps.println("1/4 synthetic scenes, 2/4 training (a run already in " + out + " is reused or resumed)");
        Path run = recipe.ensureTrained(out, steps, on, output.bars());
        output.detail("trained in %.1f min", (System.nanoTime() - start) / 6e10);
        Path curve = out.resolve("training-curve.png");
        // the scenes the run was trained on (a demo folder from before the generalized recipe keeps its own)
        TrainConfig trained = TrainConfig.read(run.resolve("config.json"));
        List<ReferringSample> test = Datasets.readSplit(Path.of(trained.dataDir()), trained.datasetFormat(), "test");
        Path checkpoint = TrainedModel.resolve(run);
        Path gallery = out.resolve("gallery.png");
        Path wordMaps = out.resolve("word-maps");
        try (NDManager manager = NDManager.newBaseManager(on)) {
            Predictor predictor = TrainedModel.predictor(checkpoint, manager);
            Evaluator.Evaluation evaluation;
            long evalStart = System.nanoTime();
            try (ProgressBar bar = ProgressBars.of("evaluate test", test.size(), output.bars())) {
                evaluation = new Evaluator(predictor, DemoRecipe.BATCH).evaluateBoth(test, Evaluator.Resolution.ORIGINAL,
                        ProgressBars.stepper(bar));
            }
            output.detail("evaluated %d samples in %.1f s", test.size(), (System.nanoTime() - evalStart) / 1e9);
            System.out.println("3/4 held-out test scenes (never seen in training), masks at the images' own size:");
            System.out.println(evaluation.classic().table());
            if (evaluation.generalized().isGeneralized()) {
                System.out.println(evaluation.generalized().table());
            }

            List<ReferringSample> picked = Gallery.pick(test, GALLERY_SCENES, seed);
            Gallery.Result result = Gallery.draw(predictor, picked, Images.read(curve), String.format(Locale.ROOT,
                    "%d held-out test scenes drawn at random (seed %d): orange = predicted, cyan outline = ground truth",
                    picked.size(), seed));
            ReferringSample first = picked.get(0);
            BufferedImage image = Images.read(first.imagePath());
            List<WordMaps.WordMap> maps = new BtdNetSegmenter(predictor, null).wordMaps(image, first.sentence());
            Images.write(result.picture(), "png", gallery);
            List<Path> files = WordMaps.write(image, maps, wordMaps);
            for (Gallery.Entry e : result.entries()) {
                output.detail("  IoU %.2f  \"%s\"  %s", e.iou(), e.sample().sentence(), e.sample().imagePath());
            }
            System.out.printf(Locale.ROOT, "4/4 gallery of %d held-out scenes (mean IoU %.2f) -> %s%n", picked.size(),
                    result.meanIoU(), gallery);
            System.out.printf("    where each word of \"%s\" looks -> %s%n", first.sentence(), files.get(files.size() - 1));
        }
        System.out.printf(Locale.ROOT, "demo done in %.1f min. Pictures: %s, %s; checkpoint: %s%n",
                (System.nanoTime() - start) / 6e10, gallery.toAbsolutePath(), curve.toAbsolutePath(),
                checkpoint.toAbsolutePath());
        System.out.println("Try: ./rrsis4j segment --checkpoint " + checkpoint
                + " --image IMAGE --text \"...\" --out mask.png --explain word-maps/");
        return 0;
    }
}
