package io.rrsis4j.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.rrsis4j.InvalidInputException;
import java.util.Locale;
import picocli.CommandLine.Option;

/** {@code --device gpu|cpu|auto}: where the model runs, shared by every command that runs it. */
final class DeviceOption {
    @Option(names = "--device", defaultValue = "auto",
            description = "gpu, cpu or auto (the first GPU when the engine can use one, else the CPU; default ${DEFAULT-VALUE}).")
    String name = "auto";

    /** The device the option names; starts the engine, so native thread counts must be set before. */
    Device device() {
        Engine engine = Engine.getInstance();
        return choose(name, engine.getGpuCount(), engine.getEngineName() + " " + engine.getVersion());
    }

    /**
     * @param gpus CUDA devices the engine can use
     * @param engine the engine and its version, for the error message
     */
    static Device choose(String name, int gpus, String engine) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "cpu" -> Device.cpu();
            case "gpu", "cuda" -> {
                if (gpus == 0) {
                    throw new InvalidInputException("--device gpu: no CUDA device is usable (" + engine + " from "
                            + libraryOrigin() + "; see README 'GPU')");
                }
                yield Device.gpu();
            }
            case "auto" -> gpus > 0 ? Device.gpu() : Device.cpu();
            default -> throw new InvalidInputException("--device must be gpu, cpu or auto, not " + name);
        };
    }

    /** Where the engine's native library came from: the bundled CPU build, or the folder the launcher's --torch set. */
    private static String libraryOrigin() {
        String path = System.getenv("PYTORCH_LIBRARY_PATH");
        return path == null || path.isEmpty() ? "this build's CPU library" : path;
    }
}
