package io.rrsis4j.eval;

import io.rrsis4j.data.BinaryMask;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmarks' evaluation (RMSIN's test code): per sample I = |pred AND gt|, U = |pred OR gt|,
 * IoU = I / U and 0 when U = 0; oIoU = sum I / sum U; mIoU = mean IoU; Pr@X = share of samples with
 * IoU >= X. Not thread-safe: one accumulator per evaluation loop.
 */
public final class SegmentationMetrics {
    /** The thresholds the benchmarks report, in their order. */
    public static final double[] THRESHOLDS = {0.5, 0.6, 0.7, 0.8, 0.9};

    private final List<Double> ious = new ArrayList<>();
    private long sumIntersection;
    private long sumUnion;

    /** Adds one sample; both masks must have the same size. */
    public void add(BinaryMask prediction, BinaryMask truth) {
        long[] counts = pixelCounts(prediction, truth);
        add(counts[0], counts[1]);
    }

    /**
     * {I, U, |P|} of one sample: |pred AND gt|, |pred OR gt| and the predicted pixels, the counts both the classic
     * and the GRES metrics are made of; both masks must have the same size.
     */
    static long[] pixelCounts(BinaryMask prediction, BinaryMask truth) {
        if (prediction.width() != truth.width() || prediction.height() != truth.height()) {
            throw new IllegalArgumentException("prediction is " + prediction.width() + " x " + prediction.height()
                    + " but ground truth is " + truth.width() + " x " + truth.height());
        }
        byte[] p = prediction.pixels();
        byte[] t = truth.pixels();
        long inter = 0;
        long union = 0;
        long predicted = 0;
        for (int i = 0; i < p.length; i++) {
            boolean a = p[i] != 0;
            boolean b = t[i] != 0;
            inter += a && b ? 1 : 0;
            union += a || b ? 1 : 0;
            predicted += a ? 1 : 0;
        }
        return new long[] {inter, union, predicted};
    }

    /** Adds one sample from its intersection and union pixel counts. */
    public void add(long intersection, long union) {
        if (intersection < 0 || union < intersection) {
            throw new IllegalArgumentException("need 0 <= intersection <= union, got I=" + intersection + ", U=" + union);
        }
        sumIntersection += intersection;
        sumUnion += union;
        ious.add(union == 0 ? 0.0 : intersection / (double) union);
    }

    public int count() {
        return ious.size();
    }

    /** Overall IoU, 0..1 (0 when nothing was added or every union is empty). */
    public double oIoU() {
        return sumUnion == 0 ? 0 : sumIntersection / (double) sumUnion;
    }

    /** Mean per-sample IoU, 0..1. */
    public double mIoU() {
        return ious.isEmpty() ? 0 : ious.stream().mapToDouble(Double::doubleValue).sum() / ious.size();
    }

    /** Share of samples with IoU >= threshold, 0..1. */
    public double precisionAt(double threshold) {
        if (ious.isEmpty()) {
            return 0;
        }
        // compare with a tolerance so that IoU = 0.7 exactly counts at 0.7 despite rounding in I / U
        long hits = ious.stream().filter(iou -> iou >= threshold - 1e-12).count();
        return hits / (double) ious.size();
    }

    public Report report() {
        double[] pr = new double[THRESHOLDS.length];
        for (int i = 0; i < pr.length; i++) {
            pr[i] = 100 * precisionAt(THRESHOLDS[i]);
        }
        return new Report(count(), pr, 100 * oIoU(), 100 * mIoU());
    }

    /**
     * The metrics as percentages.
     *
     * @param precision Pr@0.5 .. Pr@0.9 in {@link #THRESHOLDS} order
     */
    public record Report(int samples, double[] precision, double oIoU, double mIoU) {
        public double precisionAt(double threshold) {
            for (int i = 0; i < THRESHOLDS.length; i++) {
                if (Math.abs(THRESHOLDS[i] - threshold) < 1e-9) {
                    return precision[i];
                }
            }
            throw new IllegalArgumentException("no precision at " + threshold + " (reported: 0.5, 0.6, 0.7, 0.8, 0.9)");
        }

        /** The benchmarks' table: Pr@0.5 Pr@0.6 Pr@0.7 Pr@0.8 Pr@0.9 oIoU mIoU, two decimals. */
        public String table() {
            StringBuilder head = new StringBuilder();
            StringBuilder row = new StringBuilder();
            for (int i = 0; i < THRESHOLDS.length; i++) {
                head.append(String.format(Locale.ROOT, "%8s", String.format(Locale.ROOT, "Pr@%.1f", THRESHOLDS[i])));
                row.append(String.format(Locale.ROOT, "%8.2f", precision[i]));
            }
            head.append(String.format(Locale.ROOT, "%8s%8s", "oIoU", "mIoU"));
            row.append(String.format(Locale.ROOT, "%8.2f%8.2f", oIoU, mIoU));
            return head + "\n" + row + "\n(" + samples + " samples)";
        }
    }
}
