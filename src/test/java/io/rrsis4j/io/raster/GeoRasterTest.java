package io.rrsis4j.io.raster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rrsis4j.InvalidInputException;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeoRasterTest {

    @TempDir
    Path dir;

    @Test
    void sixteenBitFourBandWindowsAndBandSelection() {
        Path file = dir.resolve("scene16.tif");
        int w = 300;
        int h = 200;
        GeoReferencing geo = GeoReferencing.northUp(32633, 400000, 5000000, 2.0);
        try (StripTiffWriter writer = new StripTiffWriter(file, w, h, 4, 16, geo)) {
            short[] row = new short[w * 4];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int b = 0; b < 4; b++) {
                        row[4 * x + b] = (short) (1000 * (b + 1) + x + 3 * y);
                    }
                }
                writer.writeRow(row);
            }
        }
        GeoRaster r = GeoRaster.open(file);
        assertEquals(w, r.width());
        assertEquals(h, r.height());
        assertEquals(4, r.bands());
        assertEquals(16, r.bitsPerSample());
        int[][] win = r.readWindow(250, 150, 10, 5, new int[] {2, 0});
        assertEquals(3000 + 252 + 3 * 151, win[0][1 * 10 + 2]);
        assertEquals(1000 + 259 + 3 * 154, win[1][4 * 10 + 9]);
        assertEquals(32633, r.geo().epsg().getAsInt());
        assertArrayEquals(new double[] {400000, 2, 0, 5000000, 0, -2}, r.geo().geoTransform(), 1e-9);

        // --bands 3,2,1 with one 2-98 % stretch over the three bands (1000 + x + 3y, 2000 + ..., 3000 + ...; about
        // 1000..3900 together), so that their balance is kept
        DisplayBands view = DisplayBands.of(r, DisplayBands.parse("3,2,1"));
        double[] s0 = view.stretch(0);
        assertTrue(s0[0] > 1050 && s0[0] < 1250, "low limit " + s0[0]);
        assertTrue(s0[1] > 3700 && s0[1] < 3900, "high limit " + s0[1]);
        assertArrayEquals(s0, view.stretch(2), 1e-9, "the same limits for every channel");
        BufferedImage rgb = view.readRgb(0, 0, w, h);
        int corner = rgb.getRGB(0, 0);
        int red = (corner >> 16) & 0xFF;
        int green = (corner >> 8) & 0xFF;
        assertTrue(red > 160 && red < 200 && green > 65 && green < 105 && (corner & 0xFF) == 0,
                "band 3 > band 2 > band 1 at the first pixel: " + Integer.toHexString(corner));
        assertEquals(255, (rgb.getRGB(w - 1, h - 1) >> 16) & 0xFF);
        assertThrows(InvalidInputException.class, () -> DisplayBands.of(r, new int[] {5, 2, 1}));
    }

    @Test
    void geoTagsRoundTripUnchanged() throws Exception {
        GeoReferencing source = new GeoReferencing(null, null,
                List.of(0.5, 0.1, 0.0, 300000.0, 0.2, -0.5, 0.0, 4000000.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0),
                List.of(1, 1, 0, 4, 1024, 0, 1, 1, 1025, 0, 1, 2, 3072, 0, 1, 32633, 3076, 34736, 1, 0),
                List.of(1.0), "WGS 84 / UTM zone 33N|");
        Path file = dir.resolve("rotated.tif");
        try (StripTiffWriter writer = new StripTiffWriter(file, 8, 4, 1, 8, source)) {
            for (int y = 0; y < 4; y++) {
                writer.writeRow(new byte[] {0, 1, 2, 3, 4, 5, 6, (byte) y});
            }
        }
        GeoRaster r = GeoRaster.open(file);
        GeoReferencing read = r.geo();
        assertEquals(source.modelTransformation(), read.modelTransformation());
        assertEquals(source.geoKeyDirectory(), read.geoKeyDirectory());
        assertEquals(source.geoDoubleParams(), read.geoDoubleParams());
        assertTrue(read.geoAsciiParams().startsWith("WGS 84 / UTM zone 33N"));
        assertTrue(read.pixelIsPoint());
        // PixelIsPoint: origin moved half a pixel up-left, as GDAL does
        assertArrayEquals(new double[] {300000 - 0.5 * 0.6, 0.5, 0.1, 4000000 - 0.5 * -0.3, 0.2, -0.5},
                read.geoTransform(), 1e-9);
        assertEquals(3, r.readWindow(7, 3, 1, 1, new int[] {0})[0][0]);
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file left beside the output");
        }
    }

    @Test
    void bigTiffMaskKeepsTheGeoKeysOfACustomCrs() {
        GeoReferencing custom = GeoRaster.open(Path.of("src/test/resources/geotiff/custom_tm.tif")).geo();
        Path file = dir.resolve("big-mask.tif");
        try (StripTiffWriter writer = new StripTiffWriter(file, 300, 70_000, 1, 8, custom, true)) {
            byte[] row = new byte[300];
            for (int y = 0; y < 70_000; y++) {
                row[y % 300] = (byte) 255;
                writer.writeRow(row);
                row[y % 300] = 0;
            }
        }
        GeoRaster r = GeoRaster.open(file);
        assertEquals(custom, r.geo());
        assertEquals(70_000, r.height());
        assertEquals(255, r.readWindow(69_999 % 300, 69_999, 1, 1, new int[] {0})[0][0]);
        assertEquals(0, r.readWindow(0, 69_999, 1, 1, new int[] {0})[0][0]);
    }

    @Test
    void plainPngHasNoGeoreferencing() throws Exception {
        BufferedImage img = new BufferedImage(20, 10, BufferedImage.TYPE_INT_RGB);
        img.setRGB(5, 3, 0xFF102030);
        Path file = dir.resolve("plain.png");
        ImageIO.write(img, "png", file.toFile());
        GeoRaster r = GeoRaster.open(file);
        assertFalse(r.geo().isGeoreferenced());
        assertTrue(r.geo().epsg().isEmpty());
        assertArrayEquals(new double[] {0, 1, 0, 0, 0, 1}, r.geo().geoTransform());
        assertEquals(0x10, r.readWindow(5, 3, 1, 1, new int[] {0})[0][0]);
        assertThrows(InvalidInputException.class, () -> GeoRaster.open(dir.resolve("missing.tif")));
    }

    @Test
    void deflateTiffWrittenByMilNga() throws Exception {
        int w = 64;
        int h = 40;
        mil.nga.tiff.Rasters rasters = new mil.nga.tiff.Rasters(w, h, 3, mil.nga.tiff.FieldType.BYTE);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                rasters.setPixelSample(0, x, y, (short) x);
                rasters.setPixelSample(1, x, y, (short) y);
                rasters.setPixelSample(2, x, y, (short) 7);
            }
        }
        mil.nga.tiff.FileDirectory d = new mil.nga.tiff.FileDirectory();
        d.setImageWidth(w);
        d.setImageHeight(h);
        d.setBitsPerSample(java.util.List.of(8, 8, 8));
        d.setCompression(8); // deflate: not readable by the direct strip path
        d.setPhotometricInterpretation(2);
        d.setSamplesPerPixel(3);
        d.setRowsPerStrip(rasters.calculateRowsPerStrip(1));
        d.setPlanarConfiguration(1);
        d.setSampleFormat(1);
        d.setModelPixelScale(List.of(10.0, 10.0, 0.0));
        d.setModelTiepoint(List.of(0.0, 0.0, 0.0, 600000.0, 100000.0, 0.0));
        d.setUnsignedIntegerListEntryValue(mil.nga.tiff.FieldTagType.GeoKeyDirectory,
                List.of(1, 1, 0, 2, 1024, 0, 1, 1, 3072, 0, 1, 32631));
        d.setWriteRasters(rasters);
        Path file = dir.resolve("deflate.tif");
        mil.nga.tiff.TiffWriter.writeTiff(file.toFile(), new mil.nga.tiff.TIFFImage(d));
        GeoRaster r = GeoRaster.open(file);
        assertEquals(32631, r.geo().epsg().getAsInt());
        assertArrayEquals(new double[] {600000, 10, 0, 100000, 0, -10}, r.geo().geoTransform(), 1e-9);
        int[][] win = r.readWindow(30, 20, 5, 4, new int[] {0, 1});
        assertEquals(33, win[0][3]);
        assertEquals(23, win[1][3 * 5 + 1]);
    }
}
