package io.rrsis4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rrsis4j.data.Datasets;
import io.rrsis4j.data.synthetic.SyntheticDatasets;
import io.rrsis4j.model.BtdNetConfig;
import io.rrsis4j.model.weights.TrainedModel;
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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ablate} trains the four variants with their switches, prints one table row each and writes them as JSON;
 * run again, it reuses the finished runs; with other settings it refuses the folder.
 */
class AblateCommandTest {
    @TempDir
    Path dir;

    @Test
    void fourVariantsTrainedEvaluatedAndTabulated() throws Exception {
        Path out = dir.resolve("ablation");
        List<String> args = tinyStudy(out);

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

    @Test
    void seedsGiveMeanAndSpreadAndReuseTheSeedsAlreadyTrained() throws Exception {
        Path out = dir.resolve("ablation");
        List<String> args = tinyStudy(out);
        args.addAll(List.of("--seed", "5", "--seeds", "2"));

        String printed = stdout(args);
        assertTrue(printed.contains("mean+-sd over 2 seeds (5, 6)"), printed);
        JsonNode json = new ObjectMapper().readTree(out.resolve("ablation.json").toFile());
        assertEquals(4, json.size());
        List<String> lines = printed.lines().toList();
        for (int i = 0; i < 4; i++) {
            JsonNode row = json.get(i);
            assertEquals(2, row.get("seeds").asInt());
            JsonNode runs = row.get("runs");
            assertEquals(List.of(5L, 6L), List.of(runs.get(0).get("seed").asLong(), runs.get(1).get("seed").asLong()));
            for (JsonNode run : runs) {
                TrainConfig config = TrainConfig.read(Path.of(run.get("run").asText()).resolve("config.json"));
                assertEquals(run.get("seed").asLong(), config.seed());
                assertEquals(out.resolve(row.get("variant").asText()).resolve("seed-" + config.seed()),
                        Path.of(run.get("run").asText()));
            }
            // The table's mIoU cell: mean and sample standard deviation of the two runs.
            double a = runs.get(0).get("mIoU").asDouble();
            double b = runs.get(1).get("mIoU").asDouble();
            String[] cells = lines.get(1 + i).trim().split("\\s+");
            String[] meanSd = cells[cells.length - 1].split("\\+-");
            assertEquals((a + b) / 2, Double.parseDouble(meanSd[0]), 0.011, lines.get(1 + i));
            assertEquals(Math.abs(a - b) / Math.sqrt(2), Double.parseDouble(meanSd[1]), 0.011, lines.get(1 + i));
            assertEquals((a + b) / 2, row.get("mIoU").asDouble(), 0.011);
        }

        // A third seed: seeds 5 and 6 are evaluated again, not retrained; only seed 7 trains.
        long modified = Files.getLastModifiedTime(out.resolve("full/seed-5/checkpoints/last")).toMillis();
        args.set(args.indexOf("2"), "3");
        assertTrue(stdout(args).contains("mean+-sd over 3 seeds (5, 6, 7)"));
        assertEquals(modified, Files.getLastModifiedTime(out.resolve("full/seed-5/checkpoints/last")).toMillis());
        assertTrue(Files.isRegularFile(out.resolve("without-dmols/seed-7/config.json")));
    }

    /** The arguments of a study of a few steps on 12 small synthetic scenes, written into the test's folder. */
    private List<String> tinyStudy(Path out) throws Exception {
        Path data = dir.resolve("data");
        SyntheticDatasets.write(data, Datasets.Format.RRSISD, 16, 64, 3); // scenes 14 and 15 are the val split
        return new ArrayList<>(List.of("ablate", "--data", data.toString(), "--config", "micro",
                "--image-size", "64", "--epochs", "1", "--batch", "4", "--limit", "8", "--lr", "1e-3", "--no-validation",
                "--split", "val", "--out", out.toString(), "--no-progress"));
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
