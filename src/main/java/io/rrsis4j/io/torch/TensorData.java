package io.rrsis4j.io.torch;

import java.util.Arrays;

/**
 * A tensor read from or written to a weight file, held on the Java heap: float values for
 * floating-point tensors (F16/BF16 widened to float32), long values for integer buffers (I64).
 * Exactly one of {@code floats} and {@code longs} is non-null.
 */
public record TensorData(long[] shape, float[] floats, long[] longs) {

    public TensorData {
        if ((floats == null) == (longs == null)) {
            throw new IllegalArgumentException("exactly one of floats and longs must be given");
        }
        long n = numel(shape);
        long have = floats != null ? floats.length : longs.length;
        if (n != have) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " needs " + n + " values, got " + have);
        }
    }

    public static TensorData ofFloats(long[] shape, float[] values) {
        return new TensorData(shape.clone(), values, null);
    }

    public static TensorData ofLongs(long[] shape, long[] values) {
        return new TensorData(shape.clone(), null, values);
    }

    public boolean isFloat() {
        return floats != null;
    }

    public long numel() {
        return numel(shape);
    }

    public static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }
}
