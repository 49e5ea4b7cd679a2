package io.rrsis4j.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TileGridTest {

    @Test
    void tilesCoverEveryPixelWithTheRequestedOverlap() {
        for (int length : new int[] {480, 481, 896, 1000, 4000, 4001}) {
            int[] o = TileGrid.origins(length, 480, 64);
            int[] cover = new int[length];
            for (int p : o) {
                assertTrue(p >= 0 && p + 480 <= length, "tile inside the scene");
                for (int i = p; i < p + 480; i++) {
                    cover[i]++;
                }
            }
            for (int i = 0; i < length; i++) {
                assertTrue(cover[i] >= 1, "pixel " + i + " of " + length + " covered");
            }
            for (int k = 1; k < o.length; k++) {
                int overlap = o[k - 1] + 480 - o[k];
                if (k < o.length - 1) {
                    assertEquals(64, overlap, "regular overlap");
                } else {
                    assertTrue(overlap >= 64 && overlap < 480, "last tile overlaps at least 64: " + overlap);
                }
            }
            assertEquals(length - 480, o[o.length - 1], "last tile aligned to the edge");
        }
    }

    @Test
    void exactGridForFourThousand() {
        int[] o = TileGrid.origins(4000, 480, 64);
        assertEquals(10, o.length);
        assertEquals(3328, o[8]); // 8 * (480 - 64)
        assertEquals(3520, o[9]);
    }

    @Test
    void shortAxisGetsOneTile() {
        assertArrayEquals(new int[] {0}, TileGrid.origins(300, 480, 64));
        assertEquals(300, TileGrid.extent(300, 480));
        assertThrows(IllegalArgumentException.class, () -> TileGrid.origins(1000, 64, 64));
    }
}
