package io.rrsis4j.cli;

import io.rrsis4j.train.Trainer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        NativeThreads.set(options.threads);
        Trainer trainer = resume ? Trainer.resume(out, System.err) : Trainer.start(options.newConfig(), out, System.err);
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
