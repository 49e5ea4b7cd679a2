package io.rrsis4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The generalized switch: the presence output, its loss, and how no-target samples enter the other terms. */
class GeneralizedBtdNetTest {

    private static NDArray named(NDArray a, String name) {
        a.setName(name);
        return a;
    }

    @Test
    void thePaperConfigurationsAreNotGeneralizedAndOlderJsonReadsAsOff() {
        for (BtdNetConfig c : List.of(BtdNetConfig.micro(), BtdNetConfig.tiny(), BtdNetConfig.small(), BtdNetConfig.base())) {
            assertFalse(c.generalized());
            assertEquals(0, c.lambdaPresence());
        }
        String older = BtdNetConfig.micro().toJson().replaceAll(",\\s*\"generalized\" : false", "")
                .replaceAll(",\\s*\"lambdaPresence\" : 0\\.0", "");
        assertFalse(older.contains("generalized") || older.contains("lambdaPresence"), older);
        assertEquals(BtdNetConfig.micro(), BtdNetConfig.fromJson(older));
        BtdNetConfig on = BtdNetConfig.micro().withGeneralized(true, 2.5);
        assertEquals(on, BtdNetConfig.fromJson(on.toJson()));
        assertEquals(2.5, on.lambdaPresence());
        assertEquals(BtdNetConfig.micro(), on.withGeneralized(false, 2.5));
    }

    @Test
    void aGeneralizedNetworkAddsOnePresenceLogitPerPairAndOnlyItsParameters() {
        try (NDManager m = NDManager.newBaseManager()) {
            BtdNetConfig cfg = BtdNetConfig.micro().withGeneralized(true, 1);
            BtdNet net = BtdNetTest.create(cfg, m);
            BtdNet plain = BtdNetTest.create(BtdNetConfig.micro(), m);
            int s = cfg.imageSize();
            NDArray image = m.randomNormal(new Shape(2, 3, s, s));
            NDList t = BtdNetTest.text(m, List.of("the red car", "all the storage tanks"), new Random(1));
            NDList train = net.forward(new ParameterStore(m, false), new NDList(image, t.get(0), t.get(1), t.get(2)), true);
            assertEquals(5, train.size());
            assertEquals(new Shape(2, 1), train.get("presence").getShape());
            Shape[] declared = net.getOutputShapes(new Shape[] {image.getShape(), t.get(0).getShape(),
                    t.get(1).getShape(), t.get(2).getShape()});
            for (int i = 0; i < train.size(); i++) {
                assertEquals(declared[i], train.get(i).getShape(), "output " + i);
            }
            Set<String> extra = new java.util.TreeSet<>(ParameterPaths.of(net).keySet());
            extra.removeAll(ParameterPaths.of(plain).keySet());
            assertEquals(Set.of("decoder.presence.hidden.weight", "decoder.presence.hidden.bias",
                    "decoder.presence.out.weight", "decoder.presence.out.bias"), extra);
            // T-BTD off: the head reads the fused map and the target-minus-background logit
            BtdNet single = BtdNetTest.create(cfg.withAblation(true, false, false), m);
            NDList out = single.forward(new ParameterStore(m, false), new NDList(image, t.get(0), t.get(1)), false);
            assertEquals(new Shape(2, 1), out.get("presence").getShape());
        }
    }

    @Test
    void presenceLossIsTheBceOfMaskNotEmptyAndAbsentSamplesSkipDiceAndReconstruction() {
        try (NDManager m = NDManager.newBaseManager()) {
            BtdNetConfig cfg = BtdNetConfig.micro().withAblation(true, false, true).withGeneralized(true, 2);
            BtdNetLoss loss = new BtdNetLoss(cfg);
            // sample 0: a 2 x 2 object in a 4 x 4 mask; sample 1: no target
            float[] px = new float[32];
            for (int i : new int[] {5, 6, 9, 10}) {
                px[i] = 1;
            }
            NDArray mask = m.create(px, new Shape(2, 4, 4));
            NDArray logits = named(m.zeros(new Shape(2, 2, 4, 4)), "logits"); // p = 0.5 everywhere
            NDArray presence = named(m.create(new float[] {0, 0}, new Shape(2, 1)), "presence");
            NDArray recon = named(m.zeros(new Shape(2, 3, 5)), "reconstruction");
            NDArray labels = m.create(new long[] {-1, 2, 4, 1, -1, 3}, new Shape(2, 3));
            BtdNetLoss.Terms terms = loss.compute(new NDList(logits, presence, recon), mask, labels);
            assertEquals(Math.log(2), terms.presence().getFloat(), 1e-5);
            // CE = ln 2 over all pixels; Dice over sample 0 only: 1 - (2*2 + 1)/(8 + 4 + 1)
            assertEquals(0.9 * Math.log(2) + 0.1 * (1 - 5.0 / 13), terms.segmentation().getFloat(), 1e-5);
            // the absent sample's two erased positions are ignored: ln 5 over sample 0's two
            assertEquals(Math.log(5), terms.reconstruction().getFloat(), 1e-5);
            assertEquals(terms.segmentation().getFloat() + 0.1 * Math.log(5) + 2 * Math.log(2), terms.total().getFloat(), 1e-5);
            assertTrue(terms.values().containsKey("pr"));
            // confident and right presence logits: near zero presence loss
            NDArray right = named(m.create(new float[] {20, -20}, new Shape(2, 1)), "presence");
            assertTrue(loss.compute(new NDList(logits, right), mask, null).presence().getFloat() < 1e-6);
            // the paper's configuration: the Dice term counts the empty sample, 1 - 1/(16 * 0.5 + 1)
            BtdNetLoss paper = new BtdNetLoss(BtdNetConfig.micro().withAblation(true, false, false));
            BtdNetLoss.Terms p = paper.compute(new NDList(logits, presence), mask, null);
            assertNull(p.presence());
            double dice = ((1 - 5.0 / 13) + (1 - 1.0 / 9)) / 2;
            assertEquals(0.9 * Math.log(2) + 0.1 * dice, p.total().getFloat(), 1e-5);
        }
    }
}
