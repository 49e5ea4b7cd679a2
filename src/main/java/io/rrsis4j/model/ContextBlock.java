package io.rrsis4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * ASPP-style context block on the deepest map (BTDNET.md T-BTD, MCI): parallel 3 x 3 convolutions with the given
 * dilations and a global-pooling branch, concatenated and projected back: (B, D, H, W) -> (B, D, H, W).
 * The pooling branch is conv + ReLU without BatchNorm (DeepLab has BN there, but a 1 x 1 map at batch 1 has no
 * batch statistics to speak of).
 */
public final class ContextBlock extends AbstractBlock {
    private final int channels;
    private final List<ConvBnRelu> branches = new ArrayList<>();
    private final Conv2d pool;
    private final ConvBnRelu project;

    public ContextBlock(int channels, int[] dilations) {
        this.channels = channels;
        for (int i = 0; i < dilations.length; i++) {
            branches.add(addChildBlock("branch" + i, new ConvBnRelu(channels, channels, 3, dilations[i])));
        }
        pool = addChildBlock("pool", Layers.conv(1, channels, 1, 1, true));
        project = addChildBlock("project", new ConvBnRelu(channels * (dilations.length + 1), channels, 1, 1));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape s = x.getShape();
        NDList parts = new NDList();
        for (ConvBnRelu b : branches) {
            parts.add(Layers.apply(b, ps, x, training));
        }
        NDArray pooled = x.mean(new int[] {3}, true).mean(new int[] {2}, true); // (B, D, 1, 1)
        NDArray global = Activation.relu(Layers.apply(pool, ps, pooled, training));
        parts.add(global.broadcast(s.get(0), channels, s.get(2), s.get(3)));
        return new NDList(Layers.apply(project, ps, NDArrays.concat(parts, 1), training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = new Shape(1, channels, 8, 8);
        for (ConvBnRelu b : branches) {
            b.initialize(manager, dataType, in);
        }
        pool.initialize(manager, dataType, new Shape(1, channels, 1, 1));
        project.initialize(manager, dataType, new Shape(1, channels * (branches.size() + 1), 8, 8));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
