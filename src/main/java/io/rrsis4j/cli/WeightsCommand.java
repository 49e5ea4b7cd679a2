package io.rrsis4j.cli;

import io.rrsis4j.io.torch.TensorData;
import io.rrsis4j.io.torch.WeightFiles;
import io.rrsis4j.model.weights.WeightsReport;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rrsis4j weights}: look into a checkpoint before training from it, or turn it into safetensors. */
@Command(name = "weights", mixinStandardHelpOptions = true,
        description = "Pretrained weight files (torch.save .pth/.bin, zip or legacy; safetensors).",
        subcommands = {WeightsCommand.Inspect.class, WeightsCommand.Convert.class})
public final class WeightsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("usage: rrsis4j weights inspect FILE | rrsis4j weights convert FILE --out F.safetensors");
        return 2;
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "Print the tensors a checkpoint holds (names, dtypes, shapes) and whether they import into"
                    + " our Swin and BERT.")
    static final class Inspect implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "The checkpoint.")
        Path file;

        @Override
        public Integer call() {
            System.out.print(WeightsReport.describe(file));
            return 0;
        }
    }

    @Command(name = "convert", mixinStandardHelpOptions = true,
            description = "Write a checkpoint's state dict as safetensors (floats as F32, integers as I64).")
    static final class Convert implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "The checkpoint.")
        Path file;

        @Option(names = "--out", required = true, description = "The .safetensors file to write.")
        Path out;

        @Override
        public Integer call() {
            Map<String, TensorData> sd = WeightFiles.convertToSafetensors(file, out);
            long values = sd.values().stream().mapToLong(TensorData::numel).sum();
            System.out.printf("wrote %d tensors (%.2f M values) to %s%n", sd.size(), values / 1e6, out);
            return 0;
        }
    }
}
