package io.rrsis4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rrsis4j.InvalidInputException;
import io.rrsis4j.bench.SyntheticGeoScene;
import io.rrsis4j.data.BinaryMask;
import io.rrsis4j.data.CocoMasks;
import io.rrsis4j.data.Images;
import io.rrsis4j.infer.ColourSegmenter;
import io.rrsis4j.infer.MaskPrediction;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manifest job in local mode with a test-double segmenter: rows, RLE, error rows, retries, reruns. */
class SparkSegmentJobTest {

    @TempDir
    static Path dir;
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = TestSources.session("local[2,2]"); // two task slots, a task may fail once
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** {@code n} small images with a red and a blue square, sizes 48-64, and a manifest naming one colour each. */
    static Path manifest(Path folder, int n, long seed) throws Exception {
        Files.createDirectories(folder.resolve("img"));
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder("id,image,text\n");
        for (int i = 0; i < n; i++) {
            int w = 48 + random.nextInt(17);
            int h = 48 + random.nextInt(17);
            BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
            Graphics2D g = image.createGraphics();
            g.setColor(new Color(90, 140, 70));
            g.fillRect(0, 0, w, h);
            g.setColor(Color.RED);
            g.fillRect(random.nextInt(w / 2), random.nextInt(h / 2), 5 + random.nextInt(15), 5 + random.nextInt(15));
            g.setColor(Color.BLUE);
            g.fillOval(random.nextInt(w / 2), random.nextInt(h / 2), 5 + random.nextInt(15), 5 + random.nextInt(15));
            g.dispose();
            Images.write(image, "png", folder.resolve("img/" + i + ".png"));
            String colour = random.nextBoolean() ? "red" : "blue";
            csv.append("s").append(i).append(",img/").append(i).append(".png,\"the ").append(colour)
                    .append(" square, small\"\n");
        }
        Path manifest = folder.resolve("manifest.csv");
        Files.writeString(manifest, csv, StandardCharsets.UTF_8);
        return manifest;
    }

    static Map<String, Row> byId(Path out) {
        Map<String, Row> rows = new HashMap<>();
        for (Row r : spark.read().parquet(out.toString()).collectAsList()) {
            assertNull(rows.put(r.getAs("id"), r), "id " + r.getAs("id") + " twice");
        }
        return rows;
    }

    static BinaryMask mask(Row r) {
        return CocoMasks.decode(CocoMasks.fromCompressedString(r.getAs("mask")), r.<Integer>getAs("height"),
                r.<Integer>getAs("width"));
    }

