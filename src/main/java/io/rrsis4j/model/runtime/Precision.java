package io.rrsis4j.model.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import io.rrsis4j.InvalidInputException;
import java.util.Locale;

/**
 * The floating-point type of an inference forward. Weights are kept and trained in float32; a lower precision
 * converts them (and the image) when the forward runs, and the logits come back as float32.
 */
public enum Precision {
    FP32(DataType.FLOAT32),
    FP16(DataType.FLOAT16),
    /**
     * Named so that it can be refused: DJL 0.36's PyTorch JNI has no bfloat16 in its type table
     * ({@code GetScalarTypeFromDType}), and creating or converting to a bfloat16 array aborts the JVM.
     */
    BF16(DataType.BFLOAT16);

    private final DataType type;

    Precision(DataType type) {
        this.type = type;
    }

    public DataType dataType() {
        return type;
    }

    /** fp32, fp16 or bf16 (case-insensitive); bf16 is refused in one line, it would abort the JVM. */
    public static Precision parse(String name) {
        Precision p = switch (name.toLowerCase(Locale.ROOT)) {
            case "fp32", "float32" -> FP32;
            case "fp16", "float16", "half" -> FP16;
            case "bf16", "bfloat16" -> BF16;
            default -> throw new InvalidInputException("--precision must be auto, fp32 or fp16, not " + name);
        };
        if (p == BF16) {
            throw new InvalidInputException("--precision bf16: the PyTorch JNI of DJL 0.36 has no bfloat16 type (a bfloat16"
                    + " array aborts the JVM); use fp16 or fp32");
        }
        return p;
    }

    /**
     * {@link #parse} with "auto": float16 on a GPU, where {@code bench precision} measured masks agreeing with
     * float32's (mask IoU >= 0.999, the masks flip at almost no pixel), and float32 on the CPU, whose libtorch kernels
     * have no fast float16 path.
     */
    public static Precision forDevice(String name, ai.djl.Device device) {
        if ("auto".equalsIgnoreCase(name)) {
            return device.isGpu() ? FP16 : FP32;
        }
        return parse(name);
    }

    /** The store a forward in this precision reads its parameters from, scoped to {@code manager}. */
    public ParameterStore parameters(NDManager manager) {
        return this == FP32 ? new ParameterStore(manager, false) : new CastParameterStore(manager, type);
    }

    /** The packed inputs (image, ids, attention, ...) with the image in this precision. */
    public NDList inputs(NDList inputs) {
        if (this == FP32) {
            return inputs;
        }
        NDList out = new NDList(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            NDArray a = inputs.get(i);
            out.add(i == 0 ? a.toType(type, false) : a);
        }
        return out;
    }

    /** fp32, fp16, bf16. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
