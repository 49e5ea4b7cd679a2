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

    /**
     * The streaming scan against the former whole-map implementation on noisy maps full of blobs, spirals and U
     * shapes whose arms meet rows later: the same components (area, bounds, maximum, kept; mean to rounding), the
     * same mask bytes and the same polygons.
     */
    @Test
    void streamingScanFindsWhatTheWholeMapImplementationFound() {
        for (int seed = 0; seed < 12; seed++) {
            java.util.Random random = new java.util.Random(seed);
            int w = 60 + random.nextInt(200);
            int h = 60 + random.nextInt(200);
            ProbabilityMap m = new ProbabilityMap(w, h);
            for (int k = 0; k < 4 + random.nextInt(30); k++) {
                int cx = random.nextInt(w);
                int cy = random.nextInt(h);
                int r = 1 + random.nextInt(25);
                double base = 0.3 + 0.7 * random.nextDouble();
                boolean ring = random.nextBoolean();
                for (int y = Math.max(0, cy - r); y < Math.min(h, cy + r + 1); y++) {
                    for (int x = Math.max(0, cx - r); x < Math.min(w, cx + r + 1); x++) {
                        double d = Math.hypot(x - cx, y - cy);
                        boolean in = ring ? d <= r && d >= r - 2 && !(y > cy && Math.abs(x - cx) < 2) : d <= r;
                        if (in) {
                            m.set(x, y, Math.min(1, base + 0.1 * random.nextGaussian()));
                        }
                    }
                }
            }
            ConnectedRegions.Rule rule = new ConnectedRegions.Rule(0.3 + 0.4 * random.nextDouble(),
                    random.nextInt(40), 0.5 + 0.5 * random.nextDouble());
            ReferenceRegions expected = ReferenceRegions.find(m, rule);
            try (ConnectedRegions streamed = ConnectedRegions.streaming(w, h, rule)) {
                m.replay(streamed);
                streamed.finish();
                assertSameRegions(expected.all(), streamed.all());
                assertSameRegions(expected.kept(), streamed.kept());
                List<byte[]> expectedMask = new java.util.ArrayList<>();
                expected.writeMask(expectedMask::add);
                List<byte[]> mask = new java.util.ArrayList<>();
                streamed.replay(row -> mask.add(row.clone()));
                assertEquals(h, mask.size());
                for (int y = 0; y < h; y++) {
                    org.junit.jupiter.api.Assertions.assertArrayEquals(expectedMask.get(y), mask.get(y), "row " + y);
                }
                List<Geometry> a = expected.keptPixelPolygons(new GeometryFactory());
                List<Geometry> b = streamed.keptPixelPolygons(new GeometryFactory());
                assertEquals(a.size(), b.size());
                for (int i = 0; i < a.size(); i++) {
                    assertTrue(a.get(i).equalsExact(b.get(i)), "seed " + seed + ", polygon " + i);
                }
            }
        }
    }

    private static void assertSameRegions(List<ConnectedRegions.Region> expected, List<ConnectedRegions.Region> got) {
        assertEquals(expected.size(), got.size());
        for (int i = 0; i < expected.size(); i++) {
            ConnectedRegions.Region e = expected.get(i);
            ConnectedRegions.Region g = got.get(i);
            assertEquals(e.area(), g.area());
            org.junit.jupiter.api.Assertions.assertArrayEquals(e.bounds(), g.bounds());
            assertEquals(e.maxProbability(), g.maxProbability(), 0);
            assertEquals(e.meanProbability(), g.meanProbability(), 1e-12);
            assertEquals(e.kept(), g.kept());
        }
    }

    @Test
    void rowsMustComeTopToBottomAndAllOfThemBeforeTheResult() {
        try (ConnectedRegions r = ConnectedRegions.streaming(10, 3, ConnectedRegions.Rule.defaults())) {
            r.row(0, new byte[10]);
            org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> r.row(2, new byte[10]));
            org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, r::finish);
        }
    }
}
