package io.rrsis4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import java.util.function.Supplier;

/**
 * Runs one piece of a forward (a Swin block's attention, a BSC, a decoder level) so that every array it creates is
 * closed as soon as it returns, except its results. Without it every intermediate of a step lives in the step's
 * manager until the step ends (4.7 GB resident for one Swin-B image at 480 px, of which 0.9 GB are the weights).
 *
 * <p>Closing an array here only drops this process's handle: libtorch counts references, so a tensor that autograd
 * saved for the backward pass, or that a kept result views, stays alive as long as they need it. Training therefore
 * keeps exactly what backward needs. Arrays over Java buffers must not be made inside a piece on a gradient path
 * (their buffer goes with the handle): scalars come from {@link Layers#scale}, which makes them natively.
 *
 * <p>The results move to the enclosing piece's scope, so they are closed when that piece ends unless it returns
 * them too; outside any piece they stay in their manager. Results that are one of the piece's inputs (a piece that
 * passes an array through) are left where they were.
 */
final class ForwardScope {
    private ForwardScope() {}

    /** One array out. */
    static NDArray array(Supplier<NDArray> piece, NDArray... inputs) {
        NDArray out;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            out = piece.get();
            NDScope.unregister(out);
        }
        handOut(out, inputs);
        return out;
    }

    /** Several arrays out. */
    static NDList list(Supplier<NDList> piece, NDArray... inputs) {
        NDList out;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            out = piece.get();
            for (NDArray a : out) {
                NDScope.unregister(a);
            }
        }
        for (NDArray a : out) {
            handOut(a, inputs);
        }
        return out;
    }

    /** An array made inside a piece that must outlive it (a cache, a converted weight): taken out of the scope. */
    static NDArray keep(NDArray array) {
        NDScope.unregister(array);
        return array;
    }

    private static void handOut(NDArray result, NDArray[] inputs) {
        for (NDArray in : inputs) {
            if (in == result) {
                return;
            }
        }
        NDScope.register(result);
    }
}
