package io.rrsis4j.cli;

import ai.djl.Device;
import io.rrsis4j.model.runtime.Precision;
import picocli.CommandLine.Option;

/** {@code --precision auto|fp32|fp16}: the floating-point type of the inference forward. */
final class PrecisionOption {
    @Option(names = "--precision", defaultValue = "auto",
            description = "auto, fp32 or fp16 forward (weights stay float32). auto: fp16 on a GPU (bench precision: its"
                    + " masks agree with fp32's, mask IoU >= 0.999), fp32 on the CPU (where fp16 runs but slowly);"
                    + " bf16 is refused: DJL 0.36's JNI lacks it. Default ${DEFAULT-VALUE}.")
    String name = "auto";

    /** The precision named, auto resolved for {@code device}. */
    Precision value(Device device) {
        return Precision.forDevice(name, device);
    }
}
