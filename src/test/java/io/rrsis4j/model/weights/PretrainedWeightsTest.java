package io.rrsis4j.model.weights;

import io.rrsis4j.io.torch.TensorData;
import io.rrsis4j.model.ParameterPaths;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.*;

class PretrainedWeightsTest {
    @Test
    void bicubicResizeKeepsConstantsAndLinearRampsInside() {
        int l1 = 13; // window 7
        float[] c = new float[l1 * l1 * 2];
        for (int y = 0; y < l1; y++) {
            for (int x = 0; x < l1; x++) {
                c[(y * l1 + x) * 2] = 3f;
                c[(y * l1 + x) * 2 + 1] = x + 2f * y;
            }
        }
        TensorData r = PretrainedWeights.resizeBiasTable(TensorData.ofFloats(new long[] {l1 * l1, 2}, c), 23);
        assertArrayEquals(new long[] {23 * 23, 2}, r.shape());
        // output (11, 11) samples source (6, 6) exactly ((13*11 - 5) / 23 = 6), where the kernel is (0, 1, 0, 0)
        assertEquals(6 + 2 * 6, r.floats()[(11 * 23 + 11) * 2 + 1], 1e-5);
        double scale = 13.0 / 23;
        for (int y = 0; y < 23; y++) {
            for (int x = 0; x < 23; x++) {
                assertEquals(3f, r.floats()[(y * 23 + x) * 2], 1e-5);
                double sx = (x + 0.5) * scale - 0.5;
                double sy = (y + 0.5) * scale - 0.5;
                // a = -0.75 reproduces ramps only approximately; inside the clamped border it stays close and monotone
                if (sx >= 1 && sx <= l1 - 2 && sy >= 1 && sy <= l1 - 2) {
                    assertEquals(sx + 2 * sy, r.floats()[(y * 23 + x) * 2 + 1], 0.15);
                }
                if (x > 0) {
                    assertTrue(r.floats()[(y * 23 + x) * 2 + 1] > r.floats()[(y * 23 + x - 1) * 2 + 1]);
                }
            }
        }
    }

    @Test
    void importListsMissingAndUnexpectedNamesAndChecksShapes() {
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            ai.djl.nn.Block b = ai.djl.nn.core.Linear.builder().setUnits(2).build();
            b.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new ai.djl.ndarray.types.Shape(1, 3));
            var params = ParameterPaths.of(b);
            java.nio.file.Path f = java.nio.file.Path.of("w.pth");
            var src = new java.util.LinkedHashMap<String, TensorData>();
            src.put("weight", TensorData.ofFloats(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));
            src.put("extra.weight", TensorData.ofFloats(new long[] {1}, new float[] {0}));
            var e = assertThrows(io.rrsis4j.InvalidInputException.class, () -> PretrainedWeights.copyAll(f, src, params, false));
            assertTrue(e.getMessage().contains("missing [bias]") && e.getMessage().contains("unexpected [extra.weight]"), e.getMessage());
            src.remove("extra.weight");
            PretrainedWeights.copyAll(f, src, params, true);
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, params.get("weight").getArray().toFloatArray());
            src.put("weight", TensorData.ofFloats(new long[] {3, 2}, new float[6]));
            e = assertThrows(io.rrsis4j.InvalidInputException.class, () -> PretrainedWeights.copyAll(f, src, params, true));
            assertTrue(e.getMessage().contains("[3, 2]") && e.getMessage().contains("[2, 3]"), e.getMessage());
        }
    }
}
