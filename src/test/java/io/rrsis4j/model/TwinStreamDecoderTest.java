package io.rrsis4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TwinStreamDecoderTest {
    private static final int[] CHANNELS = {8, 16, 32, 64};
    private static final int TEXT = 12;

    private static NDList inputs(NDManager m, int batch, int size) {
        NDList in = new NDList();
        for (int i = 0; i < 4; i++) {
            int s = size / 4 >> i;
            in.add(m.randomNormal(new Shape(batch, CHANNELS[i], s, s)));
        }
        in.add(m.randomNormal(new Shape(batch, TEXT)));
        return in;
    }

    @Test
    void twinStreamShapesAndJointPrediction() {
        try (NDManager m = NDManager.newBaseManager()) {
            TwinStreamDecoder dec = BlockTesting.init(new TwinStreamDecoder(CHANNELS, TEXT, 16, new int[] {1, 2, 3}, true), m,
                    new Shape(2, 8, 16, 16));
            NDList out = dec.forward(new ParameterStore(m, false), inputs(m, 2, 64), false);
            assertEquals(new Shape(2, 2, 64, 64), out.get("logits").getShape());
            NDArray pt = out.get("target");
            NDArray pb = out.get("background");
            assertEquals(new Shape(2, 1, 16, 16), pt.getShape());
            assertEquals(new Shape(2, 1, 16, 16), pb.getShape());
            // a = 1, b = 0 at the start: stride-4 joint logits are exactly [Pb, Pt]
            NDArray joint = pb.concat(pt, 1);
            NDArray up = Layers.resizeBilinear(joint, 64, 64);
            assertTrue(BlockTesting.maxAbsDiff(up, out.get("logits")) < 1e-5);
            Map<String, Parameter> params = ParameterPaths.of(dec);
            assertTrue(params.containsKey("joint_scale") && params.containsKey("film_gamma.weight"));
            assertTrue(params.containsKey("lateral0.bn.running_mean"));
        }
    }

    @Test
    void singleStreamAblationHasOnlyLogits() {
        try (NDManager m = NDManager.newBaseManager()) {
            TwinStreamDecoder dec = BlockTesting.init(new TwinStreamDecoder(CHANNELS, TEXT, 16, new int[] {1, 2, 3}, false), m,
                    new Shape(1, 8, 16, 16));
            NDList out = dec.forward(new ParameterStore(m, false), inputs(m, 1, 64), false);
            assertEquals(1, out.size());
            assertEquals(new Shape(1, 2, 64, 64), out.get("logits").getShape());
            assertFalse(ParameterPaths.of(dec).containsKey("joint_scale"));
            assertNotNull(ParameterPaths.of(dec).get("head.weight"));
        }
    }

    @Test
    void batchNormUsesBatchStatisticsInTrainingAndRunningStatisticsInInference() {
        try (NDManager m = NDManager.newBaseManager()) {
            TwinStreamDecoder dec = BlockTesting.init(new TwinStreamDecoder(CHANNELS, TEXT, 16, new int[] {1, 2, 3}, true), m,
                    new Shape(2, 8, 16, 16));
            NDArray runningMean = ParameterPaths.of(dec).get("lateral0.bn.running_mean").getArray();
            NDArray before = runningMean.duplicate();
            NDList batch = inputs(m, 3, 32);
            // shift the stage-1 input so the batch mean is far from the initial running mean of 0
            batch.set(0, batch.get(0).add(5));
            dec.forward(new ParameterStore(m, false), batch, true);
            assertTrue(BlockTesting.maxAbsDiff(runningMean, before) > 1e-3, "training updates the running statistics");
            NDArray afterTraining = runningMean.duplicate();

            // inference at batch 1: running statistics are used and not changed; a sample's output does not
            // depend on the other samples it is batched with
            NDList one = inputs(m, 1, 32);
            NDArray alone = dec.forward(new ParameterStore(m, false), one, false).get("logits");
            assertEquals(0.0, BlockTesting.maxAbsDiff(runningMean, afterTraining), 0.0);
            NDList two = inputs(m, 2, 32);
            for (int i = 0; i < 5; i++) {
                two.set(i, one.get(i).concat(two.get(i), 0));
            }
            NDArray batched = dec.forward(new ParameterStore(m, false), two, false).get("logits").get("0:1");
            assertTrue(BlockTesting.maxAbsDiff(alone, batched) < 1e-4);
            assertFalse(Double.isNaN(alone.sum().getFloat()));
        }
    }
}
