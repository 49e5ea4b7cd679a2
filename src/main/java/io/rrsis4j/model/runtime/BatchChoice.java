package io.rrsis4j.model.runtime;

import ai.djl.Device;
import io.rrsis4j.model.BtdNetConfig;
import io.rrsis4j.model.SwinConfig;

/**
 * The batch of an inference command (evaluate, segment --list, tiled scenes, spark segment) when none is given: on a
 * GPU as many images as its free memory holds, on the CPU the command's own default (the CPU gains nothing from
 * large batches and every image costs its activations in RAM).
 *
 * <p>The memory an image needs is estimated from the network's shapes: the largest live set of one piece of the
 * forward (see the model's ForwardScope: a Swin block's attention with its scores and softmax, its MLP, the
 * decoder's finest level), plus the four stage maps the decoder receives, times the element size, times a margin
 * for the caching allocator's rounding and fragmentation.
 */
public final class BatchChoice {
    /** Fraction of the free memory a batch may plan to fill. */
    static final double USABLE = 0.8;
    /** Allocator rounding, fragmentation and what the estimate leaves out. */
    static final double MARGIN = 1.5;
    /** More images per forward than this buy nothing on any GPU (the kernels are already saturated). */
    public static final int MAX = 256;

    private BatchChoice() {}

    /**
     * @param requested the batch the user gave, or null
     * @param cpuDefault the command's batch on the CPU
     */
    public static int choose(Integer requested, int cpuDefault, Device device, BtdNetConfig config, Precision precision) {
        if (requested != null) {
            return requested;
        }
        long free = DeviceMemory.freeBytes(device);
        if (free < 0) {
            return cpuDefault;
        }
        return fromFreeMemory(free, bytesPerImage(config, precision));
    }

    /** Where {@link #choose} took its batch from, for the command's detail line. */
    public static String origin(Integer requested, Device device) {
        if (requested != null) {
            return "--batch";
        }
        if (!device.isGpu()) {
            return "the CPU default";
        }
        return DeviceMemory.freeBytes(device) < 0
                ? "the CPU default: the GPU's free memory is unreadable (DJL's CudaUtils found no CUDA runtime library)"
                : "free device memory";
    }

    /** The batch that fits {@link #USABLE} of {@code freeBytes}: at least 1, at most {@link #MAX}. */
    static int fromFreeMemory(long freeBytes, long bytesPerImage) {
        long n = (long) (freeBytes * USABLE) / Math.max(1, bytesPerImage);
        return (int) Math.max(1, Math.min(MAX, n));
    }

    /** Estimated activation memory of one image in an inference forward, in bytes (weights not included). */
    public static long bytesPerImage(BtdNetConfig config, Precision precision) {
        SwinConfig swin = config.swinConfig();
        int ws = swin.windowSize();
        long side = (config.imageSize() + swin.patchSize() - 1) / swin.patchSize();
        long window = (long) ws * ws;
        long largestPiece = 0;
        long stageMaps = 0;
        for (int s = 0; s < swin.numStages(); s++) {
            long c = swin.stageDim(s);
            long tokens = side * side;
            long padded = ((side + ws - 1) / ws) * ws * (((side + ws - 1) / ws) * ws);
            // attention: input and its norm, q/k/v windows, queries, two (heads, N, N) score arrays per window
            long attention = 2 * c * tokens + 3 * c * padded + c * padded + 2L * swin.heads(s) * padded * window;
            // MLP: input, residual sum, hidden and its GELU
            long mlp = 2 * c * tokens + 2 * (long) (swin.mlpRatio() * c) * tokens;
            largestPiece = Math.max(largestPiece, Math.max(attention, mlp));
            stageMaps += c * tokens;
            side = (side + 1) / 2;
        }
        long finest = (long) Math.pow((config.imageSize() + swin.patchSize() - 1) / swin.patchSize(), 2);
        long decoder = 8L * config.decoderChannels() * finest; // lateral, upsampled, sum, conv, norm, twin heads
        long logits = 2L * config.imageSize() * config.imageSize();
        long elements = Math.max(largestPiece, decoder) + stageMaps + logits;
        return (long) (elements * (long) precision.dataType().getNumOfBytes() * MARGIN);
    }
}
