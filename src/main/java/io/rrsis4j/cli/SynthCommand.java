package io.rrsis4j.cli;

import io.rrsis4j.data.Datasets;
import io.rrsis4j.data.synthetic.SyntheticDatasets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rrsis4j synth}: writes a synthetic dataset in a benchmark's layout. */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Write synthetic aerial scenes with referring expressions in the RRSIS-D, RefSegRS or gRefCOCO layout.")
public final class SynthCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "Folder to write the dataset into.")
    Path out;

    @Option(names = "--format", defaultValue = "rrsisd", description = "rrsisd, refsegrs or grefs (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--count", defaultValue = "200", description = "Number of scenes (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--size", defaultValue = "128", description = "Image side in pixels (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--multi", defaultValue = "0",
            description = "Share of sentences naming several objects, e.g. 0.2 (grefs, refsegrs; default: ${DEFAULT-VALUE}).")
    double multi;

    @Option(names = "--no-target", defaultValue = "0",
            description = "Share of sentences naming nothing in the scene, e.g. 0.2 (grefs, refsegrs; default: ${DEFAULT-VALUE}).")
    double noTarget;

    @Override
    public Integer call() throws Exception {
        Datasets.Format f = Datasets.Format.parse(format);
        Map<String, Integer> samples = SyntheticDatasets.write(out, f, count, size, seed, multi, noTarget);
        System.out.printf("wrote %d scenes of %d x %d px in the %s layout to %s%n", count, size, size,
                f.name().toLowerCase(java.util.Locale.ROOT), out.toAbsolutePath());
        samples.forEach((split, n) -> System.out.printf("  %-5s %d samples (image, sentence, mask)%n", split, n));
        return 0;
    }
}
