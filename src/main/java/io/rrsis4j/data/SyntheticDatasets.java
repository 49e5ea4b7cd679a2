package io.rrsis4j.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One call to write a synthetic dataset in a benchmark's layout ({@link Datasets} reads it back). */
public final class SyntheticDatasets {
    private SyntheticDatasets() {}

    /**
     * Generates {@code count} scenes of {@code size} px with {@code seed} and writes them under {@code root}
     * (70 / 15 / 15 train / val / test by scene).
     *
     * @return the number of (image, sentence) samples per split
     */
    public static Map<String, Integer> write(Path root, Datasets.Format format, int count, int size, long seed) throws IOException {
        List<SyntheticScene> scenes = new SyntheticSceneGenerator().generate(count, size, seed);
        List<String> splits = new ArrayList<>();
        for (int i = 0; i < scenes.size(); i++) {
            splits.add(DatasetSplits.forScene(i));
        }
        return format == Datasets.Format.RRSISD
                ? new RrsisdWriter().write(root, scenes, splits)
                : new RefSegRsWriter().write(root, scenes, splits);
    }
}
