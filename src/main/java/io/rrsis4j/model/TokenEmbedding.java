package io.rrsis4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/** torch.nn.Embedding: a {@code weight} table (count, dim) looked up by int64 ids (...) -> (..., dim). */
public final class TokenEmbedding extends FixedShapeBlock {
    private final Parameter weight;
    private final int dim;

    public TokenEmbedding(int count, int dim, Initializer init) {
        this.dim = dim;
        weight = param("weight", Parameter.Type.WEIGHT, new Shape(count, dim), init);
    }

    public NDArray apply(ParameterStore ps, NDArray ids, boolean training) {
        NDArray table = value(ps, weight, ids, training);
        Shape idShape = ids.getShape();
        // gather rows by a flat index, then restore the id layout: one differentiable index op
        return toStep(table.get(ids.flatten()), ids).reshape(idShape.add(dim));
    }

    public Parameter weight() {
        return weight;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(dim)};
    }
}
