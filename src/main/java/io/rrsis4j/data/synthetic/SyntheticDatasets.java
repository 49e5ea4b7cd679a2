package io.rrsis4j.data.synthetic;

import io.rrsis4j.InvalidInputException;
import io.rrsis4j.data.DatasetSplits;
import io.rrsis4j.data.Datasets;
import io.rrsis4j.data.RefSegRsWriter;
import io.rrsis4j.data.RrsisdWriter;
import io.rrsis4j.io.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** One call to write a synthetic dataset in a benchmark's layout ({@link Datasets} reads it back). */
public final class SyntheticDatasets {
    /** Largest scene side: one scene (its image and every object's mask) must fit a default heap several times. */
    public static final int MAX_SIZE = 4096;

    private SyntheticDatasets() {}

    /**
     * Generates {@code count} scenes of {@code size} px with {@code seed} and writes them under {@code root}
     * (70 / 15 / 15 train / val / test by scene). Scenes are painted, written and dropped one at a time, so memory
     * does not grow with the count. The set is written into a temporary folder beside {@code root} and renamed to
     * {@code root} at the end: a failed or killed run leaves no half set; {@code root} must be new or empty.
     *
     * @return the number of (image, sentence) samples per split
     */
    public static Map<String, Integer> write(Path root, Datasets.Format format, int count, int size, long seed) throws IOException {
        if (count < 1) {
            throw new InvalidInputException("--count must be at least 1, got " + count);
        }
        if (size < 32 || size > MAX_SIZE) {
            throw new InvalidInputException("--size must be 32 to " + MAX_SIZE + " pixels, got " + size);
        }
        AtomicReference<Map<String, Integer>> samples = new AtomicReference<>();
        AtomicFiles.writeFolder(root, dir -> {
            RrsisdWriter rrsisd = format == Datasets.Format.RRSISD ? new RrsisdWriter(dir) : null;
            RefSegRsWriter refsegrs = format == Datasets.Format.RRSISD ? null : new RefSegRsWriter(dir);
            Iterator<SyntheticScene> scenes = new SyntheticSceneGenerator().oneByOne(count, size, seed);
            for (int i = 0; scenes.hasNext(); i++) {
                SyntheticScene scene = scenes.next();
                if (rrsisd != null) {
                    rrsisd.add(scene, DatasetSplits.forScene(i));
                } else {
                    refsegrs.add(scene, DatasetSplits.forScene(i));
                }
            }
            samples.set(rrsisd != null ? rrsisd.finish() : refsegrs.finish());
        });
        return samples.get();
    }
}
