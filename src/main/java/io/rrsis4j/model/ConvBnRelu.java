package io.rrsis4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** k x k conv (no bias) + BatchNorm + ReLU: (B, Cin, H, W) -> (B, Cout, H, W), the decoders' basic unit. */
public final class ConvBnRelu extends AbstractBlock {
    private final int inChannels;
    private final int outChannels;
    private final Conv2d conv;
    private final BatchNorm bn;

    public ConvBnRelu(int inChannels, int outChannels, int kernel, int dilation) {
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        conv = addChildBlock("conv", Layers.conv(kernel, outChannels, dilation, 1, false));
        bn = addChildBlock("bn", Layers.batchNorm());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray in = inputs.singletonOrThrow();
        return new NDList(ForwardScope.array(
                () -> Activation.relu(Layers.apply(bn, ps, Layers.apply(conv, ps, in, training), training)), in));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, new Shape(1, inChannels, 8, 8));
        bn.initialize(manager, dataType, new Shape(1, outChannels, 8, 8));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), outChannels, s.get(2), s.get(3))};
    }
}
