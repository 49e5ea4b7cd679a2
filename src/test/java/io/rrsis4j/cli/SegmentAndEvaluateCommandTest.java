package io.rrsis4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rrsis4j.data.Datasets;
import io.rrsis4j.data.Images;
import io.rrsis4j.data.ReferringSample;
import io.rrsis4j.data.synthetic.SyntheticDatasets;
import io.rrsis4j.model.BtdNet;
import io.rrsis4j.model.BtdNetConfig;
import io.rrsis4j.model.weights.ModelCheckpoint;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands on a real (untrained) checkpoint: files, sizes, exit codes and one-line errors. */
class SegmentAndEvaluateCommandTest {
    @TempDir
    static Path dir;
    static Path checkpoint;
    static Path data;

    @BeforeAll
    static void checkpointAndData() throws Exception {
        BtdNetConfig config = BtdNetConfig.micro();
        checkpoint = dir.resolve("ckpt");
        try (NDManager m = NDManager.newBaseManager()) {
            BtdNet net = new BtdNet(config);
            net.initialize(m, DataType.FLOAT32);
            ModelCheckpoint.save(checkpoint, net, config.toJson());
        }
        data = dir.resolve("data");
        SyntheticDatasets.write(data, Datasets.Format.REFSEGRS, 8, 96, 5);
    }

    @Test
    void segmentWritesAMaskAndOverlayAtTheImageSize() throws Exception {
        ReferringSample s = Datasets.read(data, Datasets.Format.REFSEGRS, "train").get(0);
        BufferedImage big = io.rrsis4j.data.ImageTransforms.resize(Images.read(s.imagePath()), 150, 130);
        Path image = dir.resolve("odd-size.png");
        Images.write(big, "png", image);
        Path mask = dir.resolve("mask.png");
        Path overlay = dir.resolve("overlay.png");
        int code = Main.run("segment", "--checkpoint", checkpoint.toString(), "--image", image.toString(),
                "--text", s.sentence(), "--out", mask.toString(), "--overlay", overlay.toString());
        assertEquals(0, code);
        BufferedImage m = Images.read(mask);
        assertEquals(150, m.getWidth());
        assertEquals(130, m.getHeight());
        assertEquals(150, Images.read(overlay).getWidth());
    }

    @Test
    void segmentExplainWritesAWordMapPerWordAndAContactSheet() throws Exception {
        ReferringSample s = Datasets.read(data, Datasets.Format.REFSEGRS, "train").get(0);
        Path maps = dir.resolve("explain");
        int code = Main.run("segment", "--checkpoint", checkpoint.toString(), "--image", s.imagePath().toString(),
                "--text", "the red vehicle on the left", "--out", dir.resolve("explain-mask.png").toString(),
                "--explain", maps.toString());
        assertEquals(0, code);
        List<String> names;
        try (var files = Files.list(maps)) {
            names = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(List.of("01-the.png", "02-red.png", "03-vehicle.png", "04-on.png", "05-the.png", "06-left.png",
                "contact-sheet.png"), names);
        assertEquals(6 * Images.read(maps.resolve("02-red.png")).getHeight(),
                Images.read(maps.resolve("contact-sheet.png")).getHeight());
        // Not with --tile: one line, exit 2.
        assertEquals(2, Main.run("segment", "--checkpoint", checkpoint.toString(), "--image", s.imagePath().toString(),
                "--text", "the red vehicle", "--tile", "96", "--out", dir.resolve("t.tif").toString(),
                "--explain", maps.toString()));
    }

    @Test
    void segmentATiledGeoTiffSceneKeepsItsGeoreferencing() throws Exception {
        Path scene = dir.resolve("scene.tif");
        io.rrsis4j.bench.SyntheticGeoScene.Truth truth = io.rrsis4j.bench.SyntheticGeoScene.write(scene, 400);
        Path mask = dir.resolve("scene-mask.tif");
        Path geojson = dir.resolve("scene.geojson");
        int code = Main.run("segment", "--checkpoint", checkpoint.toString(), "--image", scene.toString(),
                "--text", "the red storage tank", "--tile", "96", "--overlap", "16", "--out", mask.toString(),
                "--geojson", geojson.toString());
        assertEquals(0, code);
        io.rrsis4j.io.raster.GeoRaster out = io.rrsis4j.io.raster.GeoRaster.open(mask);
        assertEquals(400, out.width());
        assertEquals(truth.geo().epsg(), out.geo().epsg());
        org.junit.jupiter.api.Assertions.assertArrayEquals(truth.geo().geoTransform(), out.geo().geoTransform(), 1e-9);
        JsonNode features = new ObjectMapper().readTree(geojson.toFile());
        assertEquals("FeatureCollection", features.get("type").asText());
    }

    @Test
    void benchSceneMeasuresTiledSegmentationOfACheckpoint() {
        PrintStream old = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true));
        int code;
        try {
            code = Main.run("bench", "scene", "--checkpoint", checkpoint.toString(), "--sizes", "150,300");
        } finally {
            System.setOut(old);
        }
        assertEquals(0, code);
        String out = buffer.toString();
        assertTrue(out.contains("150x150") && out.contains("300x300") && out.contains("s/MP"), out);
    }

    @Test
    void evaluatePrintsTheTableAndWritesJson() throws Exception {
        Path json = dir.resolve("eval.json");
        int code = Main.run("evaluate", "--checkpoint", checkpoint.toString(), "--data", data.toString(),
                "--format", "refsegrs", "--split", "train", "--json", json.toString());
        assertEquals(0, code);
        JsonNode node = new ObjectMapper().readTree(json.toFile());
        int expected = Datasets.read(data, Datasets.Format.REFSEGRS, "train").size(); // 8 scenes: no test split
        assertEquals(expected, node.get("samples").asInt());
        double oIoU = node.get("oIoU").asDouble();
        assertTrue(oIoU >= 0 && oIoU <= 100, "oIoU in percent: " + oIoU);
    }

    @Test
    void badInputsGiveOneLineErrorsAndExitCode2() throws Exception {
        Path corrupt = dir.resolve("corrupt.png");
        Files.write(corrupt, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        Path mask = dir.resolve("never.png");
        assertEquals(2, runCapturingErr(List.of("segment", "--checkpoint", checkpoint.toString(), "--image",
                corrupt.toString(), "--text", "the red car", "--out", mask.toString())).code, "corrupt image");
        assertTrue(Files.notExists(mask), "nothing half-written");
        Result empty = runCapturingErr(List.of("segment", "--checkpoint", checkpoint.toString(), "--image",
                corrupt.toString(), "--text", "  ", "--out", mask.toString()));
        assertEquals(2, empty.code);
        assertTrue(empty.err.contains("sentence is empty"), empty.err);
        Result missing = runCapturingErr(List.of("segment", "--checkpoint", dir.resolve("nope").toString(), "--image",
                corrupt.toString(), "--text", "the car", "--out", mask.toString()));
        assertEquals(2, missing.code);
        assertTrue(missing.err.contains("nope") && missing.err.contains("checkpoint not found"), missing.err);
        assertEquals(1, missing.err.strip().lines().count(), "one line: " + missing.err);
    }

    record Result(int code, String err) {}

    private static Result runCapturingErr(List<String> args) {
        PrintStream old = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buffer, true));
        try {
            return new Result(Main.run(args.toArray(String[]::new)), buffer.toString());
        } finally {
            System.setErr(old);
        }
    }
}
