package io.rrsis4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * Swin Transformer image encoder (Liu et al. 2021) as the segmentation code of the field runs it (mmseg / LAVT
 * backbone): feature maps whose side is not a multiple of the window are padded right/bottom before windowing and
 * cropped after, and every stage output goes through its own LayerNorm {@code norm0..norm3}.
 *
 * <p>Image (B, 3, H, W) -> four maps (B, C_i, H_i, W_i) with C_i = C * 2^i at strides 4, 8, 16, 32
 * (Swin-B at 480: 128 x 120^2, 256 x 60^2, 512 x 30^2, 1024 x 15^2).
 *
 * <p>Parameter paths equal the official checkpoint keys: {@code patch_embed.proj.weight},
 * {@code layers.0.blocks.0.attn.relative_position_bias_table}, {@code layers.0.downsample.reduction.weight},
 * {@code norm3.bias}, ... BTDNet interleaves its fusion between stages through {@link #embed}, {@link #stage},
 * {@link #outputNorm} and {@link #downsample}; {@link #forward} runs them plainly.
 */
public final class SwinBackbone extends FixedShapeBlock {
    private static final TruncatedNormalInitializer TRUNC_NORMAL = new TruncatedNormalInitializer(0.02f);

    private final SwinConfig config;
    private final PatchEmbedding patchEmbed;
    private final IndexedBlocks<SwinStage> layers;
    private final List<FixedLayerNorm> outNorms = new ArrayList<>();

    public SwinBackbone(SwinConfig config) {
        this.config = config;
        WindowGeometry geometry = new WindowGeometry();
        patchEmbed = addChildBlock("patch_embed", new PatchEmbedding(config));
        // stochastic depth rises linearly over all blocks, as torch.linspace(0, rate, sum(depths))
        int total = config.totalBlocks();
        int blockIndex = 0;
        List<SwinStage> stages = new ArrayList<>();
        for (int s = 0; s < config.numStages(); s++) {
            float[] rates = new float[config.depth(s)];
            for (int b = 0; b < rates.length; b++, blockIndex++) {
                rates[b] = total == 1 ? 0f : config.dropPathRate() * blockIndex / (total - 1);
            }
            stages.add(new SwinStage(config, s, rates, s < config.numStages() - 1, geometry));
        }
        layers = addChildBlock("layers", new IndexedBlocks<>(stages));
        for (int s = 0; s < config.numStages(); s++) {
            outNorms.add(addChildBlock("norm" + s, new FixedLayerNorm(config.stageDim(s), config.layerNormEps())));
        }
    }

    public SwinConfig config() {
        return config;
    }

    public int numStages() {
        return config.numStages();
    }

    /** Channels of stage i's output. */
    public int stageChannels(int i) {
        return config.stageDim(i);
    }

    /** Token grid {height, width} after the patch embedding of an imageHeight x imageWidth image. */
    public int[] gridSize(int imageHeight, int imageWidth) {
        int p = config.patchSize();
        return new int[] {ceilDiv(imageHeight, p), ceilDiv(imageWidth, p)};
    }

    /** Patch embedding: image (B, 3, H, W) -> tokens (B, h*w, C) with {h, w} = {@link #gridSize}. */
    public NDArray embed(ParameterStore ps, NDArray image, boolean training) {
        return patchEmbed.apply(ps, image, training);
    }

    /** The blocks of stage i: tokens (B, h*w, C_i) -> (B, h*w, C_i). */
    public NDArray stage(ParameterStore ps, int i, NDArray x, int h, int w, boolean training) {
        return layers.get(i).runBlocks(ps, x, h, w, training);
    }

    /** LayerNorm {@code norm_i} of stage i's output tokens (B, h*w, C_i). */
    public NDArray outputNorm(ParameterStore ps, int i, NDArray x, boolean training) {
        return outNorms.get(i).apply(ps, x, training);
    }

    /** {@link #outputNorm(ParameterStore, int, NDArray, boolean)} in training mode (gradients kept). */
    public NDArray outputNorm(ParameterStore ps, int i, NDArray x) {
        return outputNorm(ps, i, x, true);
    }

    /**
     * Patch merging at the end of stage i (i < numStages - 1): (B, h*w, C_i) -> (B, ceil(h/2)*ceil(w/2), 2 C_i);
     * odd sides are zero-padded first, as the official code.
     */
    public NDArray downsample(ParameterStore ps, int i, NDArray x, int h, int w, boolean training) {
        PatchMerging merge = layers.get(i).downsample();
        if (merge == null) {
            throw new IllegalArgumentException("stage " + i + " has no downsample (the last stage ends the backbone)");
        }
        return merge.apply(ps, x, h, w, training);
    }

    /** The four normalised stage maps (B, C_i, H_i, W_i), strides 4, 8, 16, 32. */
    public NDList stageMaps(ParameterStore ps, NDArray image, boolean training) {
        Shape s = image.getShape();
        if (s.dimension() != 4 || s.get(1) != config.inChannels()) {
            throw new IllegalArgumentException("expected an image batch (B, " + config.inChannels() + ", H, W), got " + s);
        }
        int[] grid = gridSize((int) s.get(2), (int) s.get(3));
        int h = grid[0];
        int w = grid[1];
        NDArray x = embed(ps, image, training);
        NDList out = new NDList();
        for (int i = 0; i < numStages(); i++) {
            x = stage(ps, i, x, h, w, training);
            out.add(tokensToMap(outputNorm(ps, i, x, training), h, w));
            if (i < numStages() - 1) {
                x = downsample(ps, i, x, h, w, training);
                h = ceilDiv(h, 2);
                w = ceilDiv(w, 2);
            }
        }
        return out;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return stageMaps(ps, inputs.head(), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        int[] grid = gridSize((int) in.get(2), (int) in.get(3));
        long h = grid[0];
        long w = grid[1];
        Shape[] out = new Shape[numStages()];
        for (int i = 0; i < numStages(); i++) {
            out[i] = new Shape(in.get(0), stageChannels(i), h, w);
            h = (h + 1) / 2;
            w = (w + 1) / 2;
        }
        return out;
    }

    /** Tokens (B, h*w, C) -> map (B, C, h, w). */
    public static NDArray tokensToMap(NDArray tokens, int h, int w) {
        long b = tokens.getShape().get(0);
        long c = tokens.getShape().get(2);
        return tokens.reshape(b, h, w, c).transpose(0, 3, 1, 2);
    }

    /** Map (B, C, h, w) -> tokens (B, h*w, C). */
    public static NDArray mapToTokens(NDArray map) {
        Shape s = map.getShape();
        return map.reshape(s.get(0), s.get(1), s.get(2) * s.get(3)).transpose(0, 2, 1);
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** Per-sample stochastic depth (timm DropPath): drop the whole residual branch of a sample, rescale the rest. */
    static NDArray dropPath(NDArray x, float rate, boolean training) {
        if (!training || rate <= 0f) {
            return x;
        }
        float keep = 1f - rate;
        Shape s = x.getShape();
        long[] maskShape = new long[s.dimension()];
        java.util.Arrays.fill(maskShape, 1L);
        maskShape[0] = s.get(0);
        NDArray keepMask = x.getManager()
                .randomUniform(keep, 1f + keep, new Shape(maskShape), x.getDataType(), x.getDevice())
                .floor();
        return Layers.scale(x, 1f / keep).mul(keepMask); // not div(Number): see Layers.scale
    }

    /** Conv 4x4 stride 4 (patch_embed.proj) + LayerNorm (patch_embed.norm); pads H, W up to a multiple of 4. */
    static final class PatchEmbedding extends FixedShapeBlock {
        private final int patch;
        private final int dim;
        private final PatchProjection proj;
        private final FixedLayerNorm norm;

        PatchEmbedding(SwinConfig c) {
            patch = c.patchSize();
            dim = c.embedDim();
            proj = addChildBlock("proj", new PatchProjection(c.inChannels(), c.embedDim(), c.patchSize()));
            norm = addChildBlock("norm", new FixedLayerNorm(c.embedDim(), c.layerNormEps()));
        }

        NDArray apply(ParameterStore ps, NDArray image, boolean training) {
            Shape s = image.getShape();
            int padW = (int) ((patch - s.get(3) % patch) % patch);
            int padH = (int) ((patch - s.get(2) % patch) % patch);
            NDArray x = padW + padH > 0 ? image.pad(new Shape(0, padW, 0, padH), 0) : image;
            NDArray map = proj.apply(ps, x, training); // (B, C, h, w)
            return norm.apply(ps, mapToTokens(map), training);
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            return new NDList(apply(ps, inputs.head(), training));
        }
    }

    /** The strided convolution of the patch embedding: weight (C, 3, p, p), bias (C); torch's default init. */
    static final class PatchProjection extends FixedShapeBlock {
        private final Parameter weight;
        private final Parameter bias;
        private final Shape stride;

        PatchProjection(int in, int out, int patch) {
            // torch Conv2d default: kaiming_uniform(a=sqrt(5)) = U(+-1/sqrt(fan_in)), bias likewise
            float bound = (float) (1.0 / Math.sqrt((double) in * patch * patch));
            weight = param("weight", Parameter.Type.WEIGHT, new Shape(out, in, patch, patch),
                    new UniformInitializer(bound));
            bias = param("bias", Parameter.Type.BIAS, new Shape(out), new UniformInitializer(bound));
            stride = new Shape(patch, patch);
        }

        NDArray apply(ParameterStore ps, NDArray x, boolean training) {
            return Conv2d.conv2d(x, value(ps, weight, x, training), value(ps, bias, x, training), stride).head();
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            return new NDList(apply(ps, inputs.head(), training));
        }
    }

    /**
     * Window multi-head self-attention with relative position bias (Swin Eq. 4), all windows of the batch in one
     * batched product: windows (B*nW, ws^2, C) -> (B*nW, ws^2, C).
     */
    static final class WindowAttention extends FixedShapeBlock {
        private final Parameter biasTable;
        private final FixedLinear qkv;
        private final FixedLinear proj;
        private final int dim;
        private final int heads;
        private final int ws;
        private final float scale;
        private final WindowGeometry geometry;

        WindowAttention(int dim, int heads, int ws, WindowGeometry geometry) {
            this.dim = dim;
            this.heads = heads;
            this.ws = ws;
            this.scale = (float) Math.pow((double) dim / heads, -0.5);
            this.geometry = geometry;
            biasTable = param("relative_position_bias_table", Parameter.Type.WEIGHT,
                    new Shape((long) (2 * ws - 1) * (2 * ws - 1), heads), TRUNC_NORMAL);
            qkv = addChildBlock("qkv", new FixedLinear(dim, 3 * dim, true, TRUNC_NORMAL));
            proj = addChildBlock("proj", new FixedLinear(dim, dim, true, TRUNC_NORMAL));
        }

        /** (heads, N, N) bias gathered from the table; differentiable in the table. */
        NDArray relativeBias(ParameterStore ps, NDArray like, boolean training) {
            NDArray table = value(ps, biasTable, like, training);
            int n = ws * ws;
            NDArray index = geometry.relativePositionIndex(table.getManager(), ws);
            return toStep(table.get(index), like).reshape(n, n, heads).transpose(2, 0, 1);
        }

        /** Gather index: tokens (with a zero row appended) -> window order; cached beside the parameters. */
        NDArray windowOrder(ParameterStore ps, NDArray like, int shift, int h, int w, boolean training) {
            return geometry.windowOrder(value(ps, biasTable, like, training).getManager(), ws, shift, h, w);
        }

        /** Gather index: window order -> tokens (B, h*w). */
        NDArray tokenOrder(ParameterStore ps, NDArray like, int shift, int h, int w, boolean training) {
            return geometry.tokenOrder(value(ps, biasTable, like, training).getManager(), ws, shift, h, w);
        }

        /** Shift mask for a padded hp x wp map, in the manager that holds the parameters. */
        NDArray shiftMask(ParameterStore ps, NDArray like, int shift, int hp, int wp, boolean training) {
            NDArray table = value(ps, biasTable, like, training);
            return geometry.shiftMask(table.getManager(), ws, shift, hp, wp);
        }

        /**
         * @param windows (B*nW, N, C), N = ws^2
         * @param mask (nW, 1, N, N) additive shift mask, or null for unshifted windows
         * @param numWindows nW, windows per image
         */
        NDArray apply(ParameterStore ps, NDArray windows, NDArray mask, int numWindows, boolean training) {
            return proj.apply(ps, attend(ps, qkv.apply(ps, windows, training), mask, numWindows, training), training);
        }

        /** The qkv projection of tokens (B, L, C) -> (B, L + 1, 3C), the extra last row being a zero token's (bias). */
        NDArray projectWithZeroToken(ParameterStore ps, NDArray tokens, boolean training) {
            NDArray out = qkv.apply(ps, tokens, training);
            Shape s = out.getShape();
            NDArray zeroRow = qkv.apply(ps, out.getManager().zeros(new Shape(s.get(0), 1, dim), tokens.getDataType()),
                    training);
            return out.concat(zeroRow, 1);
        }

        /** The output projection, per token: (..., C) -> (..., C). */
        NDArray project(ParameterStore ps, NDArray x, boolean training) {
            return proj.apply(ps, x, training);
        }

        /**
         * Attention of windows already projected to q, k, v: (B*nW, N, 3C) -> (B*nW, N, C), before the output
         * projection.
         */
        NDArray attend(ParameterStore ps, NDArray qkvWindows, NDArray mask, int numWindows, boolean training) {
            Shape s = qkvWindows.getShape();
            long bw = s.get(0);
            long n = s.get(1);
            long d = dim / heads;
            NDArray qkvOut = qkvWindows
                    .reshape(bw, n, 3, heads, d)
                    .transpose(2, 0, 3, 1, 4); // (3, B*nW, heads, N, d)
            NDArray q = Layers.scale(qkvOut.get(0), scale); // not mul(Number): see Layers.scale
            NDArray k = qkvOut.get(1);
            NDArray v = qkvOut.get(2);
            // the (B*nW, heads, N, N) scores are the largest arrays of the block: the raw ones are gone before the
            // softmax runs, the biased ones right after it
            NDArray scores = ForwardScope.array(
                    () -> biasedScores(ps, q, k, qkvWindows, mask, numWindows, training), qkvWindows, mask);
            NDArray probabilities = scores.softmax(-1);
            scores.close();
            return probabilities.matMul(v) // (B*nW, heads, N, d)
                    .transpose(0, 2, 1, 3)
                    .reshape(bw, n, dim);
        }

        /** q k^T plus the relative position bias (and the shift mask): (B*nW, heads, N, N). */
        private NDArray biasedScores(ParameterStore ps, NDArray q, NDArray k, NDArray qkvWindows, NDArray mask,
                                     int numWindows, boolean training) {
            NDArray attn = q.matMul(k.transpose(0, 1, 3, 2)); // (B*nW, heads, N, N)
            NDArray bias = relativeBias(ps, qkvWindows, training);
            if (mask == null) {
                return attn.add(bias);
            }
            if (mask.getDataType() != attn.getDataType()) { // half-precision runs
                mask = toStep(mask.toType(attn.getDataType(), false), attn);
            }
            Shape s = attn.getShape();
            long bw = s.get(0);
            long n = s.get(2);
            // bias and mask meet in a small (nW, heads, N, N) array, then one add on the big one
            NDArray biasAndMask = bias.expandDims(0).add(mask);
            return attn.reshape(bw / numWindows, numWindows, heads, n, n)
                    .add(biasAndMask)
                    .reshape(bw, heads, n, n);
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            return new NDList(apply(ps, inputs.head(), null, 1, training));
        }
    }

    /** fc1 -> GELU (erf) -> fc2. */
    static final class Mlp extends FixedShapeBlock {
        private final FixedLinear fc1;
        private final FixedLinear fc2;

        Mlp(int dim, int hidden) {
            fc1 = addChildBlock("fc1", new FixedLinear(dim, hidden, true, TRUNC_NORMAL));
            fc2 = addChildBlock("fc2", new FixedLinear(hidden, dim, true, TRUNC_NORMAL));
        }

        NDArray apply(ParameterStore ps, NDArray x, boolean training) {
            NDArray hidden = ForwardScope.array(() -> Activation.gelu(fc1.apply(ps, x, training)), x);
            return fc2.apply(ps, hidden, training);
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            return new NDList(apply(ps, inputs.head(), training));
        }
    }

    /**
     * One Swin block (Swin Eq. 3): x + DropPath(W-MSA(LN(x))), then x + DropPath(MLP(LN(x))); odd blocks use
     * windows shifted by ws/2. Tokens (B, h*w, C) -> (B, h*w, C).
     */
    static final class SwinBlock extends FixedShapeBlock {
        private final FixedLayerNorm norm1;
        private final WindowAttention attn;
        private final FixedLayerNorm norm2;
        private final Mlp mlp;
        private final int ws;
        private final int shift;
        private final float dropPath;

        SwinBlock(int dim, int heads, int ws, int shift, float mlpRatio, float dropPath, float eps,
                WindowGeometry geometry) {
            this.ws = ws;
            this.shift = shift;
            this.dropPath = dropPath;
            norm1 = addChildBlock("norm1", new FixedLayerNorm(dim, eps));
            attn = addChildBlock("attn", new WindowAttention(dim, heads, ws, geometry));
            norm2 = addChildBlock("norm2", new FixedLayerNorm(dim, eps));
            mlp = addChildBlock("mlp", new Mlp(dim, (int) (dim * mlpRatio)));
        }

        int shift() {
            return shift;
        }

        WindowAttention attention() {
            return attn;
        }

        FixedLayerNorm norm1() {
            return norm1;
        }

        FixedLayerNorm norm2() {
            return norm2;
        }

        Mlp mlp() {
            return mlp;
        }

        int windowSize() {
            return ws;
        }

        /**
         * Tokens (B, h*w, C) -> (B, h*w, C). Padding to a multiple of the window, the cyclic shift and the window
         * partition of the official code are one cached-index gather, and their inverse another.
         */
        NDArray apply(ParameterStore ps, NDArray x, int h, int w, boolean training) {
            Shape s = x.getShape();
            long b = s.get(0);
            long c = s.get(2);
            int hp = ceilDiv(h, ws) * ws;
            int wp = ceilDiv(w, ws) * ws;
            int numWindows = (hp / ws) * (wp / ws);
            // The official code pads the normed map with zero tokens, windows it, then projects every window token.
            // The qkv and output projections are per token, so they run on the h*w real tokens only (the padded
            // ones all read the zero token's projection, appended as one extra row): same result, and on maps that
            // are no multiple of the window (Swin-B at 480: 30 -> 36, 15 -> 24) far fewer rows.
            NDArray attended = ForwardScope.array(() -> {
                NDArray windows = ForwardScope.array(() -> {
                    NDArray qkvTokens = attn.projectWithZeroToken(ps, norm1.apply(ps, x, training), training);
                    return qkvTokens.get(new NDIndex(":, {}", attn.windowOrder(ps, x, shift, h, w, training)))
                            .reshape(b * numWindows, (long) ws * ws, 3 * c);
                }, x);
                NDArray mask = shift > 0 ? attn.shiftMask(ps, x, shift, hp, wp, training) : null;
                NDArray tokens = attn.attend(ps, windows, mask, numWindows, training)
                        .reshape(b, (long) numWindows * ws * ws, c)
                        .get(new NDIndex(":, {}", attn.tokenOrder(ps, x, shift, h, w, training)));
                return dropPath(attn.project(ps, tokens, training), dropPath, training);
            }, x);
            NDArray mid = x.add(attended);
            NDArray mlpOut = ForwardScope.array(
                    () -> dropPath(mlp.apply(ps, norm2.apply(ps, mid, training), training), dropPath, training), mid);
            return mid.add(mlpOut);
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            throw new UnsupportedOperationException("a Swin block needs the grid size: call apply");
        }
    }

    /** Patch merging (Swin Sec. 3.1): 2x2 neighbours concatenated (4C), LayerNorm, Linear 4C -> 2C without bias. */
    static final class PatchMerging extends FixedShapeBlock {
        private final FixedLinear reduction;
        private final FixedLayerNorm norm;
        private final int dim;

        PatchMerging(int dim, float eps) {
            this.dim = dim;
            reduction = addChildBlock("reduction", new FixedLinear(4 * dim, 2 * dim, false, TRUNC_NORMAL));
            norm = addChildBlock("norm", new FixedLayerNorm(4 * dim, eps));
        }

        NDArray apply(ParameterStore ps, NDArray x, int h, int w, boolean training) {
            long b = x.getShape().get(0);
            NDArray y = x.reshape(b, h, w, dim);
            if (h % 2 != 0 || w % 2 != 0) {
                y = y.pad(new Shape(0, 0, 0, w % 2, 0, h % 2), 0);
            }
            long h2 = (h + 1) / 2;
            long w2 = (w + 1) / 2;
            // official order cat[x(0,0), x(1,0), x(0,1), x(1,1)] over (row, col) offsets = column offset major
            NDArray merged = y.reshape(b, h2, 2, w2, 2, dim)
                    .transpose(0, 1, 3, 4, 2, 5)
                    .reshape(b, h2 * w2, 4L * dim);
            return reduction.apply(ps, norm.apply(ps, merged, training), training);
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            throw new UnsupportedOperationException("patch merging needs the grid size: call apply");
        }
    }

    /** One stage (official BasicLayer): blocks alternating plain and shifted windows, then optional downsample. */
    static final class SwinStage extends FixedShapeBlock {
        private final IndexedBlocks<SwinBlock> blocks;
        private final PatchMerging downsample;

        SwinStage(SwinConfig c, int stage, float[] dropPathRates, boolean withDownsample, WindowGeometry geometry) {
            int dim = c.stageDim(stage);
            int ws = c.windowSize();
            List<SwinBlock> list = new ArrayList<>();
            for (int i = 0; i < c.depth(stage); i++) {
                list.add(new SwinBlock(dim, c.heads(stage), ws, i % 2 == 0 ? 0 : ws / 2, c.mlpRatio(),
                        dropPathRates[i], c.layerNormEps(), geometry));
            }
            blocks = addChildBlock("blocks", new IndexedBlocks<>(list));
            downsample = withDownsample ? addChildBlock("downsample", new PatchMerging(dim, c.layerNormEps())) : null;
        }

        IndexedBlocks<SwinBlock> blocks() {
            return blocks;
        }

        PatchMerging downsample() {
            return downsample;
        }

        NDArray runBlocks(ParameterStore ps, NDArray x, int h, int w, boolean training) {
            for (SwinBlock block : blocks.items()) {
                NDArray in = x;
                x = ForwardScope.array(() -> block.apply(ps, in, h, w, training), in);
            }
            return x;
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            throw new UnsupportedOperationException("a Swin stage needs the grid size: call SwinBackbone.stage");
        }
    }
}
