package io.rrsis4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One transformer decoder layer without self-attention, post-norm as BERT: words (B, N, D) attend to memory
 * (B, M, D), then a feed-forward block. x = LN(x + MHA(x, mem)); x = LN(x + W2 gelu(W1 x)). Output (B, N, D).
 */
public final class CrossAttentionLayer extends AbstractBlock {
    private final int width;
    private final int heads;
    private final int hiddenWidth;
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear output;
    private final LayerNorm attentionNorm;
    private final Linear ffnIn;
    private final Linear ffnOut;
    private final LayerNorm ffnNorm;

    public CrossAttentionLayer(int width, int heads, int hiddenWidth) {
        if (width % heads != 0) {
            throw new IllegalArgumentException("heads " + heads + " must divide the width " + width);
        }
        this.width = width;
        this.heads = heads;
        this.hiddenWidth = hiddenWidth;
        query = addChildBlock("query", Layers.linear(width, true));
        key = addChildBlock("key", Layers.linear(width, true));
        value = addChildBlock("value", Layers.linear(width, true));
        output = addChildBlock("output", Layers.linear(width, true));
        attentionNorm = addChildBlock("attention_norm", Layers.layerNorm(1e-5f));
        ffnIn = addChildBlock("ffn_in", Layers.linear(hiddenWidth, true));
        ffnOut = addChildBlock("ffn_out", Layers.linear(width, true));
        ffnNorm = addChildBlock("ffn_norm", Layers.layerNorm(1e-5f));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0); // (B, N, D)
        NDArray memory = inputs.get(1); // (B, M, D)
        NDArray q = Layers.splitHeads(Layers.apply(query, ps, x, training), heads);
        NDArray k = Layers.splitHeads(Layers.apply(key, ps, memory, training), heads);
        NDArray v = Layers.splitHeads(Layers.apply(value, ps, memory, training), heads);
        NDArray att = Layers.scale(q.matMul(k.transpose(0, 1, 3, 2)), (float) (1 / Math.sqrt((double) width / heads))).softmax(-1);
        NDArray read = Layers.apply(output, ps, Layers.mergeHeads(att.matMul(v)), training);
        x = Layers.apply(attentionNorm, ps, x.add(read), training);
        NDArray ffn = Layers.apply(ffnOut, ps, Activation.gelu(Layers.apply(ffnIn, ps, x, training)), training);
        return new NDList(Layers.apply(ffnNorm, ps, x.add(ffn), training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = new Shape(1, width);
        for (Linear l : new Linear[] {query, key, value, output, ffnIn}) {
            l.initialize(manager, dataType, in);
        }
        ffnOut.initialize(manager, dataType, new Shape(1, hiddenWidth));
        attentionNorm.initialize(manager, dataType, in);
        ffnNorm.initialize(manager, dataType, in);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
