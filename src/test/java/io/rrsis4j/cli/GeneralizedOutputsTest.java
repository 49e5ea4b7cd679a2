package io.rrsis4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rrsis4j.bench.SparkBenchmark;
import io.rrsis4j.bench.SyntheticGeoScene;
import io.rrsis4j.data.Images;
import io.rrsis4j.io.raster.GeoRaster;
import io.rrsis4j.model.BtdNet;
import io.rrsis4j.model.BtdNetConfig;
import io.rrsis4j.model.ParameterPaths;
import io.rrsis4j.model.weights.ModelCheckpoint;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every output of a generalized checkpoint says "no target": micro networks whose target channel is on everywhere
 * (joint scale 0, joint bias +-6) and whose presence head answers 0 or 1 whatever the input (output bias -+30), so the answer of
 * each command is known; and a checkpoint without the head prints exactly what it printed before.
 */
class GeneralizedOutputsTest {
    @TempDir
    static Path dir;
    static Path absent;
    static Path present;
    static Path plain;
    static Path image;

    @BeforeAll
    static void checkpoints() throws Exception {
        absent = generalized(dir.resolve("absent"), -30);
        present = generalized(dir.resolve("present"), 30);
        plain = dir.resolve("plain");
        ModelCheckpoint.saveUntrained(plain, BtdNetConfig.micro());
        image = dir.resolve("scene.png");
        BufferedImage picture = new BufferedImage(120, 90, BufferedImage.TYPE_INT_RGB);
        picture.getGraphics().fillRect(30, 20, 40, 30);
        Images.write(picture, "png", image);
    }

    /** A generalized micro network: target probability near 1 at every pixel, presence sigmoid(PRESENCE_BIAS). */
    static Path generalized(Path folder, float presenceBias) {
        BtdNetConfig config = BtdNetConfig.micro().withGeneralized(true, 1);
        try (NDManager m = NDManager.newBaseManager()) {
            BtdNet net = new BtdNet(config);
            net.initialize(m, DataType.FLOAT32);
            var params = ParameterPaths.of(net);
            params.get("decoder.joint_scale").getArray().muli(0); // the streams' random outputs do not count
            params.get("decoder.joint_bias").getArray().set(new float[] {-6, 6});
            params.get("decoder.presence.out.weight").getArray().muli(0);
            params.get("decoder.presence.out.bias").getArray().set(new float[] {presenceBias});
            ModelCheckpoint.save(folder, net, config.toJson());
        }
        return folder;
    }

    @Test
    void segmentSaysNoTargetWithThePresenceWritesAnEmptyMaskAndExitsZero() throws Exception {
        Path mask = dir.resolve("absent-mask.png");
        CliRun run = CliRun.of("segment", "--checkpoint", absent.toString(), "--image", image.toString(),
                "--text", "the airplane", "--out", mask.toString());
        assertEquals(0, run.code(), run.toString());
        assertEquals(image + ": no target (presence 0.00) -> " + mask, run.out().strip());
        assertEquals(0, onPixels(mask));

        Path found = dir.resolve("present-mask.png");
        CliRun yes = CliRun.of("segment", "--checkpoint", present.toString(), "--image", image.toString(),
                "--text", "the airplane", "--out", found.toString());
        assertEquals(0, yes.code(), yes.toString());
        assertTrue(yes.out().strip().matches(".*: 10800 of 10800 pixels \\(100[.,]00%\\), presence 1\\.00 -> .*"), yes.out());
        // a threshold above 1 is no threshold: one line, exit 2
        CliRun bad = CliRun.of("segment", "--checkpoint", present.toString(), "--image", image.toString(),
                "--text", "the airplane", "--out", found.toString(), "--presence-threshold", "1.5");
        assertEquals(2, bad.code());
        assertEquals(List.of("error: --presence-threshold must be in [0, 1], got 1.5"), bad.errorLines());
        // --presence-threshold 0: never "no target"
        CliRun never = CliRun.of("segment", "--checkpoint", absent.toString(), "--image", image.toString(),
                "--text", "the airplane", "--out", mask.toString(), "--presence-threshold", "0");
        assertTrue(never.out().contains("10800 of 10800 pixels"), never.out());
    }

    @Test
    void aCheckpointWithoutTheHeadPrintsWhatItPrintedBefore() {
        Path mask = dir.resolve("plain-mask.png");
        CliRun run = CliRun.of("segment", "--checkpoint", plain.toString(), "--image", image.toString(),
                "--text", "the airplane", "--out", mask.toString());
        assertEquals(0, run.code(), run.toString());
        assertTrue(run.out().strip().matches(java.util.regex.Pattern.quote(image.toString())
                + ": \\d+ of 10800 pixels \\(\\d+[.,]\\d\\d%\\) -> " + java.util.regex.Pattern.quote(mask.toString())),
                run.out());
    }

