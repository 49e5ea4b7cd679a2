package io.rrsis4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class BidirectionalSpatialCorrelationTest {
    private static final int C = 16;
    private static final int D = 24;

    private static NDList run(BidirectionalSpatialCorrelation bsc, NDManager m, NDArray vis, NDArray words, NDArray mask) {
        return bsc.forward(new ParameterStore(m, false), new NDList(vis, words, mask), false);
    }

    @Test
    void shapesAndPaddedWordsIgnored() {
        try (NDManager m = NDManager.newBaseManager()) {
            m.getEngine().setRandomSeed(3);
            BidirectionalSpatialCorrelation bsc = BlockTesting.init(new BidirectionalSpatialCorrelation(C, D, 4, true, true), m,
                    new Shape(2, C, 6, 5), new Shape(2, 7, D), new Shape(2, 7));
            NDArray vis = m.randomNormal(new Shape(2, C, 6, 5));
            NDArray words = m.randomNormal(new Shape(2, 7, D));
            NDArray mask = m.create(new long[] {1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1}, new Shape(2, 7));
            NDList out = run(bsc, m, vis, words, mask);
            assertEquals(new Shape(2, C, 6, 5), out.get(0).getShape());
            assertEquals(new Shape(2, 7, D), out.get(1).getShape());
            assertTrue(BlockTesting.maxAbsDiff(out.get(0), vis) > 1e-6, "the fusion must change the map");
            // real words are updated, padded ones are kept as they were
            assertTrue(BlockTesting.maxAbsDiff(out.get(1).get("0,:4"), words.get("0,:4")) > 1e-3);
            assertEquals(0.0, BlockTesting.maxAbsDiff(out.get(1).get("0,4:"), words.get("0,4:")), 0.0);

            // scrambling the padded words of sample 0 changes nothing real
            NDArray scrambled = words.duplicate();
            scrambled.set(new NDIndex("0,4:"), m.randomNormal(new Shape(3, D)).mul(10));
            NDList out2 = run(bsc, m, vis, scrambled, mask);
            assertTrue(BlockTesting.maxAbsDiff(out.get(0), out2.get(0)) < 1e-5);
            assertTrue(BlockTesting.maxAbsDiff(out.get(1).get("0,:4"), out2.get(1).get("0,:4")) < 1e-5);
            // while a real word does matter
            NDArray changedReal = words.duplicate();
            changedReal.set(new NDIndex("0,1"), m.randomNormal(new Shape(D)).mul(10));
            assertTrue(BlockTesting.maxAbsDiff(out.get(0), run(bsc, m, vis, changedReal, mask).get(0)) > 1e-6);
        }
    }

    /**
     * The word maps: one per word over the stage's pixels, each a distribution; a word looks where its key meets the
     * pixels' queries, so two different words look differently; asking for them leaves the forward pass as it was.
     */
    @Test
    void wordAttentionIsADistributionOverPixelsPerWord() {
        try (NDManager m = NDManager.newBaseManager()) {
            m.getEngine().setRandomSeed(4);
            BidirectionalSpatialCorrelation bsc = BlockTesting.init(new BidirectionalSpatialCorrelation(C, D, 4, true, true), m,
                    new Shape(1, C, 6, 5), new Shape(1, 3, D), new Shape(1, 3));
            NDArray vis = m.randomNormal(new Shape(1, C, 6, 5));
            NDArray words = m.randomNormal(new Shape(1, 3, D)).mul(3);
            NDArray mask = m.ones(new Shape(1, 3)).toType(ai.djl.ndarray.types.DataType.INT64, false);
            NDList before = run(bsc, m, vis, words, mask);
            NDArray maps = bsc.wordAttention(new ParameterStore(m, false), vis, words);
            assertEquals(new Shape(1, 3, 6, 5), maps.getShape());
            float[] sums = maps.sum(new int[] {2, 3}).toFloatArray();
            for (float sum : sums) {
                assertEquals(1.0, sum, 1e-5);
            }
            assertTrue(maps.min().getFloat() >= 0);
            assertTrue(BlockTesting.maxAbsDiff(maps.get("0,0"), maps.get("0,1")) > 1e-4, "two words, two maps");
            assertTrue(maps.get("0,0").max().getFloat() > 1.5f / 30, "a word prefers some pixels");
            assertEquals(0.0, BlockTesting.maxAbsDiff(before.get(0), run(bsc, m, vis, words, mask).get(0)), 0.0);
        }
    }

    @Test
    void oneWayAblationLeavesWordsAndHasFewerParameters() {
        try (NDManager m = NDManager.newBaseManager()) {
            BidirectionalSpatialCorrelation off = BlockTesting.init(new BidirectionalSpatialCorrelation(C, D, 2, false, false), m,
                    new Shape(1, C, 4, 4), new Shape(1, 5, D), new Shape(1, 5));
            BidirectionalSpatialCorrelation on = new BidirectionalSpatialCorrelation(C, D, 2, true, false);
            NDArray vis = m.randomNormal(new Shape(1, C, 4, 4));
            NDArray words = m.randomNormal(new Shape(1, 5, D));
            NDList out = run(off, m, vis, words, m.ones(new Shape(1, 5)).toType(ai.djl.ndarray.types.DataType.INT64, false));
            assertEquals(0.0, BlockTesting.maxAbsDiff(out.get(1), words), 0.0);
            assertTrue(BlockTesting.maxAbsDiff(out.get(0), vis) > 1e-6);
            assertTrue(ParameterPaths.of(on).keySet().containsAll(ParameterPaths.of(off).keySet()));
            assertTrue(ParameterPaths.of(on).keySet().contains("word_out.weight"));
            assertTrue(!ParameterPaths.of(off).keySet().contains("word_out.weight"));
        }
    }

    /**
     * On a map where every pixel looks the same, only the coordinates can tell pixels apart: with positions the
     * words read the image differently per place and the fused pixels differ; without them every pixel is alike.
     */
    @Test
    void positionsLetIdenticalPixelsDifferByPlace() {
        try (NDManager m = NDManager.newBaseManager()) {
            m.getEngine().setRandomSeed(5);
            Shape map = new Shape(1, C, 5, 5);
            NDArray vis = m.randomNormal(new Shape(1, C, 1, 1)).broadcast(map);
            NDArray words = m.randomNormal(new Shape(1, 4, D));
            NDArray mask = m.ones(new Shape(1, 4)).toType(ai.djl.ndarray.types.DataType.INT64, false);
            for (boolean positions : new boolean[] {false, true}) {
                BidirectionalSpatialCorrelation bsc = BlockTesting.init(
                        new BidirectionalSpatialCorrelation(C, D, 2, true, positions), m, map, new Shape(1, 4, D),
                        new Shape(1, 4));
                NDArray out = run(bsc, m, vis, words, mask).get(0);
                // the centre pixel against every pixel, away from the zero-padded border of the 3 x 3 context
                NDArray inner = out.get(":,:,1:4,1:4");
                double spread = BlockTesting.maxAbsDiff(inner, out.get(":,:,2:3,2:3").broadcast(inner.getShape()));
                assertEquals(positions, spread > 1e-4, "positions " + positions + ": spread " + spread);
                assertEquals(positions, ParameterPaths.of(bsc).containsKey("position.weight"));
            }
        }
    }

    @Test
    void coordinatesAreCellBoundsAndCentres() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] c = BidirectionalSpatialCorrelation.coordinates(m, 2, 4).toFloatArray();
            // row 0, column 3 of a 2 x 4 grid: x from 0.5 to 1, y from -1 to 0
            float[] expected = {0.5f, -1f, 1f, 0f, 0.75f, -0.5f, 0.25f, 0.5f};
            for (int k = 0; k < 8; k++) {
                assertEquals(expected[k], c[3 * 8 + k], 1e-6, "feature " + k);
            }
        }
    }
}
