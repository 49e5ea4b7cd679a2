package io.rrsis4j.cli;

import ai.djl.Device;
import io.rrsis4j.InvalidInputException;
import io.rrsis4j.model.runtime.NativeThreads;
import io.rrsis4j.train.Trainer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rrsis4j train}: trains BTDNet on a dataset folder, or resumes a run. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train BTDNet on an RRSIS-D or RefSegRS folder; checkpoints go to OUT/checkpoints.")
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    TrainOptions options;

    @Option(names = "--out", required = true, description = "Run folder (config.json, log.jsonl, checkpoints/).")
    Path out;

    @Option(names = "--resume", description = "Continue the run in --out from its last checkpoint.")
    boolean resume;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    @Mixin
    DeviceOption device = new DeviceOption();

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (resume) {
            if (!java.nio.file.Files.isRegularFile(out.resolve("config.json"))) {
                throw new InvalidInputException(out, "no training run to resume (no config.json); start one without"
                        + " --resume");
            }
            // a resumed run keeps the settings it was started with: options that would change them are refused,
            // not silently ignored
            List<String> ignored = spec.commandLine().getParseResult().matchedOptions().stream()
                    .map(OptionSpec::longestName)
                    .filter(n -> !List.of("--out", "--resume", "--no-progress", "--threads", "--quiet", "--verbose", "--device")
                            .contains(n)).toList(); // how it runs and reports, not what it trains
            if (!ignored.isEmpty()) {
                throw new InvalidInputException(String.join(", ", ignored) + " cannot change a run that --resume"
                        + " continues (it keeps the settings in " + out.resolve("config.json") + "); leave "
                        + (ignored.size() == 1 ? "it" : "them") + " out, or start a new run in another --out");
            }
        }
        NativeThreads.set(options.threads);
        Device on = device.device(); // before any work: a missing GPU is said at once
        Trainer trainer = resume ? Trainer.resume(out, System.err) : Trainer.start(options.newConfig(), out, System.err);
        trainer.onDevice(on);
        if (noProgress || !output.bars()) {
            trainer.withoutProgressBar();
        }
        output.detail("settings: %s", trainer.config());
        System.out.println("run folder: " + out.toAbsolutePath() + " (checkpoints in " + trainer.checkpoints().toAbsolutePath() + ")");
        Trainer.Result r = trainer.run();
        System.out.printf("trained %d steps, last loss %.4f, %.1f images/s%n", r.steps(), r.lastLoss(), r.imagesPerSecond());
        if (r.lastValidation() != null) {
            System.out.printf("last validation: oIoU %.2f  mIoU %.2f (best oIoU %.2f)%n", r.lastValidation().oIoU(),
                    r.lastValidation().mIoU(), r.bestOIoU());
        }
        System.out.println("last checkpoint: " + (r.lastCheckpoint() == null ? "none" : r.lastCheckpoint().toAbsolutePath()));
        r.bestCheckpoint().ifPresent(p -> System.out.println("best checkpoint: " + p.toAbsolutePath()));
        return 0;
    }
}
