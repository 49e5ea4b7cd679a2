package io.rrsis4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rrsis4j.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {
    @TempDir
    Path dir;

    @Test
    void modelBenchAppendsRunsWithRatesAndMemory() throws Exception {
        Path json = dir.resolve("results.json");
        String[] args = {"bench", "model", "--config", "micro", "--iterations", "1", "--warmup", "0",
                "--matmul-size", "256", "--json", json.toString()};
        assertEquals(0, Main.run(args));
        assertEquals(0, Main.run(args));
        JsonNode runs = new ObjectMapper().readTree(json.toFile()).get("runs");
        assertEquals(2, runs.size());
        JsonNode run = runs.get(0);
        assertEquals(96, run.get("imageSize").asInt());
        assertTrue(run.get("matmulGflops").asDouble() > 0.1);
        assertTrue(run.get("forward").get("imagesPerSecond").asDouble() > 0);
        assertTrue(run.get("training").get("imagesPerSecond").asDouble() > 0);
        assertTrue(run.get("forward").get("rssPeakMiB").asDouble() > 50);
        double fraction = run.get("forward").get("fractionOfMatmul").asDouble();
        assertEquals(run.get("forward").get("achievedGflops").asDouble() / run.get("matmulGflops").asDouble(),
                fraction, 1e-9);
    }

    @Test
    void dataBenchLoadsASyntheticSetAndComparesWithTraining() throws Exception {
        Path json = dir.resolve("data.json");
        Path model = dir.resolve("model.json");
        Files.writeString(model, "{\"runs\":[{\"config\":\"micro\",\"training\":{\"imagesPerSecond\":2.5}}]}");
        assertEquals(0, Main.run("bench", "data", "--config", "micro", "--batch", "2", "--threads", "2",
                "--batches", "3", "--model-json", model.toString(), "--json", json.toString()));
        JsonNode run = new ObjectMapper().readTree(json.toFile()).get("runs").get(0);
        assertTrue(run.get("samplesPerSecond").asDouble() > 0);
        assertEquals(2.5, run.get("modelTrainingImagesPerSecond").asDouble(), 1e-9);
    }

    @Test
    void unknownConfigIsBadInput() {
        assertEquals(2, Main.run("bench", "model", "--config", "huge", "--no-train"));
    }
}
