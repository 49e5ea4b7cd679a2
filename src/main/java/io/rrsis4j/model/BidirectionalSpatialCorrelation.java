package io.rrsis4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * BSC, Bidirectional Spatial Correlation (BTDNET.md "BSC"), one per encoder stage.
 *
 * <p>Inputs: Vi (B, C, H, W) visual map of stage i; Li (B, N, D) word features (D = text width, 768 for BERT-base);
 * mask (B, N) int64, 1 = real token. Outputs: Vi' (B, C, H, W) and Li+1 (B, N, D).
 *
 * <pre>
 * Vc = pw1x1(dw3x3(Vi))                                     spatial context, (B, C, H, W)
 * Vp = Vc + Wp xy                                            xy: the pixel's 8-D coordinates (with positions on)
 * Q = Vp Wq, Vv = Vp Wu (per pixel, B x HW x C); K = Li Wk, Vt = Li Wv (B x N x C)   common width d = C
 * A = Q K^T / sqrt(d_head) per head, (B, h, HW, N); padded words get -1e4 before the word softmax
 * image-to-text: T = softmax_words(A) Vt                     (B, HW, C)
 *                Vi' = Vi + g(Vi) * P(Vc * T)                P = 1x1 conv (per-pixel Linear) + LayerNorm
 * text-to-image: S = softmax_pixels(A^T) Vv                  (B, N, C)
 *                Li+1 = LayerNorm(Li + Wo(S) * g_t(Li)), padded positions keep Li
 * </pre>
 *
 * Choices the paper leaves open: the scale is per head (sqrt of the head width, as in every multi-head attention);
 * P's norm is a LayerNorm over channels (works at batch 1, unlike BatchNorm); the gates are LAVT's
 * tanh(W2 relu(W1 x)) {@link TanhGate}, the word gate reading Li. With {@code bidirectional = false} (ablation
 * "BSC off") only the image-to-text half exists and Li+1 = Li.
 *
 * <p>Positions: Swin's attention only knows relative offsets, so a pixel cannot tell it lies "on the left" or "at the
 * top", which remote sensing sentences say all the time. With positions on, the pixels' queries and values carry
 * their place: the 8-D coordinates of the referring segmentation literature since Hu et al. 2016 (cell bounds and
 * centre in [-1, 1], 1/W, 1/H), projected to C and added to the spatial context. The paper is silent on it; it is
 * the field's usual way to ground positional words.
 */
public final class BidirectionalSpatialCorrelation extends AbstractBlock {
    private final int channels;
    private final int textWidth;
    private final int heads;
    private final boolean bidirectional;
    /** Features per pixel of the coordinate encoding. */
    public static final int POSITION_FEATURES = 8;

    private final Conv2d depthwise;
    private final Conv2d pointwise;
    private final Linear queryProj;
    private final Linear keyProj;
    private final Linear wordValueProj;
    private final Linear fusionProj;
    private final LayerNorm fusionNorm;
    private final Linear positionProj; // null when positions are off
    private final TanhGate visualGate;
    // text-to-image half, null when bidirectional is off
    private final Linear pixelValueProj;
    private final Linear wordOutProj;
    private final TanhGate wordGate;
    private final LayerNorm wordNorm;

    /**
     * @param channels C of this stage's visual map
     * @param textWidth D of the word features
     * @param heads attention heads; must divide C
     * @param bidirectional false for the "BSC off" ablation (one-way fusion, words unchanged)
     * @param positions add the pixels' coordinates to their queries and values
     */
    public BidirectionalSpatialCorrelation(int channels, int textWidth, int heads, boolean bidirectional,
            boolean positions) {
        if (channels % heads != 0) {
            throw new IllegalArgumentException("BSC heads " + heads + " must divide the channels " + channels);
        }
        this.channels = channels;
        this.textWidth = textWidth;
        this.heads = heads;
        this.bidirectional = bidirectional;
        depthwise = addChildBlock("context_dw", Layers.conv(3, channels, 1, channels, true));
        pointwise = addChildBlock("context_pw", Layers.conv(1, channels, 1, 1, true));
        queryProj = addChildBlock("query", Layers.linear(channels, true));
        keyProj = addChildBlock("key", Layers.linear(channels, true));
        wordValueProj = addChildBlock("word_value", Layers.linear(channels, true));
        fusionProj = addChildBlock("fusion_proj", Layers.linear(channels, true));
        fusionNorm = addChildBlock("fusion_norm", Layers.layerNorm(1e-5f));
        visualGate = addChildBlock("visual_gate", new TanhGate(channels));
        positionProj = positions ? addChildBlock("position", Layers.linear(channels, true)) : null;
        if (bidirectional) {
            pixelValueProj = addChildBlock("pixel_value", Layers.linear(channels, true));
            wordOutProj = addChildBlock("word_out", Layers.linear(textWidth, true));
            wordGate = addChildBlock("word_gate", new TanhGate(textWidth));
            wordNorm = addChildBlock("word_norm", Layers.layerNorm(1e-5f));
        } else {
            pixelValueProj = null;
            wordOutProj = null;
            wordGate = null;
            wordNorm = null;
        }
    }

    public boolean isBidirectional() {
        return bidirectional;
    }

    /** The spatial context, the pixels with their places, and the correlation A (B, h, HW, N) of pixels and words. */
    private record Correlation(NDArray contextTokens, NDArray located, NDArray corr) {}

