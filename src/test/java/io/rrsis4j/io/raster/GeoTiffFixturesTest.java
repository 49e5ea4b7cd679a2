package io.rrsis4j.io.raster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rrsis4j.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every GDAL-written layout of src/test/scripts/make_gdal_fixtures.sh is read as GDAL reads it: size, bands, pixels
 * (exactly, or within a few levels for JPEG, whose libjpeg builds round differently), geotransform and EPSG code;
 * the compressions we do not read fail with one line naming the compression. To check other GDAL files, point
 * -Dgeotiff.fixtures at a folder made like the script's output (expected.json and the pixel dumps).
 */
class GeoTiffFixturesTest {

    static final Path DIR = Path.of(System.getProperty("geotiff.fixtures", "src/test/resources/geotiff"));
    /** Largest difference from GDAL's decoding of a JPEG-compressed sample (levels of 255). */
    static final int JPEG_TOLERANCE = 6;

    static JsonNode expected() throws IOException {
        return new ObjectMapper().readTree(DIR.resolve("expected.json").toFile());
    }

    @TestFactory
    List<DynamicTest> everyLayoutReadsAsGdalReadsIt() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : expected().properties()) {
            String name = e.getKey();
            JsonNode want = e.getValue();
            tests.add(DynamicTest.dynamicTest(name, () -> {
                if (name.startsWith("refused_")) {
                    InvalidInputException error = assertThrows(InvalidInputException.class,
                            () -> GeoRaster.open(DIR.resolve(name)).readSamples(0, 0, 1, 1, new int[] {0}));
                    assertFalse(error.getMessage().contains("\n"));
                    String compression = want.get("compression").asText();
                    assertTrue(error.getMessage().toUpperCase().contains(compression), error.getMessage());
                    return;
                }
                checkAgainstGdal(name, want);
            }));
        }
        return tests;
    }

    private static void checkAgainstGdal(String name, JsonNode want) throws IOException {
        GeoRaster raster = GeoRaster.open(DIR.resolve(name));
        int w = want.get("width").asInt();
        int h = want.get("height").asInt();
        assertEquals(w, raster.width());
        assertEquals(h, raster.height());
        assertEquals(want.get("bands").asInt(), raster.bands());
        double[] gt = new double[6];
        for (int i = 0; i < 6; i++) {
            gt[i] = want.get("geotransform").get(i).asDouble();
        }
        assertArrayEquals(gt, raster.geo().geoTransform(), 1e-9, "geotransform");
        if (want.get("epsg").isNull()) {
            assertTrue(raster.geo().epsg().isEmpty(), "no EPSG code: " + raster.geo().epsg());
            assertTrue(raster.geo().hasCrs(), "a CRS without EPSG code is still a CRS");
            java.util.regex.Matcher root = java.util.regex.Pattern.compile("^\\w+\\[\"([^\"]*)\"")
                    .matcher(want.get("wkt").asText());
            assertTrue(root.find());
            assertEquals(root.group(1), raster.geo().crsCitation().orElse(null), "the CRS's name in GDAL's WKT");
        } else {
            assertEquals(want.get("epsg").asInt(), raster.geo().epsg().orElse(-1), "EPSG code");
        }
        JsonNode noData = want.get("nodata");
        assertEquals(noData.isNull() ? Double.NaN : noData.asDouble(), raster.noData(), 0.0, "nodata value");
        float[][] ours = raster.readSamples(0, 0, w, h, IntStream.range(0, raster.bands()).toArray());
        float[][] gdal = pixels(want.get("pixels").asText(), want.get("dtype").asText(), raster.bands(), w * h);
        boolean lossy = want.get("lossy").asBoolean();
        double worst = 0;
        for (int b = 0; b < gdal.length; b++) {
            for (int p = 0; p < w * h; p++) {
                worst = Math.max(worst, Math.abs(ours[b][p] - gdal[b][p]));
                if (!lossy && Float.compare(ours[b][p], gdal[b][p]) != 0) {
                    throw new AssertionError(name + ": band " + (b + 1) + " pixel (" + p % w + ", " + p / w + ") is "
                            + ours[b][p] + ", GDAL reads " + gdal[b][p]);
                }
            }
        }
        assertTrue(worst <= JPEG_TOLERANCE, name + ": largest difference from GDAL " + worst);
        // a window in the middle gives the same samples as the whole read
        float[][] window = raster.readSamples(37, 21, 40, 33, new int[] {raster.bands() - 1});
        for (int y = 0; y < 33; y++) {
            for (int x = 0; x < 40; x++) {
                assertEquals(ours[raster.bands() - 1][(21 + y) * w + 37 + x], window[0][y * 40 + x], 0.0);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void nodataIsLeftOutOfTheStretchAndShownBlack() {
        GeoRaster raster = GeoRaster.open(DIR.resolve("float32_nodata.tif"));
        DisplayBands view = DisplayBands.of(raster, null);
        // valid samples run from 120 (x = 40) to 167.5 (x = 95, y = 79); nodata -9999 fills x < 40
        double[] limits = view.stretch(0);
        assertTrue(limits[0] > 120 && limits[0] < 125, "low limit " + limits[0]);
        assertTrue(limits[1] > 160 && limits[1] < 167.5, "high limit " + limits[1]);
        java.awt.image.BufferedImage rgb = view.readRgb(0, 0, 96, 80);
        assertEquals(0, rgb.getRGB(10, 40) & 0xFF);
        assertEquals(0, rgb.getRGB(40, 0) & 0xFF);
        assertEquals(255, rgb.getRGB(95, 79) & 0xFF);
        assertTrue((rgb.getRGB(70, 40) & 0xFF) > 100 && (rgb.getRGB(70, 40) & 0xFF) < 180);
    }

    /** GDAL's band-sequential little-endian dump, as floats. */
    static float[][] pixels(String file, String dtype, int bands, int pixels) throws IOException {
        byte[] raw;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(DIR.resolve(file)))) {
            raw = in.readAllBytes();
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        float[][] out = new float[bands][pixels];
        for (int band = 0; band < bands; band++) {
            for (int p = 0; p < pixels; p++) {
                out[band][p] = switch (dtype) {
                    case "uint8" -> b.get() & 0xFF;
                    case "int8" -> b.get();
                    case "uint16" -> b.getShort() & 0xFFFF;
                    case "int16" -> b.getShort();
                    case "uint32" -> b.getInt() & 0xFFFFFFFFL;
                    case "int32" -> b.getInt();
                    case "float32" -> b.getFloat();
                    case "float64" -> (float) b.getDouble();
                    default -> throw new IllegalArgumentException(dtype);
                };
            }
        }
        return out;
    }
}
