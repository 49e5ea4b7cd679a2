package io.rrsis4j.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rrsis4j.data.BinaryMask;
import io.rrsis4j.data.TargetKind;
import org.junit.jupiter.api.Test;

/** GRES's formulas on samples whose scores are worked out by hand in the comments. */
class GeneralizedMetricsTest {
    private static final double EPS = 1e-9;

    /**
     * Six samples (I, U, |P|):
     * 1 single (30, 40, 35) IoU 0.75; 2 multi (50, 60, 55) IoU 5/6; 3 single predicted empty (0, 20, 0) IoU 0;
     * 4 none predicted empty (0, 0, 0) IoU 1, adds nothing; 5 none predicted 10 px (0, 10, 10) IoU 0, U += 10;
     * 6 single (9, 10, 10) IoU 0.9.
     */
    private static GeneralizedMetrics.Report sixSamples() {
        GeneralizedMetrics m = new GeneralizedMetrics();
        m.add(TargetKind.SINGLE, 30, 40, 35);
        m.add(TargetKind.MULTI, 50, 60, 55);
        m.add(TargetKind.SINGLE, 0, 20, 0);
        m.add(TargetKind.NONE, 0, 0, 0);
        m.add(TargetKind.NONE, 0, 10, 10);
        m.add(TargetKind.SINGLE, 9, 10, 10);
        return m.report();
    }

    @Test
    void cIoUIsCumulativeIntersectionOverCumulativeUnionWithMissedNoTargetAreas() {
        // I: 30 + 50 + 0 + 0 + 0 + 9 = 89; U: 40 + 60 + 20 + 0 + 10 + 10 = 140
        assertEquals(100.0 * 89 / 140, sixSamples().all().cIoU(), EPS);
    }

    @Test
    void gIoUIsTheMeanSampleIoUWithOneForARightNoTarget() {
        // (0.75 + 5/6 + 0 + 1 + 0 + 0.9) / 6
        assertEquals(100 * (0.75 + 5.0 / 6 + 0 + 1 + 0 + 0.9) / 6, sixSamples().all().gIoU(), EPS);
    }

    @Test
    void nAccAndTAcc() {
        GeneralizedMetrics.Scores s = sixSamples().all();
        assertEquals(50, s.nAcc(), EPS); // sample 4 of the no-target samples 4 and 5
        assertEquals(75, s.tAcc(), EPS); // 1, 2, 6 of the target samples 1, 2, 3, 6
        assertEquals(2, s.noTarget());
        assertEquals(4, s.target());
        assertEquals(6, s.samples());
    }

    @Test
    void precisionIsOverTargetSamplesOnly() {
        // target IoUs 0.75, 5/6, 0, 0.9: >= 0.7 three, >= 0.8 two, >= 0.9 one (0.9 exactly counts)
        assertArrayEquals(new double[] {75, 50, 25}, sixSamples().all().precision(), EPS);
    }

    @Test
    void breakdownByKind() {
        GeneralizedMetrics.Report r = sixSamples();
        GeneralizedMetrics.Scores single = r.byKind().get(TargetKind.SINGLE);
        assertEquals(3, single.samples());
        assertEquals(100 * (0.75 + 0 + 0.9) / 3, single.gIoU(), EPS);
        assertEquals(100.0 * 39 / 70, single.cIoU(), EPS);
        assertEquals(100.0 * 2 / 3, single.tAcc(), EPS);
        assertTrue(Double.isNaN(single.nAcc()));
        assertArrayEquals(new double[] {100.0 * 2 / 3, 100.0 / 3, 100.0 / 3}, single.precision(), EPS);
        GeneralizedMetrics.Scores multi = r.byKind().get(TargetKind.MULTI);
        assertEquals(100 * 5.0 / 6, multi.gIoU(), EPS);
        assertEquals(100 * 5.0 / 6, multi.cIoU(), EPS);
        assertEquals(100, multi.tAcc(), EPS);
        GeneralizedMetrics.Scores none = r.byKind().get(TargetKind.NONE);
        assertEquals(50, none.gIoU(), EPS);
        assertEquals(0, none.cIoU(), EPS); // 0 / 10
        assertEquals(50, none.nAcc(), EPS);
        assertTrue(Double.isNaN(none.tAcc()));
        assertTrue(Double.isNaN(none.precision()[0]));
    }

    @Test
    void masksGiveTheSameCountsAsPixelCounts() {
        // 4 x 1 masks: truth 1100, prediction 0110: I 1, U 3, |P| 2; a no-target truth 0000 with prediction 0010
        GeneralizedMetrics m = new GeneralizedMetrics();
        m.add(TargetKind.SINGLE, mask(0, 1, 1, 0), mask(1, 1, 0, 0));
        m.add(TargetKind.NONE, mask(0, 0, 1, 0), mask(0, 0, 0, 0));
        m.add(TargetKind.NONE, mask(0, 0, 0, 0), mask(0, 0, 0, 0));
        GeneralizedMetrics.Scores s = m.report().all();
        assertEquals(100.0 * 1 / 4, s.cIoU(), EPS); // I 1, U 3 + 1
        assertEquals(100 * (1.0 / 3 + 0 + 1) / 3, s.gIoU(), EPS);
        assertEquals(50, s.nAcc(), EPS);
        assertEquals(100, s.tAcc(), EPS);
    }

    @Test
    void allRightNoTargetsLeaveCIoUUndefinedNotPerfect() {
        GeneralizedMetrics m = new GeneralizedMetrics();
        m.add(TargetKind.NONE, 0, 0, 0);
        GeneralizedMetrics.Scores s = m.report().all();
        assertTrue(Double.isNaN(s.cIoU()), "0 / 0");
        assertEquals(100, s.gIoU(), EPS);
        assertTrue(s.toString().contains("nAcc=100.0"));
    }

    @Test
    void classicDataIsNotGeneralizedAndTheTableMarksEmptyScores() {
        GeneralizedMetrics m = new GeneralizedMetrics();
        m.add(TargetKind.SINGLE, 5, 10, 10);
        assertFalse(m.isGeneralized());
        assertFalse(m.report().isGeneralized());
        m.add(TargetKind.NONE, 0, 0, 0);
        assertTrue(m.report().isGeneralized());
        String table = sixSamples().table();
        assertTrue(table.contains("gIoU") && table.contains("N-acc") && table.contains("Pr@0.9"), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("none") && l.contains("-")), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("all") && l.contains("63.57")), table);
    }

    @Test
    void refusesImpossibleCounts() {
        GeneralizedMetrics m = new GeneralizedMetrics();
        assertThrows(IllegalArgumentException.class, () -> m.add(TargetKind.SINGLE, 5, 4, 4));
        assertThrows(IllegalArgumentException.class, () -> m.add(TargetKind.SINGLE, 5, 10, 3));
        assertThrows(IllegalArgumentException.class, () -> m.add(TargetKind.SINGLE, 1, 10, 11));
    }

    private static BinaryMask mask(int... px) {
        byte[] b = new byte[px.length];
        for (int i = 0; i < px.length; i++) {
            b[i] = (byte) px[i];
        }
        return new BinaryMask(px.length, 1, b);
    }
}
