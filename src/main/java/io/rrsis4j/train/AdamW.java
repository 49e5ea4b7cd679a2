package io.rrsis4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.rrsis4j.io.torch.TensorData;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW as torch.optim.AdamW (decoupled weight decay, bias-corrected moments), written out here because DJL's
 * Adam has one weight decay for every parameter while BTDNet decays weights but not norms, biases and the
 * relative-position-bias tables (BTDNET.md "Total loss and training"); owning the moments also makes them easy to
 * checkpoint.
 *
 * <p>Per parameter p with gradient g at update t (1-based):
 * <pre>
 * p = p * (1 - lr * wd)                     decoupled decay, wd = 0 outside the decay group
 * m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
 * p = p - lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * </pre>
 * The update runs outside the gradient collector (no autograd) and in place; every temporary of the update goes to
 * the step's manager by attaching the parameter, its gradient and moments there for the update's duration.
 */
public final class AdamW {
    private final double weightDecay;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final NDManager stateManager;
    private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
    private long updates;

    public AdamW(NDManager stateManager, double weightDecay) {
        this(stateManager, weightDecay, 0.9, 0.999, 1e-8);
    }

    public AdamW(NDManager stateManager, double weightDecay, double beta1, double beta2, double eps) {
        this.stateManager = stateManager;
        this.weightDecay = weightDecay;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    /**
     * Whether a parameter is weight-decayed: matrices and convolution kernels are; one-dimensional parameters
     * (biases, LayerNorm/BatchNorm weights, gates, the joint prediction's scalars) and Swin's
     * relative_position_bias_table are not, as Swin/LAVT's training code sets them.
     */
    public static boolean decays(String name, Shape shape) {
        return shape.dimension() > 1 && !name.endsWith("relative_position_bias_table");
    }

    /** Number of updates done so far (t of the next update minus one). */
    public long updates() {
        return updates;
    }

    /**
     * One update of every trainable parameter that has a gradient.
     *
     * @param parameters trainable parameters by path ({@link io.rrsis4j.model.ParameterPaths})
     * @param lr this update's learning rate
     * @param step the step's manager; every temporary is freed with it
     */
    public void update(Map<String, Parameter> parameters, double lr, NDManager step) {
        updates++;
        double bc1 = 1 - Math.pow(beta1, updates);
        double bc2 = 1 - Math.pow(beta2, updates);
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            Parameter p = e.getValue();
            if (!p.requiresGradient()) {
                continue;
            }
            NDArray w = p.getArray();
            NDArray m = firstMoments.computeIfAbsent(e.getKey(), k -> stateManager.zeros(w.getShape(), DataType.FLOAT32));
            NDArray v = secondMoments.computeIfAbsent(e.getKey(), k -> stateManager.zeros(w.getShape(), DataType.FLOAT32));
            w.tempAttach(step);
            m.tempAttach(step);
            v.tempAttach(step);
            NDArray g = w.getGradient();
            g.attach(step);
            double wd = decays(e.getKey(), w.getShape()) ? weightDecay : 0;
            if (wd != 0) {
                w.muli(1 - lr * wd);
            }
            m.muli(beta1).addi(g.mul(1 - beta1));
            v.muli(beta2).addi(g.square().muli(1 - beta2));
            NDArray denom = v.sqrt().divi(Math.sqrt(bc2)).addi(eps);
            w.subi(m.div(denom).muli(lr / bc1));
        }
    }

    /** The moments by "m." / "v." + parameter path, for checkpoints (the update count goes to the state JSON). */
    public Map<String, TensorData> state() {
        Map<String, TensorData> out = new LinkedHashMap<>();
        firstMoments.forEach((k, a) -> out.put("m." + k, TensorData.ofFloats(a.getShape().getShape(), a.toFloatArray())));
        secondMoments.forEach((k, a) -> out.put("v." + k, TensorData.ofFloats(a.getShape().getShape(), a.toFloatArray())));
        return out;
    }

    /** Restores what {@link #state()} wrote and the update count. */
    public void load(Map<String, TensorData> state, long updateCount) {
        updates = updateCount;
        firstMoments.values().forEach(NDArray::close);
        secondMoments.values().forEach(NDArray::close);
        firstMoments.clear();
        secondMoments.clear();
        for (Map.Entry<String, TensorData> e : state.entrySet()) {
            String key = e.getKey();
            NDArray a = stateManager.create(e.getValue().floats(), new Shape(e.getValue().shape()));
            if (key.startsWith("m.")) {
                firstMoments.put(key.substring(2), a);
            } else if (key.startsWith("v.")) {
                secondMoments.put(key.substring(2), a);
            } else {
                a.close();
            }
        }
    }
}
