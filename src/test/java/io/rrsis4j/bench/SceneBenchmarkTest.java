package io.rrsis4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rrsis4j.infer.ColourSegmenter;
import io.rrsis4j.infer.SceneOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

class SceneBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void measuresTimeAndHeapPerSceneSize() throws Exception {
        List<SceneBenchmark.Measurement> m = SceneBenchmark.run(new ColourSegmenter(), new int[] {1000, 2000}, dir,
                SceneOptions.defaults(null, null).withProgress(false));
        assertEquals(2, m.size());
        assertEquals(9, m.get(0).tiles());
        assertEquals(25, m.get(1).tiles());
        for (SceneBenchmark.Measurement x : m) {
            assertTrue(x.seconds() > 0 && x.secondsPerMegapixel() > 0);
            assertTrue(x.peakUsedHeap() >= x.peakLiveHeap());
            // live data of a 2000^2 scene: file bytes 12 MB + probability 4 MB + strip buffers ~10 MB
            assertTrue(x.peakLiveHeap() - x.baselineLiveHeap() < 200L << 20, x.toString());
        }
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "benchmark files removed");
        }
    }

    /** Manual run: {@code mvn test -Dtest=SceneBenchmarkTest -Drrsis4j.bench.sizes=2000,4000,8000}. */
    @Test
    @EnabledIfSystemProperty(named = "rrsis4j.bench.sizes", matches = ".+")
    void manualBenchmark() {
        int[] sizes = Arrays.stream(System.getProperty("rrsis4j.bench.sizes").split(","))
                .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        for (SceneBenchmark.Measurement x : SceneBenchmark.run(new ColourSegmenter(), sizes, dir,
                SceneOptions.defaults(null, null).withProgress(false))) {
            System.out.println("BENCH " + x);
        }
    }
}
