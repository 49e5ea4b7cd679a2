package io.rrsis4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Polygon;

class MaskPolygonsTest {

    @Test
    void ringWithAHoleAndASeparateBlobBecomeTwoPolygonsWithExactAreas() {
        int w = 20;
        int h = 12;
        byte[] mask = new byte[w * h];
        for (int y = 1; y < 9; y++) {         // 8 x 8 square at (1, 1) with a 4 x 4 hole at (3, 3)
            for (int x = 1; x < 9; x++) {
                boolean hole = x >= 3 && x < 7 && y >= 3 && y < 7;
                mask[y * w + x] = (byte) (hole ? 0 : 1);
            }
        }
        for (int y = 4; y < 11; y++) {        // a staircase blob on the right
            for (int x = 12; x < 12 + (y - 3); x++) {
                mask[y * w + x] = 1;
            }
        }
        List<Polygon> exact = MaskPolygons.outline(mask, w, h, 0);
        exact = exact.stream().sorted(Comparator.comparingDouble(p -> p.getEnvelopeInternal().getMinX())).toList();
        assertEquals(2, exact.size());
        assertEquals(64 - 16, exact.get(0).getArea(), 1e-9);
        assertEquals(1, exact.get(0).getNumInteriorRing());
        assertEquals(1 + 2 + 3 + 4 + 5 + 6 + 7, exact.get(1).getArea(), 1e-9);

        List<Polygon> simplified = MaskPolygons.outline(mask, w, h, 0.75);
        assertEquals(2, simplified.size());
        Polygon stairs = simplified.stream().max(Comparator.comparingDouble(p -> p.getEnvelopeInternal().getMinX())).get();
        assertTrue(stairs.getExteriorRing().getNumPoints() < exact.get(1).getExteriorRing().getNumPoints(),
                "simplifying removes staircase corners");
        assertEquals(28, stairs.getArea(), 4.0);
    }

    @Test
    void emptyMaskHasNoPolygons() {
        assertEquals(List.of(), MaskPolygons.outline(new byte[12], 4, 3, 0.75));
    }
}