    /** A 0/255 mask PNG as a mask. */
    static BinaryMask pngMask(Path png) throws Exception {
        BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
        BinaryMask mask = new BinaryMask(image.getWidth(), image.getHeight());
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                mask.set(x, y, image.getRaster().getSample(x, y, 0) > 127);
            }
        }
        return mask;
    }

    @Test
    void everyRowOnceWithTheMaskOfTheSegmenterAsCocoRle() throws Exception {
        Path manifest = manifest(dir.resolve("clean"), 200, 1);
        Path out = dir.resolve("clean-out");
        SparkSegmentJob.Summary summary = SparkSegmentJob.run(spark, new TestSources.Colour("clean"),
                SparkSegmentJob.Options.of(manifest.toString(), out.toString()).withPartitions(5)
                        .withPngDir(dir.resolve("png").toString()), System.err);
        assertEquals(200, summary.rows());
        assertEquals(0, summary.errors());
        Map<String, Row> rows = byId(out);
        assertEquals(200, rows.size());
        ColourSegmenter reference = new ColourSegmenter();
        for (int i : new int[] {0, 7, 111, 199}) {
            Row r = rows.get("s" + i);
            BufferedImage image = Images.read(dir.resolve("clean/img/" + i + ".png"));
            MaskPrediction expected = MaskPrediction.predict(reference, List.of(image), List.of(r.<String>getAs("text")),
                    0.5f).get(0);
            assertEquals(expected.mask(), mask(r));
            assertEquals(image.getWidth(), r.<Integer>getAs("width"));
            assertEquals(expected.area(), r.<Long>getAs("area"));
            assertTrue(expected.area() > 20, "a square was found: " + expected.area());
            assertEquals(List.of(expected.boundingBox()[0], expected.boundingBox()[1], expected.boundingBox()[2],
                    expected.boundingBox()[3]), r.getList(r.fieldIndex("bbox")));
            assertEquals(expected.meanProbability(), r.<Double>getAs("mean_probability"), 1e-12);
            assertNull(r.getAs("geojson"), "PNG images carry no CRS");
            assertEquals(expected.mask(), pngMask(dir.resolve("png/s" + i + ".png")));
        }
        try (java.util.stream.Stream<Path> files = Files.list(dir.resolve("png"))) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            assertEquals(200, names.size(), "the masks only, no hidden .crc files: " + names.subList(0, 3));
            assertTrue(names.stream().allMatch(n -> n.matches("s\\d+\\.png")), names.toString());
        }
    }

    @Test
    void aTaskThatFailsOnceIsRetriedAndEveryRowIsWrittenOnce() throws Exception {
        Path manifest = manifest(dir.resolve("retry"), 200, 2);
        Path out = dir.resolve("retry-out");
        int before = TestSources.FAILURES.get();
        SparkSegmentJob.Summary summary = SparkSegmentJob.run(spark, new TestSources.FailingFirstAttempt("retry"),
                SparkSegmentJob.Options.of(manifest.toString(), out.toString()).withPartitions(4), System.err);
        assertEquals(1, TestSources.FAILURES.get() - before, "the first attempt of partition 0 failed");
        assertEquals(200, summary.rows());
        Map<String, Row> rows = byId(out);
        assertEquals(200, rows.size());
        for (int i = 0; i < 200; i++) {
            assertTrue(rows.containsKey("s" + i), "row s" + i);
        }
    }

    @Test
    void corruptImagesAndEmptySentencesBecomeErrorRows() throws Exception {
        Path folder = dir.resolve("bad");
        manifest(folder, 12, 3);
        Files.write(folder.resolve("img/corrupt.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        Files.write(folder.resolve("img/noise.jpg"), new byte[] {1, 2, 3, 4, 5});
        String csv = Files.readString(folder.resolve("manifest.csv"))
                + "b1,img/corrupt.png,the red square\n"
                + "b2,img/noise.jpg,the red square\n"
                + "b3,img/missing.png,the red square\n"
                + "b4,img/1.png,\n"
                + "b5,img/2.png,\"   \"\n";
        Path manifest = folder.resolve("with-errors.csv");
        Files.writeString(manifest, csv);
        Path out = dir.resolve("bad-out");
        SparkSegmentJob.Summary summary = SparkSegmentJob.run(spark, new TestSources.Colour("bad"),
                SparkSegmentJob.Options.of(manifest.toString(), out.toString()).withBatch(3), System.err);
        assertEquals(17, summary.rows());
        assertEquals(5, summary.errors());
        Map<String, Row> rows = byId(out);
        assertTrue(rows.get("b1").<String>getAs("error").contains("corrupt.png"), rows.get("b1").toString());
        assertTrue(rows.get("b3").<String>getAs("error").contains("not found"), rows.get("b3").toString());
        assertTrue(rows.get("b4").<String>getAs("error").contains("sentence is empty"));
        assertTrue(rows.get("b5").<String>getAs("error").contains("sentence is empty"));
        for (String id : List.of("b1", "b2", "b3", "b4", "b5")) {
            assertNull(rows.get(id).getAs("mask"));
        }
        for (int i = 0; i < 12; i++) {
            assertNull(rows.get("s" + i).getAs("error"));
            assertFalse(rows.get("s" + i).isNullAt(rows.get("s" + i).fieldIndex("mask")));
        }
    }

    @Test
    void aGeoTiffRowCarriesItsMaskAsGeoJsonInTheSceneCrs() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("geo"));
        SyntheticGeoScene.Truth truth = SyntheticGeoScene.write(folder.resolve("tile.tif"), 300, 200, false);
        Files.writeString(folder.resolve("m.csv"), "id,image,text\ng,tile.tif,the red tank\n");
        Path out = dir.resolve("geo-out");
        SparkSegmentJob.run(spark, new TestSources.Colour("geo"),
                SparkSegmentJob.Options.of(folder.resolve("m.csv").toString(), out.toString()), System.err);
        Row row = byId(out).get("g");
        assertNull(row.getAs("error"));
        JsonNode json = new ObjectMapper().readTree(row.<String>getAs("geojson"));
        assertEquals("urn:ogc:def:crs:EPSG::32633", json.at("/crs/properties/name").asText());
        // the tank, the faded roof and the speck are all above 0.5: every part of the mask is a feature
        JsonNode tank = null;
        for (JsonNode f : json.get("features")) {
            if (f.at("/properties/pixel_area").asLong() == truth.pixelArea()) {
                tank = f;
            }
        }
        assertTrue(tank != null, json.toString());
        double[] b = truth.mapBounds();
        JsonNode ring = tank.at("/geometry/coordinates/0");
        for (JsonNode xy : ring) {
            assertTrue(xy.get(0).asDouble() >= b[0] - 1 && xy.get(0).asDouble() <= b[2] + 1, xy.toString());
            assertTrue(xy.get(1).asDouble() >= b[1] - 1 && xy.get(1).asDouble() <= b[3] + 1, xy.toString());
        }
    }

    @Test
    void imagesOnAnotherFileSystemAreReadFromACopy() throws Exception {
        Path folder = dir.resolve("remote");
        manifest(folder, 4, 6);
        Files.write(folder.resolve("img/corrupt.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        StringBuilder csv = new StringBuilder("id,image,text\n");
        for (int i = 0; i < 4; i++) {
            csv.append("r").append(i).append(",rrtest://").append(folder.resolve("img/" + i + ".png")).append(",the red square\n");
        }
        csv.append("bad,rrtest://").append(folder.resolve("img/corrupt.png")).append(",the red square\n");
        Files.writeString(folder.resolve("remote.csv"), csv);
        spark.sparkContext().hadoopConfiguration().set("fs.rrtest.impl", RenamedLocalFileSystem.class.getName());
        Path out = dir.resolve("remote-out");
        SparkSegmentJob.run(spark, new TestSources.Colour("remote"),
                SparkSegmentJob.Options.of(folder.resolve("remote.csv").toString(), out.toString()), System.err);
        Map<String, Row> rows = byId(out);
        ColourSegmenter reference = new ColourSegmenter();
        for (int i = 0; i < 4; i++) {
            BufferedImage image = Images.read(folder.resolve("img/" + i + ".png"));
            assertEquals(MaskPrediction.predict(reference, List.of(image), List.of("the red square"), 0.5f).get(0)
                    .mask(), mask(rows.get("r" + i)));
        }
        String error = rows.get("bad").getAs("error");
        assertTrue(error.startsWith("rrtest://") && error.contains("corrupt.png"), error);
    }

    @Test
    void aParquetManifestWithoutIdsNumbersItsRows() throws Exception {
        Path folder = dir.resolve("parquet");
        Path csv = manifest(folder, 9, 5);
        Path parquet = folder.resolve("manifest.parquet");
        spark.read().option("header", "true").csv(csv.toString()).select("image", "text").coalesce(1)
                .write().parquet(parquet.toString());
        Path out = dir.resolve("parquet-out");
        SparkSegmentJob.Summary summary = SparkSegmentJob.run(spark, new TestSources.Colour("parquet"),
                SparkSegmentJob.Options.of(parquet.toString(), out.toString()).withBatch(2), System.err);
        assertEquals(9, summary.rows());
        assertEquals(0, summary.errors());
        Map<String, Row> rows = byId(out);
        for (int i = 0; i < 9; i++) {
            assertEquals("img/" + i + ".png", rows.get(Integer.toString(i)).getAs("image"), "row " + i);
        }
    }

    @Test
    void anExistingOutputIsRefusedUnlessOverwriteIsAsked() throws Exception {
        Path manifest = manifest(dir.resolve("rerun"), 6, 4);
        Path out = dir.resolve("rerun-out");
        SparkSegmentJob.Options options = SparkSegmentJob.Options.of(manifest.toString(), out.toString());
        TestSources.Colour source = new TestSources.Colour("rerun");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        SparkSegmentJob.run(spark, source, options, quiet);
        InvalidInputException refused = assertThrows(InvalidInputException.class,
                () -> SparkSegmentJob.run(spark, source, options, quiet));
        assertTrue(refused.getMessage().contains("--mode overwrite"), refused.getMessage());
        assertEquals(6, SparkSegmentJob.run(spark, source, options.withOverwrite(true), quiet).rows());
        assertEquals(6, byId(out).size());

        Path noColumns = dir.resolve("rerun/no-columns.csv");
        Files.writeString(noColumns, "picture,sentence\na.png,the car\n");
        InvalidInputException columns = assertThrows(InvalidInputException.class, () -> SparkSegmentJob.run(spark,
                source, SparkSegmentJob.Options.of(noColumns.toString(), dir.resolve("never").toString()), quiet));
        assertTrue(columns.getMessage().contains("needs columns image and text"), columns.getMessage());
        InvalidInputException missing = assertThrows(InvalidInputException.class, () -> SparkSegmentJob.run(spark,
                source, SparkSegmentJob.Options.of(dir.resolve("nope.csv").toString(), dir.resolve("never").toString()),
                quiet));
        assertTrue(missing.getMessage().startsWith(dir.resolve("nope.csv").toString()), missing.getMessage());
        assertEquals(1, missing.getMessage().lines().count());
    }
}
