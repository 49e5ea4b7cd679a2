package io.rrsis4j.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rrsis4j.io.raster.GeoRaster;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Point;

/**
 * Scene segmentation of GDAL-written GeoTIFFs (src/test/scripts/make_gdal_fixtures.sh): the red disc of the
 * synthetic scene (centre pixel 62.5, 30.5 of 96 x 80, radius 14, EPSG:32633 at 0.5 m from 500000, 5400000) is found
 * in the right place, the mask carries the scene's GeoTIFF tags unchanged, and the GeoJSON names the scene's CRS and
 * no other (or is in WGS 84 when that CRS has no EPSG code).
 */
class GeoTiffSceneTest {

    static final Path FIXTURES = Path.of("src/test/resources/geotiff");

    @TempDir
    Path dir;

    private SceneSegmentation.Result segment(String fixture, String sentence) {
        SceneOptions options = SceneOptions.defaults(dir.resolve(fixture + ".mask.tif"), dir.resolve(fixture + ".geojson"))
                .withProgress(false).withTiling(64, 16);
        return SceneSegmentation.run(new ColourSegmenter(), FIXTURES.resolve(fixture), sentence, options);
    }

    private int[] mask(String fixture) {
        GeoRaster mask = GeoRaster.open(dir.resolve(fixture + ".mask.tif"));
        return mask.readWindow(0, 0, mask.width(), mask.height(), new int[] {0})[0];
    }

    private JsonNode geojson(String fixture) throws Exception {
        return new ObjectMapper().readTree(dir.resolve(fixture + ".geojson").toFile());
    }

    @Test
    void paletteSceneIsSegmentedOnItsColoursNotItsIndices() {
        segment("palette.tif", "the red disc");
        segment("palette_as_rgb.tif", "the red disc");
        segment("strip_none.tif", "the red disc");
        int[] palette = mask("palette.tif");
        assertArrayEquals(mask("palette_as_rgb.tif"), palette, "same mask as GDAL's RGB expansion of the palette");
        int[] rgb = mask("strip_none.tif");
        int differ = 0;
        int on = 0;
        for (int p = 0; p < rgb.length; p++) {
            differ += rgb[p] != palette[p] ? 1 : 0;
            on += rgb[p] == 255 ? 1 : 0;
        }
        assertTrue(on > 550 && on < 680, "the disc of about 615 pixels: " + on);
        assertTrue(differ <= 10, "64-colour palette and RGB masks differ in " + differ + " pixels");
    }

    @Test
    void bigTiffMaskAndGeoJsonKeepTheScenesGeoreferencing() throws Exception {
        for (String fixture : new String[] {"bigtiff_strip_none.tif", "bigtiff_tiled_zstd.tif", "tiled_jpeg_ycbcr.tif",
                "cog_jpeg.tif"}) {
            SceneSegmentation.Result result = segment(fixture, "red");
            assertEquals(1, result.regions().size(), fixture);
            GeoRaster scene = GeoRaster.open(FIXTURES.resolve(fixture));
            GeoRaster mask = GeoRaster.open(dir.resolve(fixture + ".mask.tif"));
            assertEquals(scene.geo(), mask.geo(), fixture + ": GeoTIFF tags copied unchanged");
            Point centre = result.mapPolygons().get(0).getCentroid();
            assertEquals(500000 + 62.5 * 0.5, centre.getX(), 0.3, fixture);
            assertEquals(5400000 - 30.5 * 0.5, centre.getY(), 0.3, fixture);
            JsonNode json = geojson(fixture);
            assertEquals("urn:ogc:def:crs:EPSG::32633", json.at("/crs/properties/name").asText(), fixture);
            assertTrue(json.at("/features/0/geometry/coordinates/0/0/0").asDouble() > 500000, fixture);
        }
    }

    @Test
    void crsWithoutEpsgCodeIsReprojectedOrRefusedNeverWrittenAsIs() throws Exception {
        SceneSegmentation.Result result = segment("custom_tm.tif", "red");
        GeoRaster scene = GeoRaster.open(FIXTURES.resolve("custom_tm.tif"));
        assertEquals(scene.geo(), GeoRaster.open(dir.resolve("custom_tm.tif.mask.tif")).geo(),
                "GeoKeys, GeoDoubleParams and GeoAsciiParams copied unchanged");
        assertEquals(500000 + 62.5 * 0.5, result.mapPolygons().get(0).getCentroid().getX(), 0.3);
        JsonNode json = geojson("custom_tm.tif");
        assertFalse(json.has("crs"), "WGS 84 (RFC 7946) has no crs member: " + json.get("crs"));
        double lon = json.at("/features/0/geometry/coordinates/0/0/0").asDouble();
        double lat = json.at("/features/0/geometry/coordinates/0/0/1").asDouble();
        // gdaltransform -t_srs EPSG:4326 custom_tm.tif puts pixel (62.5, 30.5) at 21.984, 61.384
        assertEquals(21.984, lon, 0.01);
        assertEquals(61.384, lat, 0.01);
        io.rrsis4j.InvalidInputException local = org.junit.jupiter.api.Assertions.assertThrows(
                io.rrsis4j.InvalidInputException.class, () -> segment("local_cs.tif", "red"));
        assertTrue(local.getMessage().contains("'site grid' is a local (engineering) grid"), local.getMessage());
        segment("epsg4326.tif", "red");
        JsonNode wgs84 = geojson("epsg4326.tif");
        assertEquals("urn:ogc:def:crs:OGC:1.3:CRS84", wgs84.at("/crs/properties/name").asText());
        double degrees = wgs84.at("/features/0/geometry/coordinates/0/0/0").asDouble();
        assertTrue(degrees > 16.2 && degrees < 16.21, "longitude first: " + degrees);
    }

    @Test
    void pixelIsPointAndRotatedTransformsPlaceTheDiscLikeGdal() {
        SceneSegmentation.Result point = segment("pixel_is_point.tif", "red");
        assertEquals(500000 + 62.5 * 0.5, point.mapPolygons().get(0).getCentroid().getX(), 0.3);
        SceneSegmentation.Result rotated = segment("rotated.tif", "red");
        Point c = rotated.mapPolygons().get(0).getCentroid();
        // GDAL's geotransform (500000, 0.45, 0.1, 5400000, 0.12, -0.5) applied to the disc's centre pixel
        assertEquals(500000 + 62.5 * 0.45 + 30.5 * 0.1, c.getX(), 0.3);
        assertEquals(5400000 + 62.5 * 0.12 - 30.5 * 0.5, c.getY(), 0.3);
    }
}
