package io.rrsis4j.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.rrsis4j.model.BtdNet;
import io.rrsis4j.model.BtdNetConfig;
import io.rrsis4j.model.BtdNetLoss;
import io.rrsis4j.model.ParameterPaths;
import io.rrsis4j.model.runtime.Precision;
import io.rrsis4j.train.Gradients;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Times BTDNet at its configured input size with random weights and inputs: the inference forward (no D-MOLS pass,
 * no gradients) and a full training step (forward with the entity-erased pass, loss, backward, AdamW update), after
 * warm-up. Speed does not depend on the weights' values, so no checkpoint is needed.
 */
public final class ModelBenchmark {
    private final BtdNetConfig config;
    private final int batch;
    private final Device device;
    private final Precision precision;

    /** Seconds per iteration of each timed run (best is the figure reported; the machine may be shared). */
    public record Timing(List<Double> seconds) {
        public double best() {
            return seconds.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        }

        public double mean() {
            return seconds.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }
    }

    public ModelBenchmark(BtdNetConfig config, int batch, Device device) {
        this(config, batch, device, Precision.FP32);
    }

    /** @param precision of the inference forward; training steps run in float32 */
    public ModelBenchmark(BtdNetConfig config, int batch, Device device, Precision precision) {
        this.precision = precision;
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1");
        }
        this.config = config;
        this.batch = batch;
        this.device = device;
    }

    /** A fresh network with random weights on the benchmark's device. */
    public BtdNet create(NDManager manager) {
        manager.getEngine().setRandomSeed(7);
        BtdNet net = new BtdNet(config);
        net.initialize(manager, DataType.FLOAT32);
        return net;
    }

    /** Random normalised image batch and a 20-token sentence per image (ids, attention, erased ids, labels). */
    public NDList inputs(NDManager m, boolean withErased) {
        int s = config.imageSize();
        int n = config.maxTokens();
        Random random = new Random(11);
        float[] pixels = new float[batch * 3 * s * s];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
        }
        long[] ids = new long[batch * n];
        long[] attention = new long[batch * n];
        long[] erased = new long[batch * n];
        long[] labels = new long[batch * n];
        int vocab = config.vocabSize();
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < n; t++) {
                int i = b * n + t;
                ids[i] = 1000 % vocab + random.nextInt(vocab - 1000 % vocab);
                attention[i] = 1; // every position real: the most work a 20-token sentence can cause
                boolean erase = t == 3 || t == 4;
                erased[i] = erase ? 103 % vocab : ids[i];
                labels[i] = erase ? ids[i] : -1;
            }
        }
        Shape text = new Shape(batch, n);
        NDList out = new NDList(m.create(pixels, new Shape(batch, 3, s, s)), m.create(ids, text),
                m.create(attention, text));
        if (withErased) {
            out.add(m.create(erased, text));
            out.add(m.create(labels, text));
        }
        return out;
    }

    /** Inference forwards: {@code warmup} untimed, then {@code iterations} timed. */
    public Timing forward(BtdNet net, NDManager manager, int warmup, int iterations) {
        List<Double> times = new ArrayList<>();
        try (NDManager data = manager.newSubManager(device)) {
            NDList host = inputs(data, false);
            ParameterStore weights = precision.parameters(data); // lower precision: weights converted in the first run
            for (int it = 0; it < warmup + iterations; it++) {
                try (NDManager step = data.newSubManager()) {
                    // ops attach their results to their input's manager: inputs per step, so the step frees all
                    NDList in = copy(host, step);
                    long t0 = System.nanoTime();
                    NDList out = net.forward(weights, precision.inputs(in), false);
                    out.get(0).get(0, 0, 0, 0).toType(DataType.FLOAT32, false).getFloat(); // synchronises asynchronous devices
                    long t = System.nanoTime() - t0;
                    out.attach(step);
                    if (it >= warmup) {
                        times.add(t / 1e9);
                    }
                }
            }
        }
        return new Timing(times);
    }

    /**
     * Training steps: forward with the erased pass, BTDNet loss, backward, then an AdamW update of every trainable
     * parameter (outside the collector, as DJL's Trainer does).
     */
    public Timing trainingStep(BtdNet net, NDManager manager, int warmup, int iterations) {
        Map<String, Parameter> params = ParameterPaths.of(net);
        List<Parameter> trainable = params.values().stream().filter(Parameter::requiresGradient).toList();
        trainable.forEach(p -> p.getArray().setRequiresGradient(true));
        Optimizer adamw = Optimizer.adamW().optLearningRateTracker(Tracker.fixed(1e-5f)).build();
        BtdNetLoss lossFn = new BtdNetLoss(config);
        List<Double> times = new ArrayList<>();
        try (NDManager data = manager.newSubManager(device)) {
            NDList host = inputs(data, true);
            int s = config.imageSize();
            host.add(data.randomUniform(0f, 1f, new Shape(batch, s, s)).gt(0.7f).toType(DataType.FLOAT32, false));
            for (int it = 0; it < warmup + iterations; it++) {
                try (NDManager step = data.newSubManager()) {
                    NDList in = copy(host, step);
                    NDArray mask = in.remove(5);
                    NDArray labels = in.remove(4);
                    long t0 = System.nanoTime();
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        Gradients.zero(trainable);
                        NDList out = net.forward(new ParameterStore(step, false), in, true);
                        BtdNetLoss.Terms loss = lossFn.compute(out, mask, labels);
                        gc.backward(loss.total());
                    }
                    for (Parameter p : trainable) {
                        try (NDArray g = p.getArray().getGradient()) { // a new handle each time: closed, not kept
                            adamw.update(p.getId(), p.getArray(), g);
                        }
                    }
                    NDArray flat = trainable.get(0).getArray().flatten(); // read back: synchronises asynchronous devices
                    flat.attach(step); // a parameter's results belong to its manager: this one goes with the step
                    flat.get(0).getFloat();
                    long t = System.nanoTime() - t0;
                    if (it >= warmup) {
                        times.add(t / 1e9);
                    }
                }
            }
        } finally {
            trainable.forEach(p -> p.getArray().setRequiresGradient(false));
        }
        return new Timing(times);
    }

    /** The arrays duplicated into {@code manager}. */
    public static NDList copy(NDList arrays, NDManager manager) {
        NDList out = new NDList();
        for (NDArray a : arrays) {
            NDArray c = a.duplicate();
            c.attach(manager);
            out.add(c);
        }
        return out;
    }

    public int batch() {
        return batch;
    }
}
