package io.rrsis4j.cli;

import io.rrsis4j.model.runtime.Precision;
import picocli.CommandLine.Option;

/** {@code --precision fp32|fp16}: the floating-point type of the inference forward. */
final class PrecisionOption {
    @Option(names = "--precision", defaultValue = "fp32",
            description = "fp32 or fp16 forward (weights stay float32; fp16 is for GPUs, on a CPU it runs but slowly;"
                    + " bf16 is refused: DJL 0.36's JNI lacks it). Default ${DEFAULT-VALUE}.")
    String name = "fp32";

    Precision value() {
        return Precision.parse(name);
    }
}