    private Correlation correlate(ParameterStore ps, NDArray vis, NDArray words, boolean training) {
        long h = vis.getShape().get(2);
        long w = vis.getShape().get(3);
        int dh = channels / heads;
        NDArray context = Layers.apply(pointwise, ps, Layers.apply(depthwise, ps, vis, training), training);
        NDArray contextTokens = Layers.mapToTokens(context); // (B, HW, C)
        NDArray located = positionProj == null ? contextTokens
                : contextTokens.add(Layers.apply(positionProj, ps,
                        coordinates(vis.getManager(), h, w).toType(vis.getDataType(), false), training));
        NDArray q = Layers.splitHeads(Layers.apply(queryProj, ps, located, training), heads); // (B,h,HW,dh)
        NDArray k = Layers.splitHeads(Layers.apply(keyProj, ps, words, training), heads); // (B,h,N,dh)
        return new Correlation(contextTokens, located,
                Layers.scale(q.matMul(k.transpose(0, 1, 3, 2)), (float) (1 / Math.sqrt(dh)))); // A: (B,h,HW,N)
    }

    /**
     * Where each word looks in the image: the text-to-image attention softmax_pixels(A^T), averaged over the heads,
     * (B, N, H, W), each word's map summing to 1. Inference only; computed again from the stage's inputs so that
     * the forward pass pays nothing for it. With BSC off (no text-to-image half) it is the same normalisation of
     * the correlation the image-to-text half uses.
     */
    public NDArray wordAttention(ParameterStore ps, NDArray vis, NDArray words) {
        NDArray corr = correlate(ps, vis, words, false).corr();
        NDArray perWord = corr.transpose(0, 1, 3, 2).softmax(-1).mean(new int[] {1}); // (B, N, HW)
        Shape s = vis.getShape();
        return perWord.reshape(s.get(0), words.getShape().get(1), s.get(2), s.get(3));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray vis = inputs.get(0); // (B, C, H, W)
        NDArray words = inputs.get(1); // (B, N, D)
        NDArray mask = inputs.get(2); // (B, N)
        long h = vis.getShape().get(2);
        long w = vis.getShape().get(3);

        Correlation c = correlate(ps, vis, words, training);
        NDArray contextTokens = c.contextTokens();
        NDArray located = c.located();
        NDArray corr = c.corr();
        NDArray vt = Layers.splitHeads(Layers.apply(wordValueProj, ps, words, training), heads); // (B,h,N,dh)

        // image-to-text: every pixel reads the real words only
        NDArray maskF = mask.toType(corr.getDataType(), false); // the working precision (float16 runs too)
        NDArray wordBias = maskF.sub(1).mul(1e4f).reshape(mask.getShape().get(0), 1, 1, mask.getShape().get(1));
        NDArray t = Layers.mergeHeads(corr.add(wordBias).softmax(-1).matMul(vt)); // (B, HW, C)
        NDArray fused = Layers.apply(fusionNorm, ps, Layers.apply(fusionProj, ps, contextTokens.mul(t), training), training);
        NDArray visTokens = Layers.mapToTokens(vis);
        NDArray gate = Layers.apply(visualGate, ps, visTokens, training);
        NDArray visOut = Layers.tokensToMap(visTokens.add(gate.mul(fused)), h, w);

        if (!bidirectional) {
            return new NDList(visOut, words);
        }
        // text-to-image: every word reads all pixels
        NDArray vv = Layers.splitHeads(Layers.apply(pixelValueProj, ps, located, training), heads); // (B,h,HW,dh)
        NDArray s = Layers.mergeHeads(corr.transpose(0, 1, 3, 2).softmax(-1).matMul(vv)); // (B, N, C)
        NDArray update = Layers.apply(wordOutProj, ps, s, training).mul(Layers.apply(wordGate, ps, words, training));
        NDArray updated = Layers.apply(wordNorm, ps, words.add(update), training);
        NDArray keep = maskF.expandDims(-1); // padded words stay as they were
        NDArray wordsOut = updated.mul(keep).add(words.mul(keep.neg().add(1)));
        return new NDList(visOut, wordsOut);
    }

    /**
     * (1, H*W, 8) per pixel, row-major: x0, y0, x1, y1 (the cell's bounds), xc, yc (its centre), all in [-1, 1],
     * then 1/W and 1/H.
     */
    static NDArray coordinates(NDManager manager, long h, long w) {
        NDArray xc = manager.arange(0f, (float) w).add(0.5f).mul(2f / w).sub(1f).reshape(1, w).broadcast(h, w);
        NDArray yc = manager.arange(0f, (float) h).add(0.5f).mul(2f / h).sub(1f).reshape(h, 1).broadcast(h, w);
        NDArray stack = NDArrays.stack(new NDList(xc.sub(1f / w), yc.sub(1f / h), xc.add(1f / w), yc.add(1f / h), xc, yc,
                manager.full(new Shape(h, w), 1f / w), manager.full(new Shape(h, w), 1f / h)), 2);
        return stack.reshape(1, h * w, POSITION_FEATURES);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape pixel = new Shape(1, channels);
        Shape word = new Shape(1, textWidth);
        depthwise.initialize(manager, dataType, new Shape(1, channels, 3, 3));
        pointwise.initialize(manager, dataType, new Shape(1, channels, 3, 3));
        queryProj.initialize(manager, dataType, pixel);
        keyProj.initialize(manager, dataType, word);
        wordValueProj.initialize(manager, dataType, word);
        fusionProj.initialize(manager, dataType, pixel);
        fusionNorm.initialize(manager, dataType, pixel);
        visualGate.initialize(manager, dataType, pixel);
        if (positionProj != null) {
            positionProj.initialize(manager, dataType, new Shape(1, POSITION_FEATURES));
        }
        if (bidirectional) {
            pixelValueProj.initialize(manager, dataType, pixel);
            wordOutProj.initialize(manager, dataType, pixel);
            wordGate.initialize(manager, dataType, word);
            wordNorm.initialize(manager, dataType, word);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0], inputShapes[1]};
    }
}
