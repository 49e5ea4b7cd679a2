package io.rrsis4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

/**
 * torch.nn.LayerNorm over the last axis: {@code weight} (ones) and {@code bias} (zeros), typed GAMMA/BETA so that
 * optimisers can exempt norm parameters from weight decay.
 */
public final class FixedLayerNorm extends FixedShapeBlock {
    private final Parameter weight;
    private final Parameter bias;
    private final Shape normalized;
    private final float eps;

    public FixedLayerNorm(int dim, float eps) {
        this.normalized = new Shape(dim);
        this.eps = eps;
        weight = param("weight", Parameter.Type.GAMMA, normalized, new ConstantInitializer(1f));
        bias = param("bias", Parameter.Type.BETA, normalized, new ConstantInitializer(0f));
    }

    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        return LayerNorm.layerNorm(x, normalized, value(ps, weight, x, training), value(ps, bias, x, training), eps)
                .head();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
