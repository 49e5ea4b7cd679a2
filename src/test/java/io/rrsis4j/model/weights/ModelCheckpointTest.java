package io.rrsis4j.model.weights;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.NormalInitializer;
import io.rrsis4j.InvalidInputException;
import io.rrsis4j.model.ParameterPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.*;

class ModelCheckpointTest {
    @TempDir Path dir;

    private static Block net(NDManager m, int hidden) {
        SequentialBlock b = new SequentialBlock().add(Linear.builder().setUnits(hidden).build())
                .add(ai.djl.nn.norm.LayerNorm.builder().build());
        b.setInitializer(new NormalInitializer(1f), Parameter.Type.WEIGHT);
        b.initialize(m, DataType.FLOAT32, new Shape(1, 3));
        return b;
    }

    @Test
    void saveThenLoadRestoresEveryParameterAndConfig() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block a = net(m, 4);
            ModelCheckpoint.save(dir, a, "{\"hidden\":4}");
            Block b = net(m, 4);
            String key = ParameterPaths.of(a).keySet().iterator().next();
            assertFalse(Arrays.equals(ParameterPaths.of(a).get(key).getArray().toFloatArray(),
                    ParameterPaths.of(b).get(key).getArray().toFloatArray()));
            ModelCheckpoint.loadInto(dir, b);
            for (String k : ParameterPaths.of(a).keySet()) {
                assertArrayEquals(ParameterPaths.of(a).get(k).getArray().toFloatArray(),
                        ParameterPaths.of(b).get(k).getArray().toFloatArray(), k);
            }
            assertEquals("{\"hidden\":4}", ModelCheckpoint.readConfig(dir));
        }
    }

    @Test
    void wrongShapeAndTruncatedFileAreReportedWithFileAndParameter() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            ModelCheckpoint.save(dir, net(m, 4), "{}");
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> ModelCheckpoint.loadInto(dir, net(m, 5)));
            assertTrue(e.getMessage().contains("model.safetensors") && e.getMessage().contains("weight"), e.getMessage());
            Path f = dir.resolve(ModelCheckpoint.WEIGHTS);
            byte[] all = Files.readAllBytes(f);
            Files.write(f, Arrays.copyOf(all, all.length - 5));
            e = assertThrows(InvalidInputException.class, () -> ModelCheckpoint.loadInto(dir, net(m, 4)));
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
    }
}
