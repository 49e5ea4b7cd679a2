package io.rrsis4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class BtdNetLossTest {
    private static NDArray named(NDArray a, String name) {
        a.setName(name);
        return a;
    }

    /** (1, 4, 4) mask with a 2 x 2 object. */
    private static NDArray mask(NDManager m) {
        return m.create(new float[] {0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0}, new Shape(1, 4, 4));
    }

    /** Logits (1, 2, 4, 4) that say the mask with margin k: target channel = k (2 t - 1), background its negative. */
    private static NDArray confident(NDArray mask, float k) {
        NDArray fg = mask.mul(2).sub(1).mul(k);
        return fg.neg().expandDims(1).concat(fg.expandDims(1), 1);
    }

    @Test
    void perfectLogitsGiveNearZeroLossAndWrongOnesALargeOne() {
        try (NDManager m = NDManager.newBaseManager()) {
            BtdNetLoss loss = new BtdNetLoss(BtdNetConfig.micro().withAblation(true, false, false));
            NDArray t = mask(m);
            float good = loss.compute(new NDList(named(confident(t, 20), "logits")), t, null).total().getFloat();
            float bad = loss.compute(new NDList(named(confident(t, -20), "logits")), t, null).total().getFloat();
            assertTrue(good < 1e-3, "perfect logits: " + good);
            // wrong with margin 20: CE ~ 40, Dice ~ 1 - 1/5 (no overlap, smooth 1)
            assertEquals(0.9 * 40 + 0.1 * (1 - 1.0 / 5), bad, 0.05);
        }
    }

    @Test
    void weightedCrossEntropyMatchesHandComputation() {
        try (NDManager m = NDManager.newBaseManager()) {
            BtdNetLoss loss = new BtdNetLoss(BtdNetConfig.micro());
            NDArray t = mask(m);
            NDArray zero = m.zeros(new Shape(1, 2, 4, 4)); // p = 0.5 everywhere
            float seg = loss.segmentation(zero, t).getFloat();
            // CE = ln 2 whatever the weights; Dice = 1 - (2*2 + 1)/(8 + 4 + 1)
            double expected = 0.9 * Math.log(2) + 0.1 * (1 - 5.0 / 13);
            assertEquals(expected, seg, 1e-5);
        }
    }

    @Test
    void streamAndReconstructionTermsEnterWithTheirWeights() {
        try (NDManager m = NDManager.newBaseManager()) {
            BtdNetConfig cfg = BtdNetConfig.micro();
            BtdNetLoss loss = new BtdNetLoss(cfg);
            NDArray t = mask(m);
            NDArray small = t.expandDims(1).get(":,:,::2,::2"); // (1, 1, 2, 2) stride-2 stand-in for stride 4
            NDArray pt = named(m.zeros(new Shape(1, 1, 1, 1)), "target");
            NDArray pb = named(m.zeros(new Shape(1, 1, 1, 1)), "background");
            NDArray recon = named(m.zeros(new Shape(1, 3, 5)), "reconstruction"); // uniform over 5 words
            NDArray labels = m.create(new long[] {-1, 2, 4}, new Shape(1, 3));
            BtdNetLoss.Terms terms = loss.compute(new NDList(named(confident(t, 20), "logits"), pt, pb, recon), t, labels);
            // p = 0.5: BCE = ln 2; Dice fg = 1 - (2*2 + 1)/(8 + 4 + 1), Dice bg = 1 - (2*6 + 1)/(8 + 12 + 1)
            assertEquals(Math.log(2) + 1 - 5.0 / 13, terms.target().getFloat(), 1e-5);
            assertEquals(Math.log(2) + 1 - 13.0 / 21, terms.background().getFloat(), 1e-5);
            assertEquals(Math.log(5), terms.reconstruction().getFloat(), 1e-5);
            double expected = terms.segmentation().getFloat() + 0.5 * terms.target().getFloat()
                    + 0.5 * terms.background().getFloat() + 0.1 * Math.log(5);
            assertEquals(expected, terms.total().getFloat(), 1e-5);
            assertEquals(5, terms.values().size());
            assertTrue(small.size() == 4);
        }
    }

    @Test
    void noErasedPositionGivesZeroReconstructionAndSwitchesDropTerms() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray labels = m.create(new long[] {-1, -1}, new Shape(1, 2));
            assertEquals(0f, BtdNetLoss.reconstruction(m.randomNormal(new Shape(1, 2, 7)), labels).getFloat(), 0f);
            NDArray t = mask(m);
            BtdNetLoss off = new BtdNetLoss(BtdNetConfig.micro().withAblation(true, true, false));
            NDArray recon = named(m.zeros(new Shape(1, 2, 7)), "reconstruction");
            BtdNetLoss.Terms terms = off.compute(new NDList(named(confident(t, 3), "logits"), recon), t,
                    m.create(new long[] {1, 1}, new Shape(1, 2)));
            assertNull(terms.reconstruction());
            assertNull(terms.target());
            assertEquals(terms.segmentation().getFloat(), terms.total().getFloat(), 0f);
        }
    }
}
