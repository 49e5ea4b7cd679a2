package io.rrsis4j.data;

import io.rrsis4j.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Reads a split of a referring dataset in any layout rrsis4j knows: RRSIS-D's or RefSegRS's (RISBench uses it too). */
public final class Datasets {
    private Datasets() {}

    /** The benchmark layouts rrsis4j reads and writes. */
    public enum Format {
        RRSISD,
        REFSEGRS;

        public static Format parse(String name) {
            return switch (name.toLowerCase(Locale.ROOT).replace("-", "")) {
                case "rrsisd" -> RRSISD;
                case "refsegrs", "risbench" -> REFSEGRS;
                default -> throw new InvalidInputException("unknown dataset format '" + name + "' (rrsisd or refsegrs)");
            };
        }
    }

    /**
     * Reads a split that must hold samples (to evaluate or train on): a misspelt or empty split is refused, naming
     * the splits the dataset has.
     */
    public static List<ReferringSample> readSplit(Path root, Format format, String split) {
        List<ReferringSample> samples = read(root, format, split);
        if (samples.isEmpty()) {
            java.util.Set<String> found = format == Format.RRSISD
                    ? new RrsisdReader().splits(root) : RefSegRsReader.splits(root);
            throw new InvalidInputException(root, "split '" + split + "' has no samples (splits here: "
                    + (found.isEmpty() ? "none" : String.join(", ", found)) + ")");
        }
        return samples;
    }

    /** The annotation files a split is read from: outputs must not be written over them. */
    public static List<Path> annotationFiles(Path root, Format format, String split) {
        return format == Format.RRSISD
                ? List.of(root.resolve("rrsisd/refs(unc).p"), root.resolve("rrsisd/instances.json"))
                : List.of(root.resolve("output_phrase_" + split + ".txt"));
    }

    /** Reads a split of a dataset in either layout. */
    public static List<ReferringSample> read(Path root, Format format, String split) {
        if (!Files.isDirectory(root)) { // said of the folder the user named, not of a file expected inside it
            throw new InvalidInputException(root, Files.exists(root) ? "is a file, not a dataset folder"
                    : "dataset folder not found");
        }
        return format == Format.RRSISD ? new RrsisdReader().read(root, split) : new RefSegRsReader().read(root, split);
    }
}
