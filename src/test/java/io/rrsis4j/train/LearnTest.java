package io.rrsis4j.train;

import ai.djl.ndarray.NDManager;
import io.rrsis4j.data.Datasets;
import io.rrsis4j.data.ReferringSample;
import io.rrsis4j.data.synthetic.SyntheticDatasets;
import io.rrsis4j.eval.Evaluator;
import io.rrsis4j.eval.SegmentationMetrics;
import io.rrsis4j.model.BtdNet;
import io.rrsis4j.model.BtdNetConfig;
import io.rrsis4j.model.runtime.Predictor;
import io.rrsis4j.model.weights.TrainedModel;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Micro BTDNet trained from scratch with the demo's recipe on synthetic scenes segments the referred object in
 * scenes it has never seen, and does so by reading the sentence: given another sample's sentence for the same
 * image, it scores far lower.
 */
@Tag("slow")
class LearnTest {
    @TempDir
    Path dir;

    @Test
    void microLearnsToSegmentUnseenScenesFromTheSentence() throws Exception {
        Path data = dir.resolve("data");
        DemoRecipe recipe = new DemoRecipe(DemoRecipe.SCENES, DemoRecipe.EPOCHS, 42);
        // Scenes at the model's input size (the demo writes them twice as large to test the upsampling too).
        SyntheticDatasets.write(data, Datasets.Format.RRSISD, recipe.scenes(), BtdNetConfig.micro().imageSize(), 5);
        TrainConfig config = recipe.config(data).withRun(42, 1000, false, 0, 0);
        Path run = dir.resolve("run");
        long t0 = System.nanoTime();
        Trainer.Result result = Trainer.start(config, run, new PrintStream(OutputStream.nullOutputStream()))
                .withoutProgressBar().run();
        double minutes = (System.nanoTime() - t0) / 60e9;
        List<ReferringSample> test = Datasets.read(data, Datasets.Format.RRSISD, "test");
        // Each test image paired with the sentence of a sample from another image (its mask kept): the text no
        // longer names the masked object.
        List<ReferringSample> scrambled = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) {
            ReferringSample s = test.get(i);
            ReferringSample other = s;
            for (int k = 1; k < test.size() && other.imageId().equals(s.imageId()); k++) {
                other = test.get((i + k * 7) % test.size());
            }
            scrambled.add(new ReferringSample(s.id(), s.imageId(), s.imagePath(), other.sentence(), s.category(),
                    s.split(), s.mask()));
        }
        try (NDManager m = NDManager.newBaseManager()) {
            BtdNet net = TrainedModel.loadModel(run, m);
            Evaluator evaluator = new Evaluator(new Predictor(net, Trainer.tokenizer(config), m), 16);
            SegmentationMetrics.Report real = evaluator.evaluate(test, Evaluator.Resolution.MODEL);
            SegmentationMetrics.Report wrong = evaluator.evaluate(scrambled, Evaluator.Resolution.MODEL);
            System.out.printf("micro, %d scenes at 96 px, %d epochs (%d steps) in %.1f min, %.1f images/s: "
                            + "test oIoU %.2f mIoU %.2f (%d samples); with other samples' sentences oIoU %.2f mIoU %.2f%n",
                    recipe.scenes(), recipe.epochs(), result.steps(), minutes, result.imagesPerSecond(), real.oIoU(), real.mIoU(),
                    real.samples(), wrong.oIoU(), wrong.mIoU());
            assertTrue(real.oIoU() >= 60, "test oIoU " + real.oIoU());
            assertTrue(real.oIoU() - wrong.oIoU() >= 20, "oIoU " + real.oIoU() + " vs scrambled " + wrong.oIoU());
        }
    }
}