    @Test
    void segmentListAnswersEachRow() throws Exception {
        Path list = dir.resolve("pairs.tsv");
        Files.writeString(list, image + "\tthe airplane\n" + image + "\tthe red cars\n");
        CliRun run = CliRun.of("segment", "--checkpoint", absent.toString(), "--list", list.toString(),
                "--out-dir", dir.resolve("list").toString());
        assertEquals(0, run.code(), run.toString());
        assertEquals(List.of(image + "\tthe airplane\tno target (presence 0.00) -> 0000-mask.png",
                image + "\tthe red cars\tno target (presence 0.00) -> 0001-mask.png"), run.out().strip().lines().toList());
        assertEquals(0, onPixels(dir.resolve("list/0001-mask.png")));
    }

    @Test
    void aTiledSceneWithoutTheObjectGivesAnEmptyMaskAndNoFeatures() throws Exception {
        Path scene = dir.resolve("geo.tif");
        SyntheticGeoScene.write(scene, 300);
        Path mask = dir.resolve("geo-mask.tif");
        Path geojson = dir.resolve("geo.geojson");
        assertEquals(0, Main.run("segment", "--checkpoint", absent.toString(), "--image", scene.toString(), "--text",
                "the airplane", "--tile", "96", "--overlap", "16", "--out", mask.toString(), "--geojson", geojson.toString()));
        int[] pixels = GeoRaster.open(mask).readWindow(0, 0, 300, 300, new int[] {0})[0];
        assertTrue(java.util.Arrays.stream(pixels).allMatch(v -> v == 0), "empty mask");
        JsonNode json = new ObjectMapper().readTree(geojson.toFile());
        assertEquals(0, json.get("features").size());
        // the same weights judging the object present: the look-alike everywhere, as before the head
        assertEquals(0, Main.run("segment", "--checkpoint", present.toString(), "--image", scene.toString(), "--text",
                "the airplane", "--tile", "96", "--overlap", "16", "--out", mask.toString(), "--geojson", geojson.toString()));
        assertTrue(new ObjectMapper().readTree(geojson.toFile()).get("features").size() > 0);
    }

    @Test
    void evaluatePredictsWhatSegmentAnswers() throws Exception {
        Path data = dir.resolve("data");
        io.rrsis4j.data.synthetic.SyntheticDatasets.write(data, io.rrsis4j.data.Datasets.Format.REFSEGRS, 4, 96, 5);
        Path json = dir.resolve("eval.json");
        assertEquals(0, Main.run("evaluate", "--checkpoint", absent.toString(), "--data", data.toString(),
                "--format", "refsegrs", "--split", "train", "--json", json.toString()));
        JsonNode node = new ObjectMapper().readTree(json.toFile());
        assertEquals(0, node.get("oIoU").asDouble(), 0, "every sample predicted empty, as segment answers");
        assertEquals(0, Main.run("evaluate", "--checkpoint", absent.toString(), "--data", data.toString(),
                "--format", "refsegrs", "--split", "train", "--json", json.toString(), "--presence-threshold", "0"));
        assertTrue(new ObjectMapper().readTree(json.toFile()).get("oIoU").asDouble() > 0);
    }

