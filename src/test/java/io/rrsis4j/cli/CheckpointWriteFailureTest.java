package io.rrsis4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.rrsis4j.data.Datasets;
import io.rrsis4j.data.synthetic.SyntheticDatasets;
import io.rrsis4j.io.files.TmpfsMount;
import io.rrsis4j.model.weights.TrainedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training run on a disk that fills up halfway through its second checkpoint (a 20 MB tmpfs; a micro
 * checkpoint with its optimizer state is 14 MB): the run stops with one line and exit code 2, the first checkpoint
 * stays complete and named by {@code last}, the half-written one is gone at once, and once there is room the run
 * resumes from the first checkpoint and finishes.
 */
class CheckpointWriteFailureTest {
    @TempDir
    Path dir;

    @Test
    void aCheckpointThatFailsHalfwayLosesNothing() throws Exception {
        Path data = dir.resolve("data");
        SyntheticDatasets.write(data, Datasets.Format.RRSISD, 20, 64, 4);
        try (TmpfsMount disk = TmpfsMount.mountOrSkip(dir.resolve("disk"), "size=20m")) {
            Path run = disk.dir().resolve("run");
            CliRun failed = CliRun.of("train", "--data", data.toString(), "--out", run.toString(), "--epochs", "2",
                    "--limit", "4", "--batch", "2", "--checkpoint-every", "1", "--no-validation", "--no-progress",
                    "--threads", "1");
            assertEquals(2, failed.code(), failed.toString());
            assertEquals(1, failed.errorLines().size(), failed.toString());
            assertTrue(failed.errorLines().get(0).contains("No space left on device"), failed.toString());

            Path checkpoints = run.resolve("checkpoints");
            assertEquals(Optional.of("step-00000001"), TrainedModel.pointer(checkpoints, TrainedModel.LAST));
            assertEquals(List.of("last", "step-00000001"), names(checkpoints), "the half checkpoint is gone at once");
            try (NDManager manager = NDManager.newBaseManager()) {
                TrainedModel.loadModel(run, manager); // complete: config and every parameter
            }

            disk.remount("size=200m");
            CliRun resumed = CliRun.of("train", "--out", run.toString(), "--resume", "--no-progress");
            assertEquals(0, resumed.code(), resumed.toString());
            assertEquals(Optional.of("step-00000004"), TrainedModel.pointer(checkpoints, TrainedModel.LAST));
            assertTrue(resumed.out().contains("trained 4 steps"), resumed.out());
        }
    }

    private static List<String> names(Path folder) throws Exception {
        try (Stream<Path> all = Files.list(folder)) {
            return all.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
