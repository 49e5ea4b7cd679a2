package io.rrsis4j.data.synthetic;

import io.rrsis4j.InvalidInputException;
import io.rrsis4j.data.DatasetSplits;
import io.rrsis4j.data.Datasets;
import io.rrsis4j.data.GRefCocoWriter;
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

    /** {@link #write(Path, Datasets.Format, int, int, long, double, double)} with single-object sentences only. */
    public static Map<String, Integer> write(Path root, Datasets.Format format, int count, int size, long seed) throws IOException {
        return write(root, format, count, size, seed, 0, 0);
    }

    /**
     * Generates {@code count} scenes of {@code size} px with {@code seed} and writes them under {@code root}
     * (70 / 15 / 15 train / val / test by scene). Scenes are painted, written and dropped one at a time, so memory
     * does not grow with the count. The set is written into a temporary folder beside {@code root} and renamed to
     * {@code root} at the end: a failed or killed run leaves no half set; {@code root} must be new or empty.
     *
     * @param multi share of sentences naming several objects (gRefCOCO and RefSegRS layouts only)
     * @param noTarget share of sentences naming no object of the scene (gRefCOCO and RefSegRS layouts only)
     * @return the number of (image, sentence) samples per split
     */
    public static Map<String, Integer> write(Path root, Datasets.Format format, int count, int size, long seed,
            double multi, double noTarget) throws IOException {
        if (count < 1) {
            throw new InvalidInputException("--count must be at least 1, got " + count);
        }
        if (size < 32 || size > MAX_SIZE) {
            throw new InvalidInputException("--size must be 32 to " + MAX_SIZE + " pixels, got " + size);
        }
        if (!(multi >= 0 && multi < 1) || !(noTarget >= 0 && noTarget < 1) || !(multi + noTarget <= 0.9)) {
            throw new InvalidInputException("--multi and --no-target must be shares from 0 to 1 that leave at least 0.1"
                    + " for single-object sentences, got " + multi + " and " + noTarget);
        }
        if (format == Datasets.Format.RRSISD && (multi > 0 || noTarget > 0)) {
            throw new InvalidInputException("--multi and --no-target need --format grefs or refsegrs: an RRSIS-D ref"
                    + " names exactly one annotation");
        }
        SyntheticSceneGenerator generator = new SyntheticSceneGenerator(3, 3, multi, noTarget);
        AtomicReference<Map<String, Integer>> samples = new AtomicReference<>();
        AtomicFiles.writeFolder(root, dir -> {
            RrsisdWriter rrsisd = format == Datasets.Format.RRSISD ? new RrsisdWriter(dir) : null;
            RefSegRsWriter refsegrs = format == Datasets.Format.REFSEGRS ? new RefSegRsWriter(dir) : null;
            GRefCocoWriter grefs = format == Datasets.Format.GREFS ? new GRefCocoWriter(dir) : null;
            Iterator<SyntheticScene> scenes = generator.oneByOne(count, size, seed);
            for (int i = 0; scenes.hasNext(); i++) {
                SyntheticScene scene = scenes.next();
                String split = DatasetSplits.forScene(i);
                if (rrsisd != null) {
                    rrsisd.add(scene, split);
                } else if (refsegrs != null) {
                    refsegrs.add(scene, split);
                } else {
                    grefs.add(scene, split);
                }
            }
            samples.set(rrsisd != null ? rrsisd.finish() : refsegrs != null ? refsegrs.finish() : grefs.finish());
        });
        return samples.get();
    }
}
