package io.rrsis4j.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.rrsis4j.model.BtdNet;
import io.rrsis4j.model.runtime.Precision;

/**
 * The same inference forward in float32 and in a lower precision on the same inputs: how far the logits move and
 * how much the masks (target logit above background logit, i.e. probability above 0.5) still agree.
 */
public final class PrecisionComparison {
    private PrecisionComparison() {}

    /**
     * @param maskIoU IoU of the lower-precision mask with the float32 one, over the whole batch (1 when both are empty)
     * @param pixelAgreement share of pixels on the same side of 0.5
     * @param maxLogitDifference largest |logit difference| over both channels
     * @param logitScale largest |float32 logit|, to read the difference against
     */
    public record Result(Precision precision, long pixels, double maskIoU, double pixelAgreement,
                         double maxLogitDifference, double logitScale) {
        @Override
        public String toString() {
            return String.format("%s vs fp32 on %d pixels: mask IoU %.4f, pixels agreeing %.4f, max |logit difference| %.4g"
                    + " (largest |logit| %.3g)", precision.label(), pixels, maskIoU, pixelAgreement, maxLogitDifference,
                    logitScale);
        }
    }

    /** Runs {@code net} on {@code inputs} (packed as {@link io.rrsis4j.model.runtime.ModelInputs}) in both precisions. */
    public static Result compare(BtdNet net, NDList inputs, Precision precision) {
        NDManager scope = inputs.head().getManager();
        try (NDManager m = scope.newSubManager()) {
            float[] reference = logits(net, inputs, Precision.FP32, m);
            float[] low = logits(net, inputs, precision, m);
            long[] shape = inputs.head().getShape().getShape();
            int batch = (int) shape[0];
            int plane = reference.length / (2 * batch);
            long both = 0;
            long either = 0;
            long agree = 0;
            double maxDiff = 0;
            double scale = 0;
            for (int i = 0; i < reference.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(reference[i] - low[i]));
                scale = Math.max(scale, Math.abs(reference[i]));
            }
            for (int b = 0; b < batch; b++) {
                int background = 2 * b * plane;
                int target = background + plane;
                for (int p = 0; p < plane; p++) {
                    boolean r = reference[target + p] > reference[background + p];
                    boolean l = low[target + p] > low[background + p];
                    both += r && l ? 1 : 0;
                    either += r || l ? 1 : 0;
                    agree += r == l ? 1 : 0;
                }
            }
            long pixels = (long) batch * plane;
            return new Result(precision, pixels, either == 0 ? 1 : (double) both / either, (double) agree / pixels, maxDiff,
                    scale);
        }
    }

    /** The (B, 2, S, S) logits as float32, flattened. */
    private static float[] logits(BtdNet net, NDList inputs, Precision precision, NDManager m) {
        try (NDManager step = m.newSubManager()) {
            NDList in = precision.inputs(inputs);
            NDList out = net.forward(precision.parameters(step), in, false);
            NDArray logits = out.get(0).toType(DataType.FLOAT32, false);
            logits.attach(step);
            return logits.toFloatArray();
        }
    }
}
