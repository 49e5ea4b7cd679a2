package io.rrsis4j.cli;

import io.rrsis4j.model.TrainedModel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rrsis4j.data.Datasets;
import io.rrsis4j.data.SyntheticDatasets;
import io.rrsis4j.model.BtdNetConfig;
import io.rrsis4j.train.TrainConfig;
import io.rrsis4j.train.TrainingCheckpoint;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ablate} trains the four variants with their switches, prints one table row each and writes them as JSON;
 * run again, it reuses the finished runs; with other settings it refuses the folder.
 */
class AblateCommandTest {
    @TempDir
    Path dir;

    @Test
    void fourVariantsTrainedEvaluatedAndTabulated() throws Exception {
        Path data = dir.resolve("data");
        SyntheticDatasets.write(data, Datasets.Format.RRSISD, 16, 64, 3); // scenes 14 and 15 are the val split
        Path out = dir.resolve("ablation");
        List<String> args = new ArrayList<>(List.of("ablate", "--data", data.toString(), "--config", "micro",
                "--image-size", "64", "--epochs", "1", "--batch", "4", "--limit", "8", "--lr", "1e-3", "--no-validation",
                "--split", "val", "--out", out.toString(), "--no-progress"));

        String printed = stdout(args);
        List<String> lines = printed.lines().toList();
        assertTrue(lines.get(0).startsWith("BSC   T-BTD D-MOLS  Pr@0.5"), printed);
        assertEquals(List.of("on on on", "off on on", "on off on", "on on off"), lines.subList(1, 5).stream()
                .map(l -> String.join(" ", List.of(l.trim().split("\\s+")).subList(0, 3))).toList(), printed);
        for (String row : lines.subList(1, 5)) {
            assertEquals(10, row.trim().split("\\s+").length, row);
        }

        JsonNode json = new ObjectMapper().readTree(out.resolve("ablation.json").toFile());
        assertEquals(4, json.size());
        String[] names = {"full", "without-bsc", "without-tbtd", "without-dmols"};
        for (int i = 0; i < 4; i++) {
            JsonNode row = json.get(i);
            assertEquals(names[i], row.get("variant").asText());
            assertTrue(row.has("oIoU") && row.has("mIoU") && row.has("Pr@0.9"), row.toString());
            BtdNetConfig model = TrainConfig.read(out.resolve(names[i]).resolve("config.json")).model();
            assertEquals(row.get("bsc").asBoolean(), model.bsc());
            assertEquals(row.get("tbtd").asBoolean(), model.tbtd());
            assertEquals(row.get("dmols").asBoolean(), model.dmols());
            assertEquals("step-00000002", TrainedModel.resolve(out.resolve(names[i]).resolve("checkpoints"),
                    TrainedModel.LAST).orElseThrow().getFileName().toString());
        }
        assertEquals(List.of(true, false, true, true), List.of(json.get(0).get("bsc").asBoolean(),
                json.get(1).get("bsc").asBoolean(), json.get(2).get("bsc").asBoolean(), json.get(3).get("bsc").asBoolean()));

        // Again: the finished runs are evaluated, not retrained, and give the same table.
        long modified = Files.getLastModifiedTime(out.resolve("full/checkpoints/last")).toMillis();
        assertEquals(printed.lines().limit(5).toList(), stdout(args).lines().limit(5).toList());
        assertEquals(modified, Files.getLastModifiedTime(out.resolve("full/checkpoints/last")).toMillis());

        // Other settings into the same folder: refused, naming the run's config.
        List<String> other = new ArrayList<>(args);
        other.set(other.indexOf("1e-3"), "2e-3");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true));
        try {
            assertEquals(2, Main.run(other.toArray(String[]::new)));
        } finally {
            System.setErr(old);
        }
        assertTrue(err.toString().contains(out.resolve("full").resolve("config.json").toString())
                && err.toString().contains("other settings"), err.toString());
    }

    private static String stdout(List<String> args) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(buffer, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.run(args.toArray(String[]::new)));
        } finally {
            System.setOut(old);
        }
        return buffer.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
