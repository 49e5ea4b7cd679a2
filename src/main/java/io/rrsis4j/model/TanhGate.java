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
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * LAVT's language gate: tanh(W2 relu(W1 x)) per channel, (B, L, C) -> (B, L, C) in (-1, 1).
 * W2 starts with tiny weights (std {@value #INIT_STD}) so the gate opens near 0 and the fused signal enters the
 * pretrained encoder gently, while every weight before it still gets a (small, non-zero) gradient from the first step.
 */
public final class TanhGate extends AbstractBlock {
    static final float INIT_STD = 0.01f;
    private final int channels;
    private final Linear hidden;
    private final Linear out;

    public TanhGate(int channels) {
        this.channels = channels;
        hidden = addChildBlock("0", Layers.linear(channels, false));
        out = addChildBlock("2", Layers.linear(channels, false));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray h = Activation.relu(Layers.apply(hidden, ps, x, training));
        return new NDList(Layers.apply(out, ps, h, training).tanh());
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        hidden.initialize(manager, dataType, new Shape(1, channels));
        // set here, after any tree-wide setInitializer, so that the near-zero start always holds
        out.setInitializer(new NormalInitializer(INIT_STD), Parameter.Type.WEIGHT);
        out.initialize(manager, dataType, new Shape(1, channels));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
