package io.rrsis4j.eval;

import io.rrsis4j.data.BinaryMask;
import io.rrsis4j.data.TargetKind;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Generalized referring segmentation's evaluation, as GRES defines it (ReLA's {@code ReferEvaluator}; DATA.md's last
 * section). Per sample, prediction P (empty = "no target"), truth G, I = |P and G|, U = |P or G|:
 * <ul>
 *   <li>no-target sample: P empty is a true "no target" (IoU 1, adds nothing to the cumulative I and U); P not empty
 *       is a miss (IoU 0, adds 0 to I and its U, which is |P|, to U).
 *   <li>target sample: IoU = I / U (0 when P is empty: then I = 0 and U = |G|), I and U added to the cumulative sums.
 * </ul>
 * cIoU = cumulative I / cumulative U; gIoU = mean per-sample IoU over all samples; N-acc = share of no-target samples
 * predicted empty; T-acc = share of target samples predicted non-empty; Pr@0.7/0.8/0.9 = share of target samples with
 * IoU >= X. Each is also kept per kind of sample (single, multi, none). Not thread-safe: one per evaluation loop.
 */
public final class GeneralizedMetrics {
    /** The thresholds GRES reports, over target samples only. */
    public static final double[] THRESHOLDS = {0.7, 0.8, 0.9};

    private final Sums all = new Sums();
    private final Map<TargetKind, Sums> byKind = new EnumMap<>(TargetKind.class);

    /** Adds one sample; both masks must have the same size. */
    public void add(TargetKind kind, BinaryMask prediction, BinaryMask truth) {
        long[] counts = SegmentationMetrics.pixelCounts(prediction, truth);
        add(kind, counts[0], counts[1], counts[2]);
    }

    /**
     * Adds one sample from its pixel counts.
     *
     * @param predicted |P|, the predicted area (0: the prediction says "no target")
     */
    public void add(TargetKind kind, long intersection, long union, long predicted) {
        if (intersection < 0 || union < intersection || predicted < intersection || predicted > union) {
            throw new IllegalArgumentException("need 0 <= I <= |P| <= U, got I=" + intersection + ", |P|="
                    + predicted + ", U=" + union);
        }
        all.add(kind, intersection, union, predicted);
        byKind.computeIfAbsent(kind, k -> new Sums()).add(kind, intersection, union, predicted);
    }

    /**
     * One sample's IoU as GRES scores it: a no-target sample scores 1 when predicted empty and 0 otherwise; a target
     * sample I / U (0 when both are empty, which a target sample's truth rules out).
     */
    static double sampleIoU(TargetKind kind, long intersection, long union, long predicted) {
        if (kind == TargetKind.NONE) {
            return predicted == 0 ? 1 : 0;
        }
        return union == 0 ? 0 : intersection / (double) union;
    }

    public int count() {
        return all.samples;
    }

    /** Whether GRES's table says more than the classic one: some sample names no object or several. */
    public boolean isGeneralized() {
        return byKind.containsKey(TargetKind.NONE) || byKind.containsKey(TargetKind.MULTI);
    }

    public Report report() {
        Map<TargetKind, Scores> kinds = new EnumMap<>(TargetKind.class);
        byKind.forEach((k, s) -> kinds.put(k, s.scores()));
        return new Report(all.scores(), kinds);
    }

    /** Running sums of one group of samples. */
    private static final class Sums {
        int samples;
        int noTarget;
        int noTargetEmpty;
        int target;
        int targetNonEmpty;
        long cumI;
        long cumU;
        double sumIoU;
        final int[] hits = new int[THRESHOLDS.length];

        void add(TargetKind kind, long i, long u, long predicted) {
            samples++;
            boolean empty = predicted == 0;
            double iou = sampleIoU(kind, i, u, predicted);
            if (kind == TargetKind.NONE) {
                noTarget++;
                if (empty) {
                    noTargetEmpty++;
                } else {
                    cumU += u;
                }
            } else {
                target++;
                if (!empty) {
                    targetNonEmpty++;
                }
                cumI += i;
                cumU += u;
                for (int k = 0; k < THRESHOLDS.length; k++) {
                    // a tolerance so that IoU = 0.7 exactly counts at 0.7 despite rounding in I / U
                    if (iou >= THRESHOLDS[k] - 1e-12) {
                        hits[k]++;
                    }
                }
            }
            sumIoU += iou;
        }

        Scores scores() {
            double[] pr = new double[THRESHOLDS.length];
            for (int k = 0; k < pr.length; k++) {
                pr[k] = target == 0 ? Double.NaN : 100.0 * hits[k] / target;
            }
            return new Scores(samples, noTarget, target,
                    samples == 0 ? Double.NaN : 100 * sumIoU / samples,
                    cumU == 0 ? Double.NaN : 100.0 * cumI / cumU,
                    noTarget == 0 ? Double.NaN : 100.0 * noTargetEmpty / noTarget,
                    target == 0 ? Double.NaN : 100.0 * targetNonEmpty / target, pr);
        }
    }

    /**
     * The GRES scores of a group of samples, in percent; NaN where the group has no sample the score is over (N-acc
     * without no-target samples, T-acc and Pr@X without target samples, cIoU when the cumulative union is empty: every
     * sample of the group a no-target one answered "no target").
     *
     * @param precision Pr@0.7, Pr@0.8, Pr@0.9 over target samples
     */
    public record Scores(int samples, int noTarget, int target, double gIoU, double cIoU, double nAcc, double tAcc,
            double[] precision) {}

    /** The scores of all samples and of each kind met. */
    public record Report(Scores all, Map<TargetKind, Scores> byKind) {
        public int samples() {
            return all.samples();
        }

        /** Whether some sample names no object or several (then evaluate prints this table). */
        public boolean isGeneralized() {
            return byKind.containsKey(TargetKind.NONE) || byKind.containsKey(TargetKind.MULTI);
        }

        /** The GRES table: a row for all samples, then one per kind met; "-" where a score has no samples. */
        public String table() {
            StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-8s%8s%8s%8s%8s%8s", "GRES", "samples",
                    "gIoU", "cIoU", "N-acc", "T-acc"));
            for (double t : THRESHOLDS) {
                out.append(String.format(Locale.ROOT, "%8s", String.format(Locale.ROOT, "Pr@%.1f", t)));
            }
            out.append('\n').append(row("all", all));
            for (TargetKind k : TargetKind.values()) {
                if (byKind.containsKey(k)) {
                    out.append('\n').append(row(k.label(), byKind.get(k)));
                }
            }
            return out.toString();
        }

        private static String row(String name, Scores s) {
            StringBuilder r = new StringBuilder(String.format(Locale.ROOT, "%-8s%8d", name, s.samples()));
            for (double v : new double[] {s.gIoU(), s.cIoU(), s.nAcc(), s.tAcc()}) {
                r.append(cell(v));
            }
            for (double v : s.precision()) {
                r.append(cell(v));
            }
            return r.toString();
        }

        private static String cell(double v) {
            return Double.isNaN(v) ? String.format(Locale.ROOT, "%8s", "-") : String.format(Locale.ROOT, "%8.2f", v);
        }
    }
}
