package io.rrsis4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rrsis4j.InvalidInputException;
import io.rrsis4j.bench.SyntheticGeoScene;
import io.rrsis4j.infer.ColourSegmenter;
import io.rrsis4j.infer.SceneOptions;
import io.rrsis4j.infer.SceneSegmentation;
import io.rrsis4j.infer.TiledSegmenter;
import io.rrsis4j.io.raster.DisplayBands;
import io.rrsis4j.io.raster.GeoRaster;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rasters on a Hadoop file system that is not {@code file:} (a counting one over the local disk) are read by
 * positioned reads of the blocks a window touches, with the samples of the local reader: a window reads a small
 * part of the scene, a whole tiled pass about the file once, and no read asks for the file.
 */
class RangedReadsTest {
    @TempDir
    Path dir;

    private static HadoopFiles files() {
        Configuration conf = new Configuration(false);
        conf.set("fs.rrcount.impl", CountingFileSystem.class.getName());
        conf.set("fs.rrcount.impl.disable.cache", "true");
        return HadoopFiles.of(conf);
    }

    private static String uri(Path file) {
        return "rrcount://" + file.toAbsolutePath();
    }

    @Test
    void aWindowReadsItsRowsOnly() throws Exception {
        Path scene = dir.resolve("scene.tif");
        SyntheticGeoScene.write(scene, 2000, 1500, false);
        long size = Files.size(scene);
        CountingFileSystem.reset();
        GeoRaster remote = files().raster(uri(scene));
        assertNull(remote.file());
        assertEquals(uri(scene), remote.name());
        int[] bands = {0, 1, 2};
        float[][] got = remote.readSamples(1000, 700, 64, 64, bands);
        assertArrayEquals(GeoRaster.open(scene).readSamples(1000, 700, 64, 64, bands), got);
        assertEquals(0, CountingFileSystem.SEQUENTIAL_BYTES.get());
        long read = CountingFileSystem.POSITIONED_BYTES.get();
        assertTrue(read > 64 * 64 * 3 && read < size / 20, read + " bytes read of " + size);
    }

    @Test
    void aTiledPassReadsTheSceneAboutOnceByRanges() throws Exception {
        Path scene = dir.resolve("scene.tif");
        SyntheticGeoScene.write(scene, 900, 700, false);
        long size = Files.size(scene);
        SceneOptions options = SceneOptions.defaults(dir.resolve("local.tif"), null).withTiling(160, 32)
                .withProgress(false);
        SceneSegmentation.run(new ColourSegmenter(), scene, "the red tank", options);
        CountingFileSystem.reset();
        GeoRaster remote = files().raster(uri(scene));
        DisplayBands view = DisplayBands.of(remote, null);
        TiledSegmenter tiled = new TiledSegmenter(new ColourSegmenter(), 160, 32, 4, false);
        SceneSegmentation.segment(remote, options.withOutputs(dir.resolve("remote.tif"), null), System.nanoTime(), view.choice(),
                rows -> tiled.segment(view, "the red tank", rows));
        assertArrayEquals(Files.readAllBytes(dir.resolve("local.tif")), Files.readAllBytes(dir.resolve("remote.tif")));
        assertEquals(0, CountingFileSystem.SEQUENTIAL_BYTES.get());
        long read = CountingFileSystem.POSITIONED_BYTES.get();
        // tile rows overlap by 32 of 160 rows, read again where they do: at most 1.5 times the file
        assertTrue(read >= size * 0.9 && read < size * 1.5, read + " bytes read of " + size);
        assertTrue(CountingFileSystem.LARGEST_REQUEST.get() <= 900 * 3, "largest read "
                + CountingFileSystem.LARGEST_REQUEST.get() + " bytes: a strip row at most");
    }

    @Test
    void jpegTilesAndPlainImagesReadFromTheFileSystemGiveTheLocalSamples() {
        for (String name : new String[] {"tiled_jpeg_ycbcr.tif", "tiled_deflate_predictor.tif", "scene.png"}) {
            Path file = Path.of("src/test/resources/geotiff", name).toAbsolutePath();
            GeoRaster local = GeoRaster.open(file);
            GeoRaster remote = files().raster(uri(file));
            int[] bands = {0};
            int w = Math.min(40, local.width() - 3);
            int h = Math.min(30, local.height() - 5);
            assertArrayEquals(local.readSamples(3, 5, w, h, bands), remote.readSamples(3, 5, w, h, bands), name);
            assertEquals(local.geo(), remote.geo(), name);
        }
    }

    @Test
    void aMissingOrDamagedRemoteSceneIsOneLineNamingItsUri() throws Exception {
        InvalidInputException missing = assertThrows(InvalidInputException.class,
                () -> files().raster(uri(dir.resolve("none.tif"))));
        assertEquals(uri(dir.resolve("none.tif")) + ": image file not found", missing.getMessage());
        Path damaged = dir.resolve("damaged.tif");
        Files.write(damaged, new byte[] {'I', 'I', 42, 0, (byte) 0xF0, 0, 0, 0});
        InvalidInputException bad = assertThrows(InvalidInputException.class, () -> files().raster(uri(damaged)));
        assertTrue(bad.getMessage().startsWith(uri(damaged) + ": TIFF directory"), bad.getMessage());
    }
}
