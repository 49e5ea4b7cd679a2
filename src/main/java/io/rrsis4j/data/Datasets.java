package io.rrsis4j.data;

import io.rrsis4j.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a split of a referring dataset in any layout rrsis4j knows: RRSIS-D's, RefSegRS's (RISBench uses it too) or
 * gRefCOCO's (generalized referring segmentation: sentences naming several objects or none).
 */
public final class Datasets {
    private Datasets() {}

    /** The benchmark layouts rrsis4j reads and writes. */
    public enum Format {
        RRSISD,
        REFSEGRS,
        GREFS;

        public static Format parse(String name) {
            return switch (name.toLowerCase(Locale.ROOT).replace("-", "")) {
                case "rrsisd" -> RRSISD;
                case "refsegrs", "risbench" -> REFSEGRS;
                case "grefs", "grefcoco" -> GREFS;
                default -> throw new InvalidInputException("unknown dataset format '" + name + "' (rrsisd, refsegrs or grefs)");
            };
        }
    }

    /**
     * Reads a split that must hold samples (to train on): a misspelt or empty split is refused, naming the splits the
     * dataset has; an empty sentence is refused.
     */
    public static List<ReferringSample> readSplit(Path root, Format format, String split) {
        return readSplit(root, format, split, BlankSentences.Policy.REFUSE);
    }

    /**
     * Reads a split that must hold samples: a misspelt or empty split is refused, naming the splits the dataset has;
     * an empty sentence is refused or left out with a warning as {@code blanks} says (training refuses, evaluation
     * leaves out).
     */
    public static List<ReferringSample> readSplit(Path root, Format format, String split, BlankSentences.Policy blanks) {
        List<ReferringSample> samples = read(root, format, split, blanks);
        if (samples.isEmpty()) {
            Set<String> found = switch (format) {
                case RRSISD -> new RrsisdReader().splits(root);
                case REFSEGRS -> RefSegRsReader.splits(root);
                case GREFS -> new GRefCocoReader().splits(root);
            };
            throw new InvalidInputException(root, "split '" + split + "' has no samples (splits here: "
                    + (found.isEmpty() ? "none" : String.join(", ", found)) + ")");
        }
        return samples;
    }

    /** The annotation files a split is read from: outputs must not be written over them. */
    public static List<Path> annotationFiles(Path root, Format format, String split) {
        return switch (format) {
            case RRSISD -> List.of(root.resolve("rrsisd/refs(unc).p"), root.resolve("rrsisd/instances.json"));
            case REFSEGRS -> List.of(root.resolve("output_phrase_" + split + ".txt"));
            case GREFS -> List.of(GRefCocoReader.refsFile(root), GRefCocoReader.instancesFile(root));
        };
    }

    /** Reads a split of a dataset in any layout; an empty sentence is refused. */
    public static List<ReferringSample> read(Path root, Format format, String split) {
        return read(root, format, split, BlankSentences.Policy.REFUSE);
    }

    /** Reads a split of a dataset in any layout; an empty sentence is refused or left out as {@code blanks} says. */
    public static List<ReferringSample> read(Path root, Format format, String split, BlankSentences.Policy blanks) {
        if (!Files.isDirectory(root)) { // said of the folder the user named, not of a file expected inside it
            throw new InvalidInputException(root, Files.exists(root) ? "is a file, not a dataset folder"
                    : "dataset folder not found");
        }
        return switch (format) {
            case RRSISD -> new RrsisdReader().read(root, split, blanks);
            case REFSEGRS -> new RefSegRsReader().read(root, split, blanks);
            case GREFS -> new GRefCocoReader().read(root, split, blanks);
        };
    }
}
