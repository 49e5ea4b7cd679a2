package io.rrsis4j.spark;

import io.rrsis4j.infer.Segmenter;
import io.rrsis4j.model.runtime.NativeThreads;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models of this JVM, one per {@link SegmenterSource#key()}, loaded by the first task that needs one and then
 * shared by every later task of any job in this executor (they live as long as the executor). A BTDNet segmenter
 * runs one forward at a time, so the engine gets all the executor's cores for it ({@code nativeThreads}); tasks
 * running beside it read, decode and encode their rows meanwhile.
 */
final class ExecutorModels {

    private static final Map<String, Segmenter> MODELS = new ConcurrentHashMap<>();

    private ExecutorModels() {}

    /**
     * The shared segmenter of {@code source}, opened on first use. {@code nativeThreads} is applied before the first
     * model of the JVM starts the engine, unless the JVM was started with an explicit count.
     */
    static Segmenter get(SegmenterSource source, int nativeThreads) {
        return MODELS.computeIfAbsent(source.key(), key -> {
            if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
                NativeThreads.set(nativeThreads);
            }
            return source.open();
        });
    }
}
