package io.rrsis4j.io.torch;

/**
 * A tensor as a weight file stores it: its dtype in torch's words ("float32", "bfloat16", "int64", "bool", ...), its
 * shape, and its values ({@link TensorData}: floats widened to float32, integers and bool as int64), or null when
 * the file was only described (names, shapes and dtypes read, values left on disk).
 */
public record StoredTensor(String dtype, long[] shape, TensorData values) {
    public long numel() {
        return TensorData.numel(shape);
    }

    /** The values; fails when the file was read without them. */
    public TensorData requireValues() {
        if (values == null) {
            throw new IllegalStateException("tensor values were not read");
        }
        return values;
    }
}
