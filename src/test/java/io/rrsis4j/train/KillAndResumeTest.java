package io.rrsis4j.train;

import io.rrsis4j.data.Datasets;
import io.rrsis4j.data.synthetic.SyntheticDatasets;
import io.rrsis4j.io.torch.SafetensorsFile;
import io.rrsis4j.io.torch.TensorData;
import io.rrsis4j.model.weights.TrainedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run killed with SIGKILL after its first checkpoint and resumed ends where an uninterrupted run of the same
 * configuration ends: same final parameters and loss up to floating-point nondeterminism.
 */
class KillAndResumeTest {
    @TempDir
    Path dir;

    private List<String> trainArgs(Path data, Path out) {
        return List.of("train", "--data", data.toString(), "--format", "rrsisd", "--config", "micro", "--image-size", "64",
                "--out", out.toString(), "--epochs", "2", "--batch", "4", "--limit", "24", "--lr", "1e-3",
                "--checkpoint-every", "2", "--no-validation", "--no-progress", "--seed", "11");
    }

    @Test
    void killedAndResumedRunEndsAsTheUninterruptedOne() throws Exception {
        Path data = dir.resolve("data");
        SyntheticDatasets.write(data, Datasets.Format.RRSISD, 20, 64, 4);
        // Every run in its own JVM with one native thread: the test JVM's engine may already run with more threads
        // (other tests started it), and a different thread count means different float reductions.
        Path straight = dir.resolve("straight");
        assertEquals(0, child(trainArgs(data, straight), "straight.log").waitFor());

        Path killed = dir.resolve("killed");
        Process child = child(trainArgs(data, killed), "child.log");
        Path checkpoints = killed.resolve("checkpoints");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        Optional<Path> first = Optional.empty();
        while (first.isEmpty() && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            first = TrainedModel.resolve(checkpoints, TrainedModel.LAST);
        }
        child.destroyForcibly();
        child.waitFor(30, TimeUnit.SECONDS);
        Path stoppedAt = TrainedModel.resolve(checkpoints, TrainedModel.LAST)
                .orElseThrow(() -> new AssertionError("no checkpoint before the kill: " + readLog()));
        long stepAtKill = Long.parseLong(stoppedAt.getFileName().toString().substring(5, 13));
        assertTrue(stepAtKill < 12, "the child was killed mid-run (last checkpoint at step " + stepAtKill + ")");

        Map<String, TensorData> atKill = SafetensorsFile.read(stoppedAt.resolve(TrainingCheckpoint.MODEL));

        assertEquals(0, child(List.of("train", "--out", killed.toString(), "--resume", "--no-progress"), "resume.log").waitFor());

        Path a = TrainedModel.resolve(straight.resolve("checkpoints"), TrainedModel.LAST).orElseThrow();
        Path b = TrainedModel.resolve(checkpoints, TrainedModel.LAST).orElseThrow();
        assertEquals("step-00000012", a.getFileName().toString());
        assertEquals("step-00000012", b.getFileName().toString());
        Map<String, TensorData> pa = SafetensorsFile.read(a.resolve(TrainingCheckpoint.MODEL));
        Map<String, TensorData> pb2 = SafetensorsFile.read(b.resolve(TrainingCheckpoint.MODEL));
        double maxDiff = 0;
        double moved = 0;
        for (String k : pa.keySet()) {
            float[] x = pa.get(k).floats();
            float[] y = pb2.get(k).floats();
            for (int i = 0; i < x.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(x[i] - y[i]));
                moved = Math.max(moved, Math.abs(x[i] - atKill.get(k).floats()[i]));
            }
        }
        double lossA = lastLoss(straight);
        double lossB = lastLoss(killed);
        System.out.printf("kill at step %d, resumed: max parameter difference %.3g (training after the kill moved"
                + " them by up to %.3g), final loss %.6f vs %.6f%n", stepAtKill, maxDiff, moved, lossA, lossB);
        assertTrue(moved > 100 * maxDiff, "the steps after the kill changed the parameters: " + moved);
        assertTrue(maxDiff < 1e-3, "max parameter difference " + maxDiff);
        assertEquals(lossA, lossB, 1e-3);
        assertEquals(loggedSteps(straight), loggedSteps(killed), "the resumed log repeats or misses no step");
    }

    private static List<Long> loggedSteps(Path run) throws Exception {
        List<Long> steps = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("log.jsonl"))) {
            steps.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(line).get("step").asLong());
        }
        return steps;
    }

    private static double lastLoss(Path run) throws Exception {
        List<String> lines = Files.readAllLines(run.resolve("log.jsonl"));
        String last = lines.stream().filter(l -> l.contains("\"step\":12,")).reduce((x, y) -> y).orElseThrow();
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(last).get("loss").asDouble();
    }

    private String readLog() {
        try {
            return Files.readString(dir.resolve("child.log"));
        } catch (Exception e) {
            return "";
        }
    }

    /** Starts rrsis4j in a new JVM with one native thread, output to a log file in the test folder. */
    private Process child(List<String> args, String log) throws java.io.IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
                "-Dai.djl.pytorch.num_interop_threads=1", "-cp", System.getProperty("java.class.path"), "io.rrsis4j.cli.Main"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile());
        pb.environment().put("PYTORCH_VERSION", "2.7.1");
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        return pb.start();
    }
}
