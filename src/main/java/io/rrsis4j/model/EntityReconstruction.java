package io.rrsis4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * D-MOLS reconstruction module (BTDNET.md "D-MOLS"): predicts the erased entity words from the multimodal visual map.
 *
 * <p>Inputs: words (B, N, D) = BSC-updated word features of the erased sentence (all positions; the loss keeps the
 * erased ones), visual (B, C4, H4, W4) = stage-4 fused map, embedding (V, D) = BERT's word-embedding matrix.
 * Output: logits (B, N, V).
 *
 * <pre>
 * mem = LN(Wm flatten(visual))                 (B, H4·W4, D)   projected to the text width
 * x = CrossAttentionLayer x 2 (words -> mem)
 * logits = LN(gelu(Wt x)) E^T + bias           output projection tied to BERT's embeddings, as BERT's MLM head
 * </pre>
 */
public final class EntityReconstruction extends AbstractBlock {
    private final int visualChannels;
    private final int width;
    private final Linear memoryProj;
    private final LayerNorm memoryNorm;
    private final CrossAttentionLayer[] layers;
    private final Linear transform;
    private final LayerNorm transformNorm;
    private final Parameter vocabBias;

    /**
     * @param visualChannels C4 of the stage-4 map
     * @param width text width D
     * @param heads attention heads of the cross-attention layers
     * @param hiddenWidth feed-forward width
     * @param numLayers cross-attention layers (2 in the paper)
     * @param vocabSize V, the tokenizer's vocabulary size
     */
    public EntityReconstruction(int visualChannels, int width, int heads, int hiddenWidth, int numLayers, int vocabSize) {
        this.visualChannels = visualChannels;
        this.width = width;
        memoryProj = addChildBlock("memory_proj", Layers.linear(width, true));
        memoryNorm = addChildBlock("memory_norm", Layers.layerNorm(1e-5f));
        layers = new CrossAttentionLayer[numLayers];
        for (int i = 0; i < numLayers; i++) {
            layers[i] = addChildBlock("layer" + i, new CrossAttentionLayer(width, heads, hiddenWidth));
        }
        transform = addChildBlock("transform", Layers.linear(width, true));
        transformNorm = addChildBlock("transform_norm", Layers.layerNorm(1e-5f));
        vocabBias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(vocabSize)).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray words = inputs.get(0);
        NDArray visual = inputs.get(1);
        NDArray embedding = inputs.get(2); // (V, D)
        NDArray memory = Layers.apply(memoryNorm, ps, Layers.apply(memoryProj, ps, Layers.mapToTokens(visual), training), training);
        NDArray x = words;
        for (CrossAttentionLayer layer : layers) {
            x = layer.forward(ps, new NDList(x, memory), training).singletonOrThrow();
        }
        x = Layers.apply(transformNorm, ps, Activation.gelu(Layers.apply(transform, ps, x, training)), training);
        NDArray bias = ps.getValue(vocabBias, x.getDevice(), training);
        // F.linear(x, E, bias) = x E^T + bias; the result lives with x, not with the shared embedding matrix
        NDArray logits = Linear.linear(x, embedding, bias).singletonOrThrow();
        logits.setName("reconstruction");
        return new NDList(logits);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        memoryProj.initialize(manager, dataType, new Shape(1, visualChannels));
        Shape w = new Shape(1, width);
        memoryNorm.initialize(manager, dataType, w);
        for (CrossAttentionLayer l : layers) {
            l.initialize(manager, dataType, new Shape(1, 1, width), new Shape(1, 1, width));
        }
        transform.initialize(manager, dataType, w);
        transformNorm.initialize(manager, dataType, w);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape words = inputShapes[0];
        return new Shape[] {new Shape(words.get(0), words.get(1), inputShapes[2].get(0))};
    }
}
