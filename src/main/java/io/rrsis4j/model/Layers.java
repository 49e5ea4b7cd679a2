package io.rrsis4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;

/** The few DJL building blocks the BTDNet parts are made of, configured the way PyTorch defaults them. */
final class Layers {
    private Layers() {}

    /** k x k convolution, "same" padding for the given dilation. */
    static Conv2d conv(int kernel, int filters, int dilation, int groups, boolean bias) {
        int pad = dilation * (kernel - 1) / 2;
        return Conv2d.builder()
                .setKernelShape(new Shape(kernel, kernel))
                .setFilters(filters)
                .optPadding(new Shape(pad, pad))
                .optDilation(new Shape(dilation, dilation))
                .optGroups(groups)
                .optBias(bias)
                .build();
    }

    static Linear linear(int units, boolean bias) {
        return Linear.builder().setUnits(units).optBias(bias).build();
    }

    /**
     * LayerNorm over the last axis; initialise it with a (1, width) shape. Our parts use torch's default eps 1e-5
     * (BERT's 1e-12 buys nothing here and amplifies gradients of near-constant rows a million-fold).
     */
    static LayerNorm layerNorm(float eps) {
        return LayerNorm.builder().optEpsilon(eps).build();
    }

    /** BatchNorm over the channel axis of NCHW maps, torch defaults (eps 1e-5, running stats updated in training). */
    static BatchNorm batchNorm() {
        return BatchNorm.builder().optAxis(1).optEpsilon(1e-5f).build();
    }

    /**
     * x * value, safe under autograd. DJL's {@code mul(Number)}/{@code div(Number)} wrap the number in a tensor over a
     * Java direct buffer and close it at once; autograd keeps that tensor for the backward pass, and once the buffer
     * is garbage-collected the gradient reads freed memory (NaN or 1e34 gradients, depending on GC timing). Here the
     * scalar (float32, as {@code create(float)} made it) is made natively, so it owns its memory and closing its
     * handle early (see {@link ForwardScope}) leaves autograd's reference valid.
     */
    static NDArray scale(NDArray x, float value) {
        return x.mul(scalar(x, value));
    }

    /** max(x, value), safe under autograd for the same reason as {@link #scale}. */
    static NDArray maximum(NDArray x, float value) {
        return x.maximum(scalar(x, value));
    }

    private static NDArray scalar(NDArray like, float value) {
        return like.getManager().full(new Shape(), value, ai.djl.ndarray.types.DataType.FLOAT32);
    }

    static NDArray apply(Block block, ParameterStore ps, NDArray x, boolean training) {
        return block.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    /** Bilinear resize of an NCHW map (torch interpolate, align_corners = false, as the reference decoders). */
    static NDArray resizeBilinear(NDArray nchw, long height, long width) {
        Shape s = nchw.getShape();
        if (s.get(2) == height && s.get(3) == width) {
            return nchw;
        }
        if (nchw.getDataType() == ai.djl.ndarray.types.DataType.FLOAT16 && nchw.getDevice().equals(ai.djl.Device.cpu())) {
            // libtorch's CPU kernel has no float16 bilinear resize (CUDA has): resize in float32 there
            return resizeBilinear(nchw.toType(ai.djl.ndarray.types.DataType.FLOAT32, false), height, width)
                    .toType(ai.djl.ndarray.types.DataType.FLOAT16, false);
        }
        // mode 1 = bilinear in DJL's Image.Interpolation numbering
        return nchw.getNDArrayInternal().interpolation(new long[] {height, width}, 1, false);
    }

    /** (B, H*W, C) tokens -> (B, C, H, W) map. */
    static NDArray tokensToMap(NDArray tokens, long h, long w) {
        Shape s = tokens.getShape();
        return tokens.reshape(s.get(0), h, w, s.get(2)).transpose(0, 3, 1, 2);
    }

    /** (B, C, H, W) map -> (B, H*W, C) tokens. */
    static NDArray mapToTokens(NDArray map) {
        Shape s = map.getShape();
        return map.transpose(0, 2, 3, 1).reshape(s.get(0), s.get(2) * s.get(3), s.get(1));
    }

    /** Splits (B, L, h*dh) into heads (B, h, L, dh). */
    static NDArray splitHeads(NDArray x, int heads) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), heads, s.get(2) / heads).transpose(0, 2, 1, 3);
    }

    /** Merges heads (B, h, L, dh) back to (B, L, h*dh). */
    static NDArray mergeHeads(NDArray x) {
        Shape s = x.getShape();
        return x.transpose(0, 2, 1, 3).reshape(s.get(0), s.get(2), s.get(1) * s.get(3));
    }
}
