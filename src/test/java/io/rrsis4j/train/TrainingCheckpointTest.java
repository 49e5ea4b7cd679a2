package io.rrsis4j.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.rrsis4j.InvalidInputException;
import io.rrsis4j.io.torch.TensorData;
import io.rrsis4j.model.BtdNet;
import io.rrsis4j.model.BtdNetConfig;
import io.rrsis4j.model.weights.TrainedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingCheckpointTest {
    @TempDir
    Path dir;

    private static BtdNet micro(NDManager m, int seed) {
        m.getEngine().setRandomSeed(seed);
        BtdNet net = new BtdNet(BtdNetConfig.micro().withImageSize(64));
        net.initialize(m, DataType.FLOAT32);
        return net;
    }

    private static TrainingCheckpoint.State state(long step) {
        return new TrainingCheckpoint.State(step, 0, step, step, 7, 12.5, step, 0.8);
    }

    @Test
    void roundTripLoadsTheSameParameters() throws Exception {
        Path checkpoints = dir.resolve("checkpoints");
        try (NDManager m = NDManager.newBaseManager()) {
            BtdNet net = micro(m, 1);
            Path written = TrainingCheckpoint.write(checkpoints, net, new AdamW(m, 0.01), state(3), true);
            assertEquals("step-00000003", written.getFileName().toString());
            Map<String, TensorData> expected = TrainingCheckpoint.parameters(net);
            BtdNet loaded = TrainedModel.loadModel(dir, m); // the run folder: resolves best
            Map<String, TensorData> got = TrainingCheckpoint.parameters(loaded);
            assertEquals(expected.keySet(), got.keySet());
            expected.forEach((k, t) -> assertArrayEquals(t.floats(), got.get(k).floats(), 0f, k));
            BtdNet other = micro(m, 2);
            Map<String, TensorData> before = TrainingCheckpoint.parameters(other);
            assertTrue(expected.keySet().stream().anyMatch(k ->
                    !java.util.Arrays.equals(expected.get(k).floats(), before.get(k).floats())), "another seed differs");
            AdamW restored = new AdamW(m, 0.01);
            TrainingCheckpoint.State s = TrainingCheckpoint.restore(written, other, restored);
            assertEquals(state(3), s);
            assertEquals(3, restored.updates());
            Map<String, TensorData> afterRestore = TrainingCheckpoint.parameters(other);
            expected.forEach((k, t) -> assertArrayEquals(t.floats(), afterRestore.get(k).floats(), 0f, k));
        }
    }

    @Test
    void leftoverTemporaryFolderIsIgnoredAndCleaned() throws Exception {
        Path checkpoints = dir.resolve("checkpoints");
        try (NDManager m = NDManager.newBaseManager()) {
            BtdNet net = micro(m, 1);
            Path first = TrainingCheckpoint.write(checkpoints, net, new AdamW(m, 0.01), state(2), false);
            // a run killed while writing the next checkpoint leaves a partial temporary folder
            Path partial = checkpoints.resolve("tmp-123");
            Files.createDirectories(partial);
            Files.writeString(partial.resolve(TrainingCheckpoint.MODEL), "half");
            assertEquals(first, TrainedModel.resolve(checkpoints, TrainedModel.LAST).orElseThrow());
            assertEquals(first, TrainedModel.checkpointFolder(dir));
            Path second = TrainingCheckpoint.write(checkpoints, net, new AdamW(m, 0.01), state(4), false);
            assertFalse(Files.exists(partial), "temporary leftover cleaned");
            assertFalse(Files.exists(first), "the older checkpoint goes once the new one is in place");
            assertEquals(second, TrainedModel.resolve(checkpoints, TrainedModel.LAST).orElseThrow());
            try (Stream<Path> all = Files.list(checkpoints)) {
                assertEquals(2, all.count(), "last pointer and one folder");
            }
        }
    }

    @Test
    void truncatedParametersAreReportedWithTheFile() throws Exception {
        Path checkpoints = dir.resolve("checkpoints");
        try (NDManager m = NDManager.newBaseManager()) {
            Path written = TrainingCheckpoint.write(checkpoints, micro(m, 1), new AdamW(m, 0.01), state(1), false);
            Path model = written.resolve(TrainingCheckpoint.MODEL);
            byte[] bytes = Files.readAllBytes(model);
            Files.write(model, java.util.Arrays.copyOf(bytes, bytes.length - 100));
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> TrainedModel.loadModel(written, m));
            assertEquals(model, e.file());
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
            Files.write(model, java.util.Arrays.copyOf(bytes, 5));
            assertThrows(InvalidInputException.class, () -> TrainedModel.loadModel(written, m));
        }
    }
}
