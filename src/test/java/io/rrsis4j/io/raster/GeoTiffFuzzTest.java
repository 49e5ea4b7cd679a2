package io.rrsis4j.io.raster;

import io.rrsis4j.io.ByteMutations;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mutated bytes of GDAL-written GeoTIFFs (one per reading path: uncompressed BigTIFF rows, Deflate tiles with a
 * predictor, LZW strips, ZSTD tiles, JPEG YCbCr tiles, palette, planar 16-bit, float with the floating-point
 * predictor) give either samples or the one-line input error, never another exception, a hang or a huge allocation.
 */
class GeoTiffFuzzTest {

    static final String[] FIXTURES = {"bigtiff_strip_none.tif", "tiled_deflate_predictor.tif", "strip_lzw.tif",
        "bigtiff_tiled_zstd.tif", "tiled_jpeg_ycbcr.tif", "palette.tif", "uint16_4band_planar.tif",
        "float32_predictor3.tif", "strip_packbits.tif", "uint12_lzw.tif", "int32_lzw_big_endian.tif"};
    static final int CASES = 250;

    @TempDir
    Path dir;

    @Test
    void mutatedGeoTiffsGiveSamplesOrOneLineErrors() throws Exception {
        Path file = dir.resolve("mutated.tif");
        int accepted = 0;
        for (int f = 0; f < FIXTURES.length; f++) {
            byte[] valid = Files.readAllBytes(GeoTiffFixturesTest.DIR.resolve(FIXTURES[f]));
            accepted += ByteMutations.assertOnlyInputErrors(FIXTURES[f], valid, CASES, 20261201L + f, 2000, bytes -> {
                Files.write(file, bytes);
                readCorners(GeoRaster.open(file));
            });
        }
        assertTrue(accepted > CASES, "most mutations of pixel data still read: " + accepted);
    }

    /** Reads the top-left and bottom-right 64 x 64 windows of the first and last band, and the scene's stretch. */
    static void readCorners(GeoRaster raster) {
        int w = Math.min(64, raster.width());
        int h = Math.min(64, raster.height());
        int[] bands = {0, raster.bands() - 1};
        raster.readSamples(0, 0, w, h, bands);
        raster.readSamples(raster.width() - w, raster.height() - h, w, h, bands);
        if ((long) raster.width() * raster.height() <= 1 << 20) {
            DisplayBands.of(raster, null).readRgb(0, 0, w, h);
        }
    }
}