    @Test
    void evaluatePerSampleGivesEachSentencesCountsAndScoresThatSumToTheTables() throws Exception {
        Path data = dir.resolve("gdata");
        io.rrsis4j.data.synthetic.SyntheticDatasets.write(data, io.rrsis4j.data.Datasets.Format.GREFS, 6, 64, 5, 0.3, 0.3);
        List<io.rrsis4j.data.ReferringSample> samples = io.rrsis4j.data.Datasets.read(data,
                io.rrsis4j.data.Datasets.Format.GREFS, "train");
        ObjectMapper mapper = new ObjectMapper();
        for (Path checkpoint : List.of(present, absent)) {
            boolean paints = checkpoint == present;
            Path json = dir.resolve("g-eval.json");
            Path lines = dir.resolve("per-sample.jsonl");
            assertEquals(0, Main.run("evaluate", "--checkpoint", checkpoint.toString(), "--data", data.toString(),
                    "--format", "grefs", "--split", "train", "--resolution", "original", "--json", json.toString(),
                    "--per-sample", lines.toString(), "-q"));
            List<String> rows = Files.readAllLines(lines);
            assertEquals(samples.size(), rows.size());
            long cumI = 0;
            long cumU = 0;
            double sumIoU = 0;
            int none = 0;
            for (int k = 0; k < rows.size(); k++) {
                JsonNode row = mapper.readTree(rows.get(k));
                io.rrsis4j.data.ReferringSample s = samples.get(k);
                io.rrsis4j.data.BinaryMask truth = s.mask().load();
                long area = (long) truth.width() * truth.height();
                long on = 0;
                for (byte b : truth.pixels()) {
                    on += b != 0 ? 1 : 0;
                }
                String kind = s.targets() == 0 ? "none" : s.targets() == 1 ? "single" : "multi";
                assertEquals(s.id(), row.get("id").asText());
                assertEquals(s.sentence(), row.get("sentence").asText());
                assertEquals(kind, row.get("kind").asText());
                assertEquals(paints ? 1.0 : 0.0, row.get("presence").asDouble(), 1e-6);
                assertEquals(!paints, row.get("judged_absent").asBoolean());
                // the one checkpoint paints every pixel, the other none, so every count follows from the truth
                assertEquals(on, row.get("truth").asLong());
                assertEquals(paints ? area : 0, row.get("predicted").asLong());
                assertEquals(paints ? on : 0, row.get("intersection").asLong());
                assertEquals(paints ? area : on, row.get("union").asLong());
                double iou = kind.equals("none") ? (paints ? 0 : 1) : paints ? on / (double) area : 0;
                assertEquals(iou, row.get("iou").asDouble(), 1e-12);
                none += kind.equals("none") ? 1 : 0;
                sumIoU += iou;
                cumI += kind.equals("none") ? 0 : row.get("intersection").asLong();
                cumU += kind.equals("none") && !paints ? 0 : row.get("union").asLong();
            }
            assertTrue(none > 0 && none < rows.size(), "the set has target and no-target sentences");
            JsonNode table = mapper.readTree(json.toFile());
            assertEquals(100 * sumIoU / rows.size(), table.get("gIoU").asDouble(), 0.006);
            assertEquals(100.0 * cumI / cumU, table.get("cIoU").asDouble(), 0.006);
        }
    }

    @Test
    void sparkSegmentHasAPresenceColumnAndSparkSceneNoFeatures() throws Exception {
        Path rows = dir.resolve("rows");
        SparkBenchmark.writeRows(rows, 6, 48, 64, 12);
        Path out = dir.resolve("masks.parquet");
        Path plainOut = dir.resolve("plain.parquet");
        String[] common = {"--manifest", rows.resolve("manifest.csv").toString(), "--master", "local[2]",
                "--partitions", "2", "--conf", "spark.ui.enabled=false"};
        assertEquals(0, Main.run(concat(new String[] {"spark", "segment", "--checkpoint", absent.toString(), "--out",
                out.toString()}, common)));
        assertEquals(0, Main.run(concat(new String[] {"spark", "segment", "--checkpoint", plain.toString(), "--out",
                plainOut.toString()}, common)));
        Path scene = dir.resolve("spark-scene.tif");
        SyntheticGeoScene.write(scene, 300);
        Path geojson = dir.resolve("spark.geojson");
        assertEquals(0, Main.run("spark", "scene", "--checkpoint", absent.toString(), "--image", scene.toString(),
                "--text", "the airplane", "--tile", "96", "--overlap", "16", "--out", dir.resolve("spark.tif").toString(),
                "--geojson", geojson.toString(), "--master", "local[2]", "--partitions", "2",
                "--conf", "spark.ui.enabled=false"));
        assertEquals(0, new ObjectMapper().readTree(geojson.toFile()).get("features").size());
        try (SparkSession spark = io.rrsis4j.spark.SparkSessions.create("local[1]", Map.of("spark.ui.enabled", "false"))) {
            List<Row> judged = spark.read().parquet(out.toString()).collectAsList();
            assertEquals(6, judged.size());
            for (Row r : judged) {
                assertEquals(0, r.<Double>getAs("presence"), 1e-9);
                assertEquals(0L, r.<Long>getAs("area"));
            }
            for (Row r : spark.read().parquet(plainOut.toString()).collectAsList()) {
                assertNull(r.getAs("presence"), "no head, no presence");
            }
        }
    }

    private static int onPixels(Path png) {
        BufferedImage m = Images.read(png);
        int on = 0;
        for (int y = 0; y < m.getHeight(); y++) {
            for (int x = 0; x < m.getWidth(); x++) {
                on += m.getRaster().getSample(x, y, 0) > 127 ? 1 : 0;
            }
        }
        return on;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
