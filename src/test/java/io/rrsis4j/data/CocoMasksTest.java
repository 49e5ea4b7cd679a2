package io.rrsis4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CocoMasksTest {

    /** 3 x 2 mask (h = 2, w = 3): row 0 = 0 1 1, row 1 = 0 1 0. Column-major: 0 0 | 1 1 | 1 0 -> runs 2, 3, 1. */
    @Test
    void rleIsColumnMajorStartingWithBackground() {
        BinaryMask m = new BinaryMask(3, 2, new byte[] {0, 1, 1, 0, 1, 0});
        assertArrayEquals(new long[] {2, 3, 1}, CocoMasks.encode(m));
        assertEquals(m, CocoMasks.decode(new long[] {2, 3, 1}, 2, 3));
        BinaryMask first = new BinaryMask(2, 1, new byte[] {1, 0});
        assertArrayEquals(new long[] {0, 1, 1}, CocoMasks.encode(first));
    }

    @Test
    void compressedStringMatchesPycocotools() {
        // pycocotools: mask.encode of a 4 x 4 array with ones at [1:3, 1:3] gives counts b'52203' ... computed by hand:
        // column-major runs 5, 2, 2, 2, 5 -> deltas for i > 2: 5, 2, 2, 2-2=0, 5-2=3 -> chars '5','2','2','0','3'
        BinaryMask m = new BinaryMask(4, 4);
        for (int y = 1; y < 3; y++) {
            for (int x = 1; x < 3; x++) {
                m.set(x, y, true);
            }
        }
        long[] counts = CocoMasks.encode(m);
        assertArrayEquals(new long[] {5, 2, 2, 2, 5}, counts);
        assertEquals("52203", CocoMasks.toCompressedString(counts));
        assertArrayEquals(counts, CocoMasks.fromCompressedString("52203"));
    }

    @Test
    void compressedStringRoundTripsLargeAndNegativeDeltas() {
        long[] counts = {0, 640000, 12, 7, 99999, 3, 1, 250000};
        String s = CocoMasks.toCompressedString(counts);
        assertArrayEquals(counts, CocoMasks.fromCompressedString(s));
        // a count of 100 is 2 groups: 100 = 0b11_00100 -> low 5 bits 4 with continuation (4|0x20)+48 = 'T', then 3 + 48 = '3'
        assertEquals("T3", CocoMasks.toCompressedString(new long[] {100}));
    }

    @Test
    void rleCountsThatDoNotCoverTheImageAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CocoMasks.decode(new long[] {2, 3}, 2, 3));
        assertTrue(e.getMessage().contains("sum to 5"), e.getMessage());
    }

    @Test
    void polygonOnPixelCornersCoversThePixelsInside() {
        // square from (1, 1) to (3, 3): pixels 1..2 in x and y
        BinaryMask m = CocoMasks.rasterize(List.of(new double[] {1, 1, 3, 1, 3, 3, 1, 3}), 4, 5);
        assertEquals(4, m.count());
        assertTrue(m.get(1, 1) && m.get(2, 2) && !m.get(3, 3) && !m.get(0, 0));
        // triangle (0,0), (4,0), (0,4): centres with x + y < 3.5 ... (x+0.5)+(y+0.5) < 4 -> x + y <= 2: 6 pixels
        BinaryMask t = CocoMasks.rasterize(List.of(new double[] {0, 0, 4, 0, 0, 4}), 4, 4);
        assertEquals(6, t.count());
        // the union of two overlapping squares
        BinaryMask u = CocoMasks.rasterize(List.of(new double[] {0, 0, 2, 0, 2, 2, 0, 2}, new double[] {1, 1, 3, 1, 3, 3, 1, 3}), 3, 3);
        assertEquals(7, u.count());
    }

    /** Expected strings from pycocotools: mask.frPyObjects([poly], h, w)[0]["counts"]. */
    @Test
    void polygonsMatchPycocotoolsOffTheGrid() {
        assertEquals("031O1O5", rle(new double[] {0, 0, 4, 0, 0, 4}, 4, 4));
        assertEquals("413301O0001O0N2O6", rle(new double[] {1.3, 0.7, 7.9, 2.2, 5.1, 6.6, 0.4, 4.8}, 7, 9));
        assertEquals("0241O1O001O1", rle(new double[] {-2, 1, 5.5, -1, 6.2, 5.9}, 6, 6));
        assertEquals(27, CocoMasks.rasterize(List.of(new double[] {1.3, 0.7, 7.9, 2.2, 5.1, 6.6, 0.4, 4.8}), 7, 9).count());
    }

    private static String rle(double[] poly, int h, int w) {
        return CocoMasks.toCompressedString(CocoMasks.encode(CocoMasks.rasterize(List.of(poly), h, w)));
    }

    @Test
    void oddPolygonIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CocoMasks.rasterize(List.of(new double[] {0, 0, 3, 0, 3}), 4, 4));
        assertTrue(e.getMessage().contains("odd"), e.getMessage());
    }

    @Test
    void outlineOfRandomBlobsRasterisesBackExactly() {
        SplittableRandom rng = new SplittableRandom(3);
        int exact = 0;
        for (int k = 0; k < 50; k++) {
            BinaryMask m = new BinaryMask(20, 15);
            // a filled random rectangle plus a few pixels: convex-ish, may touch diagonally
            int x0 = rng.nextInt(10);
            int y0 = rng.nextInt(8);
            for (int y = y0; y < y0 + 1 + rng.nextInt(7); y++) {
                for (int x = x0; x < x0 + 1 + rng.nextInt(10); x++) {
                    m.set(x, y, true);
                }
            }
            m.set(rng.nextInt(20), rng.nextInt(15), true);
            BinaryMask back = CocoMasks.rasterize(CocoMasks.outline(m), 15, 20);
            if (back.equals(m)) {
                exact++;
            }
        }
        // hole-free shapes (all of these) come back exactly
        assertEquals(50, exact);
    }

    @Test
    void maskWithAHoleIsNotAUnionOfItsOutlines() {
        BinaryMask ring = new BinaryMask(5, 5);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 5; x++) {
                ring.set(x, y, x == 0 || y == 0 || x == 4 || y == 4);
            }
        }
        List<double[]> loops = CocoMasks.outline(ring);
        assertEquals(2, loops.size());
        assertEquals(25, CocoMasks.rasterize(loops, 5, 5).count()); // why writers fall back to RLE for holes
    }
}
