package io.rrsis4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** The forward frees its intermediates as it goes and records nothing for gradients at inference. */
class ForwardScopeTest {
    private static NDList inputs(NDManager m, BtdNetConfig cfg, int batch) {
        int s = cfg.imageSize();
        NDArray image = m.randomNormal(new Shape(batch, 3, s, s));
        NDList text = BtdNetTest.text(m, List.of("the large white plane left", "a small ship near the dock"),
                new Random(3));
        return new NDList(image, text.get(0), text.get(1), text.get(2));
    }

    /** Whether autograd recorded how Y was made: a backward pass from it runs (libtorch refuses one otherwise). */
    private static boolean recordedGraph(NDArray y) {
        NDArray sum = y.sum();
        try {
            JniUtils.backward((PtNDArray) sum, (PtNDArray) sum.onesLike(), false, false);
            return true;
        } catch (EngineException e) { // "element 0 of tensors does not require grad and does not have a grad_fn"
            return false;
        }
    }

    @Test
    void afterAForwardTheStepHoldsOnlyItsInputsAndOutputs() {
        BtdNetConfig cfg = BtdNetConfig.micro();
        try (NDManager m = NDManager.newBaseManager()) {
            BtdNet net = BtdNetTest.create(cfg, m);
            for (boolean training : new boolean[] {false, true}) {
                try (NDManager step = m.newSubManager()) {
                    NDList in = inputs(step, cfg, 2);
                    if (!training) {
                        in.remove(3); // no erased pass at inference
                    }
                    int before = step.getManagedArrays().size();
                    NDList out = net.forward(new ParameterStore(step, false), in, training);
                    // everything the forward made in between (hundreds of arrays) is closed when it returns
                    assertEquals(before + out.size(), step.getManagedArrays().size(), "training " + training);
                    for (NDArray o : out) {
                        assertFalse(o.isReleased());
                        o.toFloatArray();
                    }
                }
            }
        }
    }

    @Test
    void inferenceRecordsNoGradientsOnAThreadWhoseGradModeIsOn() throws Exception {
        BtdNetConfig cfg = BtdNetConfig.micro();
        ExecutorService other = Executors.newSingleThreadExecutor();
        try (NDManager m = NDManager.newBaseManager()) {
            BtdNet net = BtdNetTest.create(cfg, m);
            // libtorch's grad mode is per thread and on by default: a worker thread records graphs unless told not to
            boolean[] seen = other.submit(() -> {
                boolean recordingBefore = NoGradient.recording();
                try (NDManager step = m.newSubManager()) {
                    NDList in = inputs(step, cfg, 2);
                    in.remove(3);
                    NDArray logits = net.forward(new ParameterStore(step, false), in, false).get(0);
                    // the same kind of op on a trainable parameter outside the forward is recorded
                    NDArray weight = ParameterPaths.of(net).values().stream()
                            .filter(p -> p.getArray().hasGradient()).findFirst().orElseThrow().getArray();
                    NDArray direct = weight.mul(weight);
                    direct.attach(step);
                    return new boolean[] {recordingBefore, recordedGraph(logits), recordedGraph(direct),
                            NoGradient.recording()};
                }
            }).get();
            assertTrue(seen[0], "a new thread records gradients by default");
            assertFalse(seen[1], "the inference forward recorded a graph");
            assertTrue(seen[2], "outside the forward the thread still records (the test would prove nothing)");
            assertTrue(seen[3], "the thread's grad mode is restored afterwards");
        } finally {
            other.shutdownNow();
        }
    }
}
