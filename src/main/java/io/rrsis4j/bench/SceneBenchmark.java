package io.rrsis4j.bench;

import io.rrsis4j.infer.SceneOptions;
import io.rrsis4j.infer.SceneSegmentation;
import io.rrsis4j.infer.Segmenter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time and memory of tiled scene segmentation against scene size, on {@link SyntheticGeoScene}s. Heap is measured
 * two ways: the largest used heap seen by a sampler thread every 10 ms (includes garbage not yet collected) and
 * the largest live heap after a full GC at the end of each tile row (what the pipeline really holds).
 */
public final class SceneBenchmark {

    /** One scene size: seconds of segmentation (scene writing excluded) and heap peaks in bytes. */
    public record Measurement(int size, double megapixels, int tiles, double seconds, double secondsPerMegapixel,
                              long peakUsedHeap, long peakLiveHeap, long baselineLiveHeap) {
        @Override
        public String toString() {
            return String.format("%dx%d: %d tiles, %.2f s, %.3f s/MP, peak used heap %d MB, peak live heap %d MB"
                            + " (baseline %d MB)", size, size, tiles, seconds, secondsPerMegapixel,
                    peakUsedHeap >> 20, peakLiveHeap >> 20, baselineLiveHeap >> 20);
        }
    }

    private SceneBenchmark() {}

    /**
     * Segments a synthetic scene of each size with {@code segmenter} (sentence "the red storage tank"), writing
     * scenes and outputs under {@code workDir} and deleting them afterwards.
     */
    public static List<Measurement> run(Segmenter segmenter, int[] sizes, Path workDir, SceneOptions base) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        List<Measurement> out = new ArrayList<>();
        for (int size : sizes) {
            Path scene = workDir.resolve("bench-scene-" + size + ".tif");
            Path mask = workDir.resolve("bench-mask-" + size + ".tif");
            Path geojson = workDir.resolve("bench-regions-" + size + ".geojson");
            SyntheticGeoScene.write(scene, size);
            System.gc();
            long baseline = memory.getHeapMemoryUsage().getUsed();
            AtomicLong peakUsed = new AtomicLong(baseline);
            AtomicLong peakLive = new AtomicLong(baseline);
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peakUsed.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            sampler.setDaemon(true);
            sampler.start();
            SceneSegmentation.Result result;
            try {
                SceneOptions options = new SceneOptions(base.tile(), base.overlap(), base.bands(), mask, geojson,
                        base.rule(), base.batchSize(), base.progress());
                result = SceneSegmentation.run(segmenter, scene, "the red storage tank", options, () -> {
                    System.gc();
                    peakLive.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                });
            } finally {
                sampler.interrupt();
            }
            double mp = (double) size * size / 1e6;
            out.add(new Measurement(size, mp, result.tiles(), result.seconds(), result.seconds() / mp,
                    peakUsed.get(), peakLive.get(), baseline));
            try {
                Files.deleteIfExists(scene);
                Files.deleteIfExists(mask);
                Files.deleteIfExists(geojson);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }
}
