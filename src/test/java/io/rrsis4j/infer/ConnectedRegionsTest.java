package io.rrsis4j.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;

class ConnectedRegionsTest {

    private static void fill(ProbabilityMap m, int x0, int y0, int w, int h, double p) {
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) {
                m.set(x, y, p);
            }
        }
    }

    @Test
    void keepsTheConfidentTargetAndDropsWeakRegionsAndSpecks() {
        ProbabilityMap m = new ProbabilityMap(200, 120);
        fill(m, 20, 20, 30, 25, 0.95);   // target
        fill(m, 120, 60, 40, 40, 0.6);   // weak: 0.6 < 0.8 * 0.95
        fill(m, 180, 5, 3, 3, 1.0);      // speck: 9 px < 16
        fill(m, 100, 10, 10, 10, 0.3);   // below threshold
        ConnectedRegions r = ConnectedRegions.find(m, ConnectedRegions.Rule.defaults());
        assertEquals(3, r.all().size());
        List<ConnectedRegions.Region> kept = r.kept();
        assertEquals(1, kept.size());
        assertEquals(750, kept.get(0).area());
        assertEquals(0.95, kept.get(0).meanProbability(), 0.005);
        List<byte[]> mask = new java.util.ArrayList<>();
        r.replay(row -> mask.add(row.clone()));
        assertEquals(120, mask.size());
        assertEquals((byte) 255, mask.get(30)[30]);
        assertEquals(0, mask.get(70)[130]);
        assertEquals(0, mask.get(6)[181]);
        Geometry poly = r.keptPixelPolygons(new GeometryFactory()).get(0);
        assertEquals(750, poly.getArea(), 1e-9);
    }

    @Test
    void twoComparableRegionsAreBothKeptAndDiagonalPixelsJoin() {
        ProbabilityMap m = new ProbabilityMap(100, 100);
        fill(m, 5, 5, 10, 10, 0.9);
        fill(m, 15, 15, 10, 10, 0.9);    // touches the first only diagonally: same component
        fill(m, 60, 60, 20, 20, 0.8);    // 0.8 >= 0.8 * 0.9: kept too
        ConnectedRegions r = ConnectedRegions.find(m, ConnectedRegions.Rule.defaults());
        assertEquals(2, r.all().size());
        assertEquals(2, r.kept().size());
        assertEquals(200, r.kept().get(0).area());
        // a U shape whose arms join only in a later row is one component
        ProbabilityMap u = new ProbabilityMap(30, 30);
        fill(u, 2, 2, 4, 20, 0.9);
        fill(u, 20, 2, 4, 20, 0.9);
        fill(u, 2, 22, 22, 4, 0.9);
        assertEquals(1, ConnectedRegions.find(u, ConnectedRegions.Rule.defaults()).all().size());
    }
}
