package io.rrsis4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rrsis4j.bench.SparkBenchmark;
import io.rrsis4j.bench.SyntheticGeoScene;
import io.rrsis4j.data.BinaryMask;
import io.rrsis4j.data.CocoMasks;
import io.rrsis4j.data.Images;
import io.rrsis4j.io.raster.GeoRaster;
import io.rrsis4j.model.BtdNetConfig;
import io.rrsis4j.model.weights.ModelCheckpoint;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spark segment} and {@code spark scene} in local[2] on a real (untrained) micro BTDNet give the masks of
 * {@code segment --list} and {@code segment --tile} on one JVM, pixel for pixel.
 */
class SparkCommandTest {
    @TempDir
    static Path dir;
    static Path checkpoint;

    @BeforeAll
    static void microCheckpoint() {
        checkpoint = dir.resolve("ckpt");
        ModelCheckpoint.saveUntrained(checkpoint, BtdNetConfig.micro());
    }

    @Test
    void sparkSegmentGivesTheMasksOfSegmentList() throws Exception {
        int n = 200;
        SparkBenchmark.writeRows(dir, n, 48, 64, 12);

        assertEquals(0, Main.run("segment", "--checkpoint", checkpoint.toString(), "--list",
                dir.resolve("pairs.tsv").toString(), "--out-dir", dir.resolve("list").toString(), "--batch", "4"));
        Path out = dir.resolve("masks.parquet");
        assertEquals(0, Main.run("spark", "segment", "--checkpoint", checkpoint.toString(), "--manifest",
                dir.resolve("manifest.csv").toString(), "--out", out.toString(), "--master", "local[2]",
                "--partitions", "3", "--batch", "4", "--conf", "spark.ui.enabled=false"));

        try (SparkSession spark = io.rrsis4j.spark.SparkSessions.create("local[1]",
                java.util.Map.of("spark.ui.enabled", "false"))) {
            java.util.List<Row> rows = spark.read().parquet(out.toString()).collectAsList();
            assertEquals(n, rows.size());
            long on = 0;
            long pixels = 0;
            for (Row r : rows) {
                int i = Integer.parseInt(r.getAs("id"));
                BinaryMask mask = CocoMasks.decode(CocoMasks.fromCompressedString(r.getAs("mask")),
                        r.<Integer>getAs("height"), r.<Integer>getAs("width"));
                BufferedImage png = Images.read(dir.resolve("list").resolve(String.format("%04d-mask.png", i)));
                BinaryMask expected = new BinaryMask(png.getWidth(), png.getHeight());
                for (int y = 0; y < png.getHeight(); y++) {
                    for (int x = 0; x < png.getWidth(); x++) {
                        expected.set(x, y, (png.getRGB(x, y) & 0xFF) > 127);
                    }
                }
                assertEquals(expected, mask, "row " + i);
                on += mask.count();
                pixels += (long) mask.width() * mask.height();
            }
            assertTrue(on > 0 && on < pixels, "masks neither all empty nor all full: " + on + " of " + pixels);
        }
    }

    @Test
    void aManifestThatIsNotParquetIsRefusedOnTheDriver() throws Exception {
        Path notParquet = dir.resolve("pairs.txt"); // a CSV not named .csv is read as Parquet: refused in one line
        Files.writeString(notParquet, "image,text\na.png,the car\n");
        Path out = dir.resolve("refused.parquet");
        CliRun run = CliRun.of("spark", "segment", "--checkpoint", checkpoint.toString(), "--manifest",
                notParquet.toString(), "--out", out.toString(), "--master", "local[1]", "--conf", "spark.ui.enabled=false");
        assertEquals(2, run.code(), run.toString());
        assertTrue(run.err().contains("error: " + notParquet + ": not a Parquet file"), run.toString());
        assertTrue(!run.err().contains("Exception"), "no task failure logged: " + run);
        assertTrue(!Files.exists(out));
    }

    @Test
    void aPngDirThatIsAFileIsRefusedBeforeTheJob() throws Exception {
        Path manifest = dir.resolve("one.csv");
        Files.writeString(manifest, "image,text\nnone.png,the car\n");
        Path file = dir.resolve("a-file");
        Files.writeString(file, "x");
        Path out = dir.resolve("png-dir-refused.parquet");
        CliRun run = CliRun.of("spark", "segment", "--checkpoint", checkpoint.toString(), "--manifest",
                manifest.toString(), "--out", out.toString(), "--png-dir", file.toString(), "--master", "local[1]",
                "--conf", "spark.ui.enabled=false");
        assertEquals(2, run.code(), run.toString());
        assertTrue(run.err().contains("error: " + file + ": is a file where a folder is needed"), run.toString());
        assertTrue(!Files.exists(out), "no half table left");
    }

    @Test
    void sparkSceneGivesTheGeoTiffOfSegmentTile() {
        Path scene = dir.resolve("scene.tif");
        SyntheticGeoScene.write(scene, 400);
        Path single = dir.resolve("single.tif");
        Path spread = dir.resolve("spread.tif");
        assertEquals(0, Main.run("segment", "--checkpoint", checkpoint.toString(), "--image", scene.toString(),
                "--text", "the red storage tank", "--tile", "96", "--overlap", "16", "--out", single.toString()));
        assertEquals(0, Main.run("spark", "scene", "--checkpoint", checkpoint.toString(), "--image",
                scene.toString(), "--text", "the red storage tank", "--tile", "96", "--overlap", "16", "--out",
                spread.toString(), "--geojson", dir.resolve("spread.geojson").toString(), "--master", "local[2]",
                "--partitions", "3", "--conf", "spark.ui.enabled=false"));
        GeoRaster a = GeoRaster.open(single);
        GeoRaster b = GeoRaster.open(spread);
        assertEquals(a.geo(), b.geo());
        assertEquals(32633, b.geo().epsg().getAsInt());
        assertArrayEquals(SyntheticGeoScene.georeferencing().geoTransform(), b.geo().geoTransform(), 1e-9);
        assertArrayEquals(a.readWindow(0, 0, 400, 400, new int[] {0})[0], b.readWindow(0, 0, 400, 400, new int[] {0})[0]);
        assertTrue(Files.isRegularFile(dir.resolve("spread.geojson")));
    }
}
