package io.rrsis4j.cli;

/** The engine's native thread counts, which must be set before the engine starts. */
final class NativeThreads {
    private NativeThreads() {}

    /** {@code threads} intra-op threads (0 = the engine's default, one per core); inter-op work is one model at a time. */
    static void set(int threads) {
        if (threads > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
    }
}
