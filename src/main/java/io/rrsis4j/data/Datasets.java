package io.rrsis4j.data;

import io.rrsis4j.InvalidInputException;
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

    /** Reads a split of a dataset in either layout. */
    public static List<ReferringSample> read(Path root, Format format, String split) {
        return format == Format.RRSISD ? new RrsisdReader().read(root, split) : new RefSegRsReader().read(root, split);
    }
}
