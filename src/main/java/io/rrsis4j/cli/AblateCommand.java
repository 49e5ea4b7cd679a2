package io.rrsis4j.cli;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rrsis4j.io.AtomicFiles;
import io.rrsis4j.eval.Evaluator;
import io.rrsis4j.train.AblationStudy;
import io.rrsis4j.model.NativeThreads;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rrsis4j ablate}: the paper's ablation table, trained and evaluated here. */
@Command(name = "ablate", mixinStandardHelpOptions = true,
        description = "Train and evaluate the full BTDNet and the variants without BSC, T-BTD and D-MOLS; print the "
                + "ablation table. Runs go to OUT/full, OUT/without-bsc, ...; an interrupted study resumes.")
public final class AblateCommand implements Callable<Integer> {
    @Mixin
    TrainOptions options;

    @Option(names = "--out", required = true, description = "Folder of the four runs and ablation.json.")
    Path out;

    @Option(names = "--split", defaultValue = "test", description = "Split of the table: val or test (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--no-progress", description = "No progress bars.")
    boolean noProgress;

    @Mixin
    DeviceOption device = new DeviceOption();

    @Override
    public Integer call() throws Exception {
        NativeThreads.set(options.threads);
        Device on = device.device();
        AblationStudy study = new AblationStudy(options.newConfig(), out, split, System.err).onDevice(on);
        if (noProgress) {
            study.withoutProgressBar();
        }
        List<AblationStudy.Row> rows = study.run();
        System.out.print(AblationStudy.table(rows));
        System.out.printf("%d samples of %s, masks compared at the model input resolution%n",
                rows.get(0).report().samples(), split);
        Path json = out.resolve("ablation.json");
        AtomicFiles.write(json, json(rows).getBytes(StandardCharsets.UTF_8));
        System.out.println("wrote " + json);
        return 0;
    }

    private String json(List<AblationStudy.Row> rows) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode array = mapper.createArrayNode();
        for (AblationStudy.Row r : rows) {
            ObjectNode row = array.addObject();
            row.put("variant", r.variant().name()).put("bsc", r.variant().bsc()).put("tbtd", r.variant().tbtd())
                    .put("dmols", r.variant().dmols()).put("run", r.run().toString());
            row.setAll(EvaluateCommand.reportNode(r.report(), split, Evaluator.Resolution.MODEL));
        }
        return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(array);
    }
}
