package io.rrsis4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * torch.nn.Linear with fixed sizes: parameters {@code weight} (out, in) and {@code bias} (out). Input (..., in),
 * output (..., out).
 */
public final class FixedLinear extends FixedShapeBlock {
    private final Parameter weight;
    private final Parameter bias;
    private final int inFeatures;
    private final int outFeatures;

    public FixedLinear(int inFeatures, int outFeatures, boolean hasBias, Initializer weightInit) {
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        weight = param("weight", Parameter.Type.WEIGHT, new Shape(outFeatures, inFeatures), weightInit);
        bias = hasBias ? param("bias", Parameter.Type.BIAS, new Shape(outFeatures), new ConstantInitializer(0f)) : null;
    }

    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        NDArray w = value(ps, weight, x, training);
        NDArray b = bias == null ? null : value(ps, bias, x, training);
        return b == null ? Linear.linear(x, w).head() : Linear.linear(x, w, b).head();
    }

    public Parameter weight() {
        return weight;
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {in.slice(0, in.dimension() - 1).add(outFeatures)};
    }
}
