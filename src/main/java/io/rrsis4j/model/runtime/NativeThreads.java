package io.rrsis4j.model.runtime;

/**
 * The engine's native thread counts, which must be set before the engine starts (the commands, and Spark executors
 * before they load their model).
 */
public final class NativeThreads {
    private NativeThreads() {}

    /** {@code threads} intra-op threads (0 = the engine's default, one per core); inter-op work is one model at a time. */
    public static void set(int threads) {
        if (threads > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
    }
}
