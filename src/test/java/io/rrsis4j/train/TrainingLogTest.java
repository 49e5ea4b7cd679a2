package io.rrsis4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingLogTest {
    @TempDir
    Path dir;

    @Test
    void resumingDropsEntriesAfterTheCheckpointAndACutOffLine() throws Exception {
        Path file = dir.resolve("log.jsonl");
        TrainingLog log = new TrainingLog(file);
        for (int step = 1; step <= 5; step++) {
            log.append(log.entry().put("step", step).put("loss", 1.0 / step));
        }
        log.append(log.entry().put("step", 4).put("val_oIoU", 12.5));
        Files.writeString(file, "{\"step\":6,\"lo", java.nio.file.StandardOpenOption.APPEND);

        log.truncateAfter(4);

        assertEquals(List.of("{\"step\":1,\"loss\":1.0}", "{\"step\":2,\"loss\":0.5}",
                "{\"step\":3,\"loss\":0.3333333333333333}", "{\"step\":4,\"loss\":0.25}",
                "{\"step\":4,\"val_oIoU\":12.5}"), Files.readAllLines(file));
        log.append(log.entry().put("step", 5));
        assertEquals(6, Files.readAllLines(file).size());
    }

    @Test
    void noLogYetIsFine() throws Exception {
        new TrainingLog(dir.resolve("log.jsonl")).truncateAfter(0);
        assertEquals(false, Files.exists(dir.resolve("log.jsonl")));
    }
}
