package io.rrsis4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;

/**
 * A block whose parameters all have their shapes fixed at construction (as in PyTorch modules), so the whole tree
 * initialises without shape inference: {@code initialize(manager, FLOAT32)} with any (or no) input shapes.
 * Encoders are built from such blocks so that every parameter exists, named and shaped as in the reference
 * checkpoints, before any input is seen.
 */
public abstract class FixedShapeBlock extends AbstractBlock {

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Pair<String, Block> child : getChildren()) {
            child.getValue().initialize(manager, dataType);
        }
    }

    /** Adds a parameter with its final shape and initializer. */
    protected final Parameter param(String name, Parameter.Type type, Shape shape, Initializer init) {
        return addParameter(Parameter.builder()
                .setName(name)
                .setType(type)
                .optShape(shape)
                .optInitializer(init)
                .build());
    }

    /** The parameter's value on the device of {@code like}. */
    protected static NDArray value(ParameterStore ps, Parameter p, NDArray like, boolean training) {
        return ps.getValue(p, like.getDevice(), training);
    }

    /**
     * Hands an array computed from a parameter (or a cached constant) to the manager of the step's data. NDArray
     * ops attach their result to the manager of the array they are called on; without this, per-step results of
     * ops on parameters would pile up in the model's manager until the model is closed.
     */
    protected static NDArray toStep(NDArray fromParameter, NDArray like) {
        fromParameter.attach(like.getManager());
        return fromParameter;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        throw new UnsupportedOperationException(getClass().getSimpleName()
                + " is called through its typed methods; its output shape depends on arguments beyond the input shape");
    }
}
