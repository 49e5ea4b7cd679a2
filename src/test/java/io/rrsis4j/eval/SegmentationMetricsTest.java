package io.rrsis4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rrsis4j.data.BinaryMask;
import org.junit.jupiter.api.Test;

class SegmentationMetricsTest {

    @Test
    void handComputedCase() {
        SegmentationMetrics m = new SegmentationMetrics();
        m.add(8, 10);  // IoU 0.8
        m.add(3, 5);   // IoU 0.6
        m.add(0, 0);   // both empty: IoU 0 as RMSIN counts it
        m.add(9, 10);  // IoU 0.9
        assertEquals(4, m.count());
        assertEquals(20.0 / 25.0, m.oIoU(), 1e-12);
        assertEquals((0.8 + 0.6 + 0 + 0.9) / 4, m.mIoU(), 1e-12);
        assertEquals(0.75, m.precisionAt(0.5), 1e-12);
        assertEquals(0.75, m.precisionAt(0.6), 1e-12); // IoU = 0.6 counts at 0.6 (>=)
        assertEquals(0.5, m.precisionAt(0.7), 1e-12);
        assertEquals(0.5, m.precisionAt(0.8), 1e-12);
        assertEquals(0.25, m.precisionAt(0.9), 1e-12);
        SegmentationMetrics.Report r = m.report();
        assertEquals(80.0, r.oIoU(), 1e-9);
        assertEquals(57.5, r.mIoU(), 1e-9);
        assertEquals(75.0, r.precisionAt(0.5), 1e-9);
        String table = r.table();
        assertTrue(table.contains("Pr@0.5") && table.contains("75.00") && table.contains("80.00") && table.contains("57.50"), table);
        assertTrue(table.indexOf("Pr@0.9") < table.indexOf("oIoU") && table.indexOf("oIoU") < table.indexOf("mIoU"));
    }

    @Test
    void fromMasksIncludingEmptyOnes() {
        BinaryMask gt = new BinaryMask(4, 1, new byte[] {1, 1, 0, 0});
        BinaryMask pred = new BinaryMask(4, 1, new byte[] {0, 1, 1, 0});
        BinaryMask empty = new BinaryMask(4, 1);
        SegmentationMetrics m = new SegmentationMetrics();
        m.add(pred, gt);    // I 1, U 3
        m.add(empty, gt);   // I 0, U 2
        m.add(gt, empty);   // I 0, U 2 (false alarm on an empty target)
        m.add(empty, empty); // I 0, U 0
        assertEquals(1.0 / 7.0, m.oIoU(), 1e-12);
        assertEquals((1.0 / 3.0) / 4, m.mIoU(), 1e-12);
        assertEquals(0.0, m.precisionAt(0.5), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> m.add(new BinaryMask(2, 2), gt));
        assertThrows(IllegalArgumentException.class, () -> m.add(5, 3));
    }

    @Test
    void nothingAddedGivesZeros() {
        SegmentationMetrics.Report r = new SegmentationMetrics().report();
        assertEquals(0, r.samples());
        assertEquals(0.0, r.oIoU());
        assertEquals(0.0, r.mIoU());
    }
}
