package io.rrsis4j.io.raster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Satellite products as GDAL writes them (src/test/scripts/make_satellite_fixtures.sh): band descriptions, colour
 * interpretation, scale, offset and nodata read as GDAL reads them; red, green and blue found without --bands; the
 * stretch taken from the data, not the nodata; no-data pixels exactly where GDAL's mask bands say.
 */
class SatelliteBandsTest {

    static final Path DIR = Path.of("src/test/resources/geotiff/satellite");

    /** The bands (1-based) each fixture's script made red, green and blue; null: nothing names them. */
    static final Map<String, int[]> TRUE_COLOUR = Map.of(
            "sentinel2_l2a_12band.tif", new int[] {4, 3, 2},
            "sentinel2_wavelengths.tif", new int[] {3, 2, 1},
            "landsat_c2_sr_7band.tif", new int[] {4, 3, 2},
            "float32_reflectance_nan.tif", new int[] {3, 2, 1},
            "float32_rgb_nodata.tif", new int[] {1, 2, 3},
            "uint12_rgb_nbits.tif", new int[] {1, 2, 3},
            "degrees_bgrn_colorinterp.tif", new int[] {3, 2, 1},
            "unnamed_5band.tif", new int[] {1, 2, 3});

    static JsonNode expected() throws IOException {
        return new ObjectMapper().readTree(DIR.resolve("expected.json").toFile());
    }

    @Test
    void bandMetadataReadsAsGdalReadsIt() throws IOException {
        JsonNode expected = expected();
        assertEquals(TRUE_COLOUR.keySet(), new java.util.HashSet<>((java.util.Collection<String>) iterable(expected.fieldNames())));
        for (String name : TRUE_COLOUR.keySet()) {
            JsonNode e = expected.get(name);
            GeoRaster r = GeoRaster.open(DIR.resolve(name));
            assertEquals(e.get("bands").asInt(), r.bands(), name);
            for (int b = 0; b < r.bands(); b++) {
                assertEquals(e.get("descriptions").get(b).asText(), r.bandDescription(b), name + " band " + (b + 1));
                String gdal = e.get("colorinterp").get(b).asText();
                if (gdal.equals("Red") || gdal.equals("Green") || gdal.equals("Blue") || gdal.equals("Alpha")) {
                    assertEquals(gdal, r.colourInterpretation(b), name + " band " + (b + 1));
                }
                JsonNode scale = e.get("scale").get(b);
                assertEquals(scale.isNull() ? 1 : scale.asDouble(), r.scale(b), 1e-12, name);
                JsonNode offset = e.get("offset").get(b);
                assertEquals(offset.isNull() ? 0 : offset.asDouble(), r.offset(b), 1e-12, name);
            }
            JsonNode nodata = e.get("nodata");
            assertEquals(nodata.isNull() ? Double.NaN : nodata.asDouble(), r.noData(), name);
        }
    }

    @Test
    void redGreenAndBlueAreFoundWithoutBandsAndTheChoiceIsSaid() {
        TRUE_COLOUR.forEach((name, bands) -> {
            DisplayBands view = DisplayBands.of(GeoRaster.open(DIR.resolve(name)), null);
            int[] chosen = view.settings().bandIndices();
            assertArrayEquals(new int[] {bands[0] - 1, bands[1] - 1, bands[2] - 1}, chosen, name + ": " + view.choice());
            assertTrue(view.choice().startsWith("bands " + bands[0] + "," + bands[1] + "," + bands[2]), view.choice());
        });
        assertTrue(DisplayBands.of(GeoRaster.open(DIR.resolve("unnamed_5band.tif")), null).choice()
                .contains("nothing in the file names the colours (choose others with --bands)"));
        assertTrue(DisplayBands.of(GeoRaster.open(DIR.resolve("sentinel2_l2a_12band.tif")), null).choice()
                .contains("Sentinel-2 B4, B3, B2"));
    }

    @Test
    void stretchComesFromTheDataNotTheNodata() {
        DisplayBands s2 = DisplayBands.of(GeoRaster.open(DIR.resolve("sentinel2_l2a_12band.tif")), null);
        for (int c = 0; c < 3; c++) {
            // DN = 10000 * reflectance + 1000 over data; 0 (a fifth of the scene) is nodata
            assertTrue(s2.stretch(c)[0] > 1000 && s2.stretch(c)[1] < 6000, "channel " + c + ": "
                    + java.util.Arrays.toString(s2.stretch(c)));
        }
        DisplayBands nan = DisplayBands.of(GeoRaster.open(DIR.resolve("float32_reflectance_nan.tif")), null);
        assertTrue(nan.stretch(0)[0] > 0.03 && nan.stretch(0)[1] < 0.5, java.util.Arrays.toString(nan.stretch(0)));
        DisplayBands twelveBit = DisplayBands.of(GeoRaster.open(DIR.resolve("uint12_rgb_nbits.tif")), null);
        assertTrue(twelveBit.stretch(0)[1] <= 4095 && twelveBit.stretch(0)[0] > 0);
    }

    @Test
    void noDataIsWhereGdalsMaskBandsSayForTheBandsShown() throws IOException {
        JsonNode expected = expected();
        for (String name : TRUE_COLOUR.keySet()) {
            GeoRaster r = GeoRaster.open(DIR.resolve(name));
            DisplayBands view = DisplayBands.of(r, null);
            byte[] masks = gunzip(DIR.resolve(expected.get(name).get("masks").asText()));
            int pixels = r.width() * r.height();
            boolean[] noData = view.noData(0, 0, r.width(), r.height());
            int missing = 0;
            for (int p = 0; p < pixels; p++) {
                boolean gdalNoData = false;
                for (int b : view.settings().bandIndices()) {
                    gdalNoData |= masks[b * pixels + p] == 0;
                }
                missing += gdalNoData ? 1 : 0;
                assertEquals(gdalNoData, noData != null && noData[p], name + " pixel " + p);
            }
            assertEquals(name.equals("unnamed_5band.tif"), missing == 0, name + ": " + missing + " no-data pixels");
        }
    }

    @Test
    void gdalMetadataThatIsNotPlainXmlIsIgnoredNeverResolved() {
        String entity = "<?xml version=\"1.0\"?><!DOCTYPE m [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<GDALMetadata><Item name=\"DESCRIPTION\" sample=\"0\" role=\"description\">&x;</Item>"
                + "</GDALMetadata>";
        assertEquals(null, GdalMetadata.parse(entity).band(0, "description"));
        assertEquals(null, GdalMetadata.parse("<GDALMetadata><Item sample=\"x\">B4</Item>").band(0, "description"));
        GdalMetadata ok = GdalMetadata.parse("<GDALMetadata>\n  <Item name=\"SCALE\" sample=\"2\" role=\"scale\">"
                + "0.0001</Item>\n  <Item name=\"OFFSET\" sample=\"2\" role=\"offset\">oops</Item>\n</GDALMetadata>\0");
        assertEquals(0.0001, ok.number(2, "scale", 1), 1e-15);
        assertEquals(0, ok.number(2, "offset", 0));
    }

    private static byte[] gunzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return in.readAllBytes();
        }
    }

    private static <T> Iterable<T> iterable(java.util.Iterator<T> it) {
        java.util.List<T> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
