package io.rrsis4j.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One call to write a synthetic dataset in a benchmark's layout, and one to read it back. */
public final class SyntheticDatasets {
    private SyntheticDatasets() {}

    /** The benchmark layouts rrsis4j reads. */
    public enum Format {
        RRSISD,
        REFSEGRS;

        public static Format parse(String name) {
            return switch (name.toLowerCase(Locale.ROOT).replace("-", "")) {
                case "rrsisd" -> RRSISD;
                case "refsegrs" -> REFSEGRS;
                default -> throw new io.rrsis4j.InvalidInputException("unknown dataset format '" + name + "' (rrsisd or refsegrs)");
            };
        }
    }

    /**
     * Generates {@code count} scenes of {@code size} px with {@code seed} and writes them under {@code root}
     * (70 / 15 / 15 train / val / test by scene).
     *
     * @return the number of (image, sentence) samples per split
     */
    public static Map<String, Integer> write(Path root, Format format, int count, int size, long seed) throws IOException {
        List<SyntheticScene> scenes = new SyntheticSceneGenerator().generate(count, size, seed);
        List<String> splits = new ArrayList<>();
        for (int i = 0; i < scenes.size(); i++) {
            splits.add(DatasetSplits.forScene(i));
        }
        return format == Format.RRSISD
                ? new RrsisdWriter().write(root, scenes, splits)
                : new RefSegRsWriter().write(root, scenes, splits);
    }

    /** Reads a split of a dataset in either layout. */
    public static List<ReferringSample> read(Path root, Format format, String split) {
        return format == Format.RRSISD ? new RrsisdReader().read(root, split) : new RefSegRsReader().read(root, split);
    }
}
