package io.rrsis4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rrsis4j.InvalidInputException;
import io.rrsis4j.bench.GeneralizedBenchmark;
import io.rrsis4j.io.files.AtomicFiles;
import io.rrsis4j.model.runtime.NativeThreads;
import io.rrsis4j.train.DemoRecipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rrsis4j bench generalized}: the demo recipe with and without the presence head, several seeds each, scored
 * by GRES's metrics on held-out generalized scenes, by oIoU on single-target scenes and by the false-positive area
 * on a tiled scene without the named object ({@link GeneralizedBenchmark}); mean and standard deviation per variant,
 * and every run in {@code OUT/generalized.json}.
 */
@Command(name = "generalized", mixinStandardHelpOptions = true,
        description = "Presence head or not: the demo recipe on generalized synthetic scenes against the paper's model"
                + " on single-target scenes, N seeds each (gIoU, cIoU, N-acc, T-acc, single-target oIoU, false positives).")
public final class GeneralizedBenchCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "bench-generalized",
            description = "Folder for the scenes, the runs and generalized.json; runs in it are reused (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--seeds", defaultValue = "3", description = "Training seeds per variant (default ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--seed", defaultValue = "1", description = "First training seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--scenes", defaultValue = "" + DemoRecipe.SCENES, description = "Scenes of each data set (default ${DEFAULT-VALUE}, the demo's).")
    int scenes;

    @Option(names = "--epochs", defaultValue = "" + DemoRecipe.EPOCHS, description = "Training epochs (default ${DEFAULT-VALUE}, the demo's).")
    int epochs;

    @Option(names = "--multi", defaultValue = "" + DemoRecipe.MULTI, description = "Share of multi-target sentences (default ${DEFAULT-VALUE}).")
    double multi;

    @Option(names = "--no-target", defaultValue = "" + DemoRecipe.NO_TARGET, description = "Share of no-target sentences (default ${DEFAULT-VALUE}).")
    double noTarget;

    @Option(names = "--threads", defaultValue = "1", description = "Native intra-op threads (default ${DEFAULT-VALUE}, as the demo).")
    int threads;

    @Mixin
    DeviceOption device = new DeviceOption();

    @Override
    public Integer call() throws Exception {
        if (seeds < 1 || seeds > 100 || threads < 0) {
            throw new InvalidInputException("--seeds must be 1 to 100 and --threads 0 or more, got " + seeds + " and " + threads);
        }
        new DemoRecipe(scenes, epochs, seed); // checks --scenes and --epochs
        NativeThreads.set(threads);
        Files.createDirectories(out);
        GeneralizedBenchmark.Options options = new GeneralizedBenchmark.Options(scenes, epochs, seeds, seed, multi, noTarget);
        List<GeneralizedBenchmark.Run> runs = GeneralizedBenchmark.run(out, options, device.device(), System.out);
        System.out.println();
        System.out.printf(Locale.ROOT, "%d scenes, %d epochs, %d seed(s) from %d; mean +- sd%n", scenes, epochs, seeds, seed);
        System.out.println(table(runs));
        ObjectNode root = BenchCommand.JSON.createObjectNode();
        root.put("command", "bench generalized");
        root.put("scenes", scenes).put("epochs", epochs).put("multi", multi).put("noTarget", noTarget);
        root.set("machine", BenchCommand.machine());
        ArrayNode list = root.putArray("runs");
        for (GeneralizedBenchmark.Run r : runs) {
            ObjectNode n = list.addObject();
            n.put("variant", r.variant()).put("seed", r.seed()).put("gIoU", r.generalized().gIoU())
                    .put("cIoU", r.generalized().cIoU()).put("N_acc", r.generalized().nAcc())
                    .put("T_acc", r.generalized().tAcc()).put("singleTarget_oIoU", r.singleOIoU())
                    .put("falsePositivePercent", r.falsePositive());
        }
        Path json = out.resolve("generalized.json");
        AtomicFiles.write(json, BenchCommand.JSON.writeValueAsBytes(root));
        System.out.println("-> " + json);
        return 0;
    }

    /** One row per variant: mean +- sd of each score over its seeds. */
    static String table(List<GeneralizedBenchmark.Run> runs) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-14s %14s %14s %14s %14s %14s %14s",
                "variant", "gIoU", "cIoU", "N-acc", "T-acc", "single oIoU", "FP area %"));
        for (String variant : runs.stream().map(GeneralizedBenchmark.Run::variant).distinct().toList()) {
            List<GeneralizedBenchmark.Run> of = runs.stream().filter(r -> r.variant().equals(variant)).toList();
            out.append('\n').append(String.format(Locale.ROOT, "%-14s", variant));
            List<ToDoubleFunction<GeneralizedBenchmark.Run>> columns = List.of(r -> r.generalized().gIoU(),
                    r -> r.generalized().cIoU(), r -> r.generalized().nAcc(), r -> r.generalized().tAcc(),
                    GeneralizedBenchmark.Run::singleOIoU, GeneralizedBenchmark.Run::falsePositive);
            for (ToDoubleFunction<GeneralizedBenchmark.Run> c : columns) {
                double[] ms = GeneralizedBenchmark.meanSd(of.stream().mapToDouble(c).toArray());
                out.append(String.format(Locale.ROOT, " %14s", String.format(Locale.ROOT, "%.2f +- %.2f", ms[0], ms[1])));
            }
        }
        return out.toString();
    }
}
