package io.rrsis4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Generalized referring segmentation's target-presence head (DESIGN-NOTES.md "Generalized referring segmentation"):
 * one logit per (image, sentence) that the sentence names something in the image.
 *
 * <p>Inputs: the target stream's features Ft (B, C, h, w), its target logit map Pt (B, 1, h, w) and the sentence
 * vector s (B, D). Output "presence" (B, 1), a logit (sigmoid for the probability).
 * <pre>
 * z = [mean(Ft), max(Ft), mean(Pt), max(Pt), s]          (B, 2C + 2 + D)
 * presence = W2 relu(W1 z)                                  (B, 1)
 * </pre>
 * The max pools carry "somewhere in the image the sentence matches"; the mean pools and s let the head weigh
 * that against how much of the image looks alike and what the sentence asks for.
 */
public final class PresenceHead extends AbstractBlock {
    private final int channels;
    private final int textWidth;
    private final Linear hidden;
    private final Linear out;

    /** @param channels C of the target stream; @param textWidth D of the sentence vector */
    public PresenceHead(int channels, int textWidth) {
        this.channels = channels;
        this.textWidth = textWidth;
        hidden = addChildBlock("hidden", Layers.linear(channels, true));
        out = addChildBlock("out", Layers.linear(1, true));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray features = inputs.get(0);
        NDArray evidence = inputs.get(1);
        NDArray sentence = inputs.get(2);
        long b = features.getShape().get(0);
        int[] space = {2};
        NDArray f = features.reshape(b, features.getShape().get(1), -1); // max takes one axis: flatten h, w
        NDArray e = evidence.reshape(b, 1, -1);
        NDArray z = NDArrays.concat(new NDList(f.mean(space), f.max(space), e.mean(space), e.max(space), sentence), 1);
        NDArray logit = Layers.apply(out, ps, Activation.relu(Layers.apply(hidden, ps, z, training)), training);
        logit.setName("presence");
        return new NDList(logit);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        hidden.initialize(manager, dataType, new Shape(1, 2L * channels + 2 + textWidth));
        out.initialize(manager, dataType, new Shape(1, channels));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), 1)};
    }
}
