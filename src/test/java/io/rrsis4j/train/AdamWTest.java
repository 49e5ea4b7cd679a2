package io.rrsis4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import io.rrsis4j.model.BtdNet;
import io.rrsis4j.model.BtdNetConfig;
import io.rrsis4j.model.ParameterPaths;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdamWTest {

    @Test
    void polynomialScheduleDecaysPerIteration() {
        PolyLearningRate lr = new PolyLearningRate(1e-3, 100, 0.9);
        assertEquals(1e-3, lr.at(0), 1e-15);
        assertEquals(1e-3 * Math.pow(0.5, 0.9), lr.at(50), 1e-12);
        assertEquals(1e-3 * Math.pow(0.01, 0.9), lr.at(99), 1e-12);
        assertEquals(0, lr.at(100), 1e-15);
        assertTrue(lr.at(10) > lr.at(11));
    }

    @Test
    void weightDecayGroupsOfTheNetwork() {
        try (NDManager m = NDManager.newBaseManager()) {
            BtdNet net = new BtdNet(BtdNetConfig.micro());
            net.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32);
            Map<String, Parameter> params = ParameterPaths.of(net);
            int decayed = 0;
            int kept = 0;
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                boolean d = AdamW.decays(e.getKey(), e.getValue().getArray().getShape());
                String n = e.getKey();
                if (n.endsWith(".bias") || n.contains("norm") || n.endsWith("relative_position_bias_table")) {
                    assertFalse(d, n + " must not be decayed");
                }
                if (d) {
                    decayed++;
                } else {
                    kept++;
                }
            }
            assertTrue(params.containsKey("swin.layers.0.blocks.0.attn.qkv.weight"));
            assertTrue(AdamW.decays("swin.layers.0.blocks.0.attn.qkv.weight",
                    params.get("swin.layers.0.blocks.0.attn.qkv.weight").getArray().getShape()));
            assertFalse(AdamW.decays("swin.layers.0.blocks.0.attn.relative_position_bias_table", new Shape(25, 1)));
            assertTrue(decayed > 20 && kept > 20, decayed + " decayed, " + kept + " not");
        }
    }

    /** Two updates of a 3-element weight (decayed) and a bias (not), against the formulas written out by hand. */
    @Test
    void updateMatchesHandComputation() {
        double lr = 0.1;
        double wd = 0.5;
        double b1 = 0.9;
        double b2 = 0.999;
        double eps = 1e-8;
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter w = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
            Parameter b = Parameter.builder().setName("b").setType(Parameter.Type.BIAS).build();
            w.setArray(m.create(new float[] {1f, -2f, 0.5f}, new Shape(1, 3)));
            b.setArray(m.create(new float[] {0.3f, 0.3f, 0.3f}, new Shape(3)));
            w.getArray().setRequiresGradient(true);
            b.getArray().setRequiresGradient(true);
            Map<String, Parameter> params = new LinkedHashMap<>();
            params.put("layer.weight", w);
            params.put("layer.bias", b);
            AdamW opt = new AdamW(m, wd, b1, b2, eps);
            double[] pw = {1, -2, 0.5};
            double[] pb = {0.3, 0.3, 0.3};
            double[] x = {2, 1, -3};
            double[][] mw = new double[2][3];
            double[][] mb = new double[2][3];
            for (int t = 1; t <= 2; t++) {
                try (NDManager sm = m.newSubManager()) {
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        Gradients.zero(params.values()); // as the trainer does
                        // loss = sum((w * x + b)^2): dL/dw = 2 (w x + b) x, dL/db = 2 (w x + b)
                        NDArray y = w.getArray().reshape(3).mul(sm.create(new float[] {2f, 1f, -3f})).add(b.getArray());
                        gc.backward(y.square().sum());
                    }
                    opt.update(params, lr, sm);
                }
                double bc1 = 1 - Math.pow(b1, t);
                double bc2 = 1 - Math.pow(b2, t);
                for (int i = 0; i < 3; i++) {
                    double r = pw[i] * x[i] + pb[i];
                    double gw = 2 * r * x[i];
                    double gb = 2 * r;
                    pw[i] *= 1 - lr * wd;
                    mw[0][i] = b1 * mw[0][i] + (1 - b1) * gw;
                    mw[1][i] = b2 * mw[1][i] + (1 - b2) * gw * gw;
                    pw[i] -= lr / bc1 * mw[0][i] / (Math.sqrt(mw[1][i]) / Math.sqrt(bc2) + eps);
                    mb[0][i] = b1 * mb[0][i] + (1 - b1) * gb;
                    mb[1][i] = b2 * mb[1][i] + (1 - b2) * gb * gb;
                    pb[i] -= lr / bc1 * mb[0][i] / (Math.sqrt(mb[1][i]) / Math.sqrt(bc2) + eps);
                }
            }
            float[] gotW = w.getArray().toFloatArray();
            float[] gotB = b.getArray().toFloatArray();
            for (int i = 0; i < 3; i++) {
                assertEquals(pw[i], gotW[i], 1e-5, "weight " + i);
                assertEquals(pb[i], gotB[i], 1e-5, "bias " + i);
            }
            assertEquals(2, opt.updates());
            assertEquals(4, opt.state().size());
        }
    }
}
