package io.rrsis4j.model;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Gradient recording off on this thread while an inference forward runs, as torch.no_grad(). The parameters of a
 * network require gradients (DJL sets that when it initialises them), and libtorch records the graph of every op on
 * them on any thread whose grad mode is on, which is every thread but the one that started the engine (grad mode is
 * per thread and on by default; DJL turns it off on the first one only). A recorded graph holds each op's saved
 * inputs until the output is freed, so the forward's intermediates could not be freed early. Restores the previous
 * mode when closed. On engines other than PyTorch it does nothing.
 */
public final class NoGradient implements AutoCloseable {
    private final boolean restore;

    private NoGradient(boolean restore) {
        this.restore = restore;
    }

    public static NoGradient enter() {
        if (!"PyTorch".equals(Engine.getInstance().getEngineName()) || !JniUtils.isGradMode()) {
            return new NoGradient(false);
        }
        JniUtils.setGradMode(false);
        return new NoGradient(true);
    }

    /** Whether this thread records gradients now (false on engines other than PyTorch). */
    public static boolean recording() {
        return "PyTorch".equals(Engine.getInstance().getEngineName()) && JniUtils.isGradMode();
    }

    @Override
    public void close() {
        if (restore) {
            JniUtils.setGradMode(true);
        }
    }
}
