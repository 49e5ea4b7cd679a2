package io.rrsis4j.cli;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rrsis4j.eval.Evaluator;
import io.rrsis4j.io.files.AtomicFiles;
import io.rrsis4j.model.runtime.NativeThreads;
import io.rrsis4j.train.AblationStudy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rrsis4j ablate}: the paper's ablation table, trained and evaluated here. */
@Command(name = "ablate", mixinStandardHelpOptions = true,
        description = "Train and evaluate the full BTDNet and the variants without BSC, T-BTD and D-MOLS; print the "
                + "ablation table. Runs go to OUT/full, OUT/without-bsc, ... (with --seeds N: OUT/full/seed-S, ...); "
                + "an interrupted study resumes.")
public final class AblateCommand implements Callable<Integer> {
    @Mixin
    TrainOptions options;

    @Option(names = "--out", required = true, description = "Folder of the four runs and ablation.json.")
    Path out;

    @Option(names = "--split", defaultValue = "test", description = "Split of the table: val or test (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--seeds", defaultValue = "1", description = "Train each variant with N seeds (--seed, --seed + 1, "
            + "...) and print mean+-sd over them (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--no-progress", description = "No progress bars.")
    boolean noProgress;

    @Mixin
    DeviceOption device = new DeviceOption();

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        if (java.nio.file.Files.exists(out) && !java.nio.file.Files.isDirectory(out)) { // before any run's line
            throw new io.rrsis4j.InvalidInputException(out, "is a file, not a folder for the runs");
        }
        NativeThreads.set(options.threads);
        Device on = device.device();
        AblationStudy study = new AblationStudy(options.newConfig(), out, split, output.progress()).withSeeds(seeds)
                .onDevice(on);
        output.detail("settings of the full model: %s", options.newConfig());
        if (noProgress || !output.bars()) {
            study.withoutProgressBar();
        }
        List<AblationStudy.Row> rows = study.run();
        System.out.print(AblationStudy.table(rows));
        System.out.printf("%d samples of %s, masks compared at the model input resolution%s%n",
                rows.get(0).report().samples(), split,
                seeds > 1 ? "; mean+-sd over " + seeds + " seeds (" + seedList(rows) + ")" : "");
        Path json = out.resolve("ablation.json");
        AtomicFiles.write(json, json(rows).getBytes(StandardCharsets.UTF_8));
        System.out.println("wrote " + json);
        return 0;
    }

    private static String seedList(List<AblationStudy.Row> rows) {
        return rows.stream().map(r -> Long.toString(r.seed())).distinct().collect(Collectors.joining(", "));
    }

    /** One object per variant: its columns (the mean over seeds), their "sd", and each seed's run under "runs". */
    private String json(List<AblationStudy.Row> rows) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode array = mapper.createArrayNode();
        for (AblationStudy.Summary s : AblationStudy.summaries(rows)) {
            AblationStudy.Variant v = s.variant();
            ObjectNode row = array.addObject();
            row.put("variant", v.name()).put("bsc", v.bsc()).put("tbtd", v.tbtd()).put("dmols", v.dmols())
                    .put("seeds", s.runs().size());
            ObjectNode first = EvaluateCommand.reportNode(s.runs().get(0).report(), split, Evaluator.Resolution.MODEL);
            row.put("split", split).set("resolution", first.get("resolution"));
            row.set("samples", first.get("samples"));
            ObjectNode sd = mapper.createObjectNode();
            for (int c = 0; c < AblationStudy.COLUMNS.size(); c++) {
                row.put(AblationStudy.COLUMNS.get(c), round(s.mean(c)));
                sd.put(AblationStudy.COLUMNS.get(c), round(s.sd(c)));
            }
            row.set("sd", sd);
            ArrayNode runs = row.putArray("runs");
            for (AblationStudy.Row r : s.runs()) {
                ObjectNode run = runs.addObject().put("seed", r.seed()).put("run", r.run().toString());
                run.setAll(EvaluateCommand.reportNode(r.report(), split, Evaluator.Resolution.MODEL));
            }
        }
        return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(array);
    }

    private static double round(double percent) {
        return Math.round(percent * 100) / 100.0;
    }
}
