package io.rrsis4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.rrsis4j.data.BinaryMask;
import io.rrsis4j.data.Datasets;
import io.rrsis4j.data.ImageTransforms;
import io.rrsis4j.data.Images;
import io.rrsis4j.data.ReferringSample;
import io.rrsis4j.data.TargetKind;
import io.rrsis4j.data.synthetic.SyntheticDatasets;
import io.rrsis4j.data.text.WordPieceTokenizer;
import io.rrsis4j.model.BtdNet;
import io.rrsis4j.model.BtdNetConfig;
import io.rrsis4j.model.runtime.Predictor;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluatorTest {

    @Test
    void engineSideCountsEqualTheMetricsOfJavaMasks() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] p = {0.9f, 0.2f, 0.6f, 0.4f, /* sample 2 */ 0.1f, 0.1f, 0.1f, 0.1f};
            byte[] g = {1, 1, 0, 0, /* sample 2 */ 0, 0, 0, 0};
            SegmentationMetrics onEngine = new SegmentationMetrics();
            Evaluator.addCounts(m.create(p, new Shape(2, 2, 2)),
                    m.create(java.nio.ByteBuffer.wrap(g), new Shape(2, 2, 2), DataType.INT8),
                    List.of(TargetKind.SINGLE, TargetKind.SINGLE), new Evaluator.Metrics(onEngine, new GeneralizedMetrics()));
            SegmentationMetrics inJava = new SegmentationMetrics();
            inJava.add(new BinaryMask(2, 2, new byte[] {1, 0, 1, 0}), new BinaryMask(2, 2, new byte[] {1, 1, 0, 0}));
            inJava.add(new BinaryMask(2, 2, new byte[4]), new BinaryMask(2, 2, new byte[4]));
            assertEquals(inJava.oIoU(), onEngine.oIoU(), 1e-12);
            assertEquals(inJava.mIoU(), onEngine.mIoU(), 1e-12);
            assertEquals(1.0 / 3, onEngine.oIoU(), 1e-12); // I = 1, U = 3 over both samples
        }
    }

    @Test
    void engineSideCountsGiveGresScoresByKind() {
        try (NDManager m = NDManager.newBaseManager()) {
            // sample 1 single: pred 1010, truth 1100 (I 1, U 3); sample 2 no target predicted 0100 (U 1, a miss);
            // sample 3 no target predicted empty (right)
            float[] p = {0.9f, 0.2f, 0.6f, 0.4f, 0.1f, 0.7f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f};
            byte[] g = {1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
            Evaluator.Metrics metrics = new Evaluator.Metrics(new SegmentationMetrics(), new GeneralizedMetrics());
            Evaluator.addCounts(m.create(p, new Shape(3, 2, 2)),
                    m.create(java.nio.ByteBuffer.wrap(g), new Shape(3, 2, 2), DataType.INT8),
                    List.of(TargetKind.SINGLE, TargetKind.NONE, TargetKind.NONE), metrics);
            GeneralizedMetrics.Scores s = metrics.generalized().report().all();
            assertEquals(100.0 * 1 / 4, s.cIoU(), 1e-9);
            assertEquals(100 * (1.0 / 3 + 0 + 1) / 3, s.gIoU(), 1e-9);
            assertEquals(50, s.nAcc(), 1e-9);
            assertEquals(100, s.tAcc(), 1e-9);
            assertEquals(3, metrics.classic().count());
        }
    }

    @Test
    void theGresTableOfAGeneralizedSetFollowsEachSamplesKind(@TempDir Path root) throws Exception {
        SyntheticDatasets.write(root, Datasets.Format.GREFS, 8, 64, 5, 0.3, 0.3);
        List<ReferringSample> samples = Datasets.read(root, Datasets.Format.GREFS, "train");
        BtdNetConfig config = BtdNetConfig.micro();
        try (NDManager m = NDManager.newBaseManager()) {
            BtdNet net = new BtdNet(config);
            net.initialize(m, DataType.FLOAT32);
            Predictor predictor = new Predictor(net, WordPieceTokenizer.bundled(), m);
            List<SampleScore> each = new java.util.ArrayList<>();
            Evaluator.Evaluation both = new Evaluator(predictor, 4).evaluateBoth(samples, Evaluator.Resolution.MODEL,
                    n -> {}, each::add);
            GeneralizedMetrics expected = new GeneralizedMetrics();
            int size = config.imageSize();
            assertEquals(samples.size(), each.size());
            for (int k = 0; k < samples.size(); k++) {
                ReferringSample s = samples.get(k);
                float[] p = predictor.atModelSize(List.of(Images.read(s.imagePath())), List.of(s.sentence())).get(0);
                BinaryMask truth = s.mask().load();
                BinaryMask prediction = BinaryMask.above(p, size, size, 0.5f);
                BinaryMask atInput = new BinaryMask(size, size, ImageTransforms.maskToSize(truth, size));
                expected.add(s.kindIn(truth), prediction, atInput);
                // each sample's own counts, in the split's order
                long[] iu = SegmentationMetrics.pixelCounts(prediction, atInput);
                SampleScore got = each.get(k);
                assertEquals(s, got.sample());
                assertEquals(s.kindIn(truth), got.kind());
                assertEquals(iu[0], got.intersection());
                assertEquals(iu[1], got.union());
                assertEquals(iu[2], got.predicted());
                assertEquals(SegmentationMetrics.pixelCounts(atInput, atInput)[2], got.truth());
            }
            GeneralizedMetrics.Report want = expected.report();
            assertTrue(want.isGeneralized() && both.generalized().isGeneralized());
            assertEquals(want.byKind().keySet(), both.generalized().byKind().keySet());
            assertEquals(want.all().gIoU(), both.generalized().all().gIoU(), 1e-6);
            assertEquals(want.all().nAcc(), both.generalized().all().nAcc(), 1e-6);
            assertEquals(want.all().tAcc(), both.generalized().all().tAcc(), 1e-6);
            assertEquals(samples.size(), both.classic().samples());
        }
    }

    @Test
    void batchedEvaluationEqualsOneSampleAtATimeThroughThePredictor(@TempDir Path root) throws Exception {
        SyntheticDatasets.write(root, Datasets.Format.RRSISD, 6, 96, 3);
        List<ReferringSample> samples = Datasets.read(root, Datasets.Format.RRSISD, "train").subList(0, 5);
        BtdNetConfig config = BtdNetConfig.micro();
        try (NDManager m = NDManager.newBaseManager()) {
            BtdNet net = new BtdNet(config);
            net.initialize(m, DataType.FLOAT32);
            Predictor predictor = new Predictor(net, WordPieceTokenizer.bundled(), m);
            SegmentationMetrics.Report batched = new Evaluator(predictor, 3).evaluate(samples, Evaluator.Resolution.MODEL);

            SegmentationMetrics expected = new SegmentationMetrics();
            for (ReferringSample s : samples) {
                BufferedImage image = Images.read(s.imagePath());
                float[] p = predictor.atModelSize(List.of(image), List.of(s.sentence())).get(0);
                byte[] pred = new byte[p.length];
                for (int i = 0; i < p.length; i++) {
                    pred[i] = (byte) (p[i] > 0.5f ? 1 : 0);
                }
                int size = config.imageSize();
                expected.add(new BinaryMask(size, size, pred), new BinaryMask(size, size, ImageTransforms.maskToSize(s.mask().load(), size)));
            }
            assertEquals(samples.size(), batched.samples());
            assertEquals(expected.report().oIoU(), batched.oIoU(), 1e-6);
            assertEquals(expected.report().mIoU(), batched.mIoU(), 1e-6);
        }
    }
}
