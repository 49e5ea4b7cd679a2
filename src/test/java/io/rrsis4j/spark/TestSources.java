package io.rrsis4j.spark;

import io.rrsis4j.infer.ColourSegmenter;
import io.rrsis4j.infer.Segmenter;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.SparkSession;

/** Segmenter sources of the Spark tests (local mode: the executors are this JVM, so statics are shared). */
final class TestSources {

    private TestSources() {}

    /** A local Spark session on loopback, no UI, few shuffle partitions. */
    static SparkSession session(String master) {
        return SparkSessions.create(master, Map.of("spark.ui.enabled", "false", "spark.sql.shuffle.partitions", "2"));
    }

    /** {@link ColourSegmenter}: "red ..." finds red pixels. */
    record Colour(String name) implements SegmenterSource {
        @Override
        public String key() {
            return "colour:" + name;
        }

        @Override
        public Segmenter open() {
            return new ColourSegmenter();
        }
    }

    /** Failures thrown so far by {@link FailingFirstAttempt}. */
    static final AtomicInteger FAILURES = new AtomicInteger();

    /**
     * {@link ColourSegmenter} whose task for partition 0 fails in its second batch on the first attempt, after the
     * rows of its first batch went to the attempt's output file.
     */
    record FailingFirstAttempt(String name) implements SegmenterSource {
        private static final Map<Long, AtomicInteger> CALLS = new ConcurrentHashMap<>();

        @Override
        public String key() {
            return "failing:" + name;
        }

        @Override
        public Segmenter open() {
            ColourSegmenter colour = new ColourSegmenter();
            return new Segmenter() {
                @Override
                public List<float[]> targetProbability(List<BufferedImage> images, List<String> sentences) {
                    TaskContext task = TaskContext.get();
                    int call = CALLS.computeIfAbsent(task.taskAttemptId(), k -> new AtomicInteger()).incrementAndGet();
                    if (task.partitionId() == 0 && task.attemptNumber() == 0 && call == 2) {
                        FAILURES.incrementAndGet();
                        throw new IllegalStateException("injected failure of the first attempt");
                    }
                    synchronized (colour) {
                        return colour.targetProbability(images, sentences);
                    }
                }

                @Override
                public int inputSize() {
                    return colour.inputSize();
                }
            };
        }
    }
}
