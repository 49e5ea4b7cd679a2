package io.rrsis4j.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rrsis4j.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GeoJSON of scenes in EPSG and custom CRSs (src/test/scripts/make_crs_fixtures.sh): every vertex of the red
 * rectangle's polygon in the written file is where GDAL's gdaltransform puts that pixel corner in WGS 84, to 1e-7
 * degrees; a CRS without an EPSG code is
 * never written natively, and what cannot be written right is refused in one line naming the option.
 */
class GeoJsonCrsSceneTest {

    private static final Path DIR = Path.of("src/test/resources/geotiff/crs");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private SceneSegmentation.Result segment(String fixture, GeoJsonCrs crs) {
        SceneOptions options = SceneOptions.defaults(dir.resolve(fixture + ".mask.tif"),
                dir.resolve(fixture + ".geojson")).withProgress(false).withTiling(32, 0).withGeojsonCrs(crs);
        return SceneSegmentation.run(new ColourSegmenter(), DIR.resolve(fixture), "the red roof", options);
    }

    private JsonNode geojson(String fixture) throws IOException {
        return JSON.readTree(dir.resolve(fixture + ".geojson").toFile());
    }

    @Test
    void outlineVerticesLandWhereGdalPutsThemInWgs84() throws IOException {
        JsonNode expected = JSON.readTree(DIR.resolve("wgs84.json").toFile());
        List<String> failed = new ArrayList<>();
        int checked = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> fixture = it.next();
            String name = fixture.getKey();
            boolean custom = name.startsWith("custom_");
            SceneSegmentation.Result result = segment(name, custom ? null : GeoJsonCrs.WGS84);
            assertTrue(result.geojsonCoordinates().startsWith("WGS 84 longitude, latitude"), name + ": "
                    + result.geojsonCoordinates());
            JsonNode json = geojson(name);
            assertFalse(json.has("crs"), name + ": RFC 7946 output has no crs member");
            assertEquals(1, json.get("features").size(), name);
            JsonNode ring = json.at("/features/0/geometry/coordinates/0");
            assertTrue(ring.size() >= 5, name + ": the rectangle's outline: " + ring);
            for (JsonNode corner : ring) {
                double best = Double.MAX_VALUE;
                for (JsonNode p : fixture.getValue().get("points")) {
                    double col = p.get("col").asDouble();
                    double row = p.get("row").asDouble();
                    if ((col == 8 || col == 24) && row >= 6 && row <= 20 || (row == 6 || row == 20) && col >= 8
                            && col <= 24) { // a pixel corner on the rectangle's outline
                        best = Math.min(best, Math.max(Math.abs(corner.get(0).asDouble() - p.get("lon").asDouble()),
                                Math.abs(corner.get(1).asDouble() - p.get("lat").asDouble())));
                    }
                }
                if (!(best <= 1e-7)) {
                    failed.add(name + ": vertex " + corner + " is " + best + " degrees from GDAL's nearest outline point");
                }
            }
            checked++;
        }
        assertTrue(failed.isEmpty(), String.join("\n", failed));
        assertTrue(checked >= 15, "fixtures: " + checked);
    }

    @Test
    void epsgScenesStayNativeByDefaultWithTheirCode() throws IOException {
        SceneSegmentation.Result result = segment("epsg_lambert93.tif", null);
        JsonNode json = geojson("epsg_lambert93.tif");
        assertEquals("urn:ogc:def:crs:EPSG::2154", json.at("/crs/properties/name").asText());
        assertTrue(json.at("/features/0/geometry/coordinates/0/0/0").asDouble() > 650000);
        assertEquals("EPSG:2154, the scene's CRS", result.geojsonCoordinates());
        segment("epsg_wgs84_degrees.tif", GeoJsonCrs.NATIVE);
        assertEquals("urn:ogc:def:crs:OGC:1.3:CRS84", geojson("epsg_wgs84_degrees.tif").at("/crs/properties/name")
                .asText());
    }

    @Test
    void whatCannotBeWrittenRightIsRefusedBeforeTheTilesRun() {
        InvalidInputException nativeCustom = assertThrows(InvalidInputException.class,
                () -> segment("custom_albers.tif", GeoJsonCrs.NATIVE));
        assertTrue(nativeCustom.getMessage().contains("--geojson-crs native: the scene's CRS has no EPSG code"),
                nativeCustom.getMessage());
        InvalidInputException local = assertThrows(InvalidInputException.class,
                () -> segment("refused_local_grid.tif", null));
        assertTrue(local.getMessage().contains("refused_local_grid.tif: --geojson: cannot reproject to WGS 84: its"
                + " CRS 'site grid' is a local (engineering) grid"), local.getMessage());
        InvalidInputException omerc = assertThrows(InvalidInputException.class,
                () -> segment("refused_oblique_mercator.tif", GeoJsonCrs.WGS84));
        assertTrue(omerc.getMessage().contains("--geojson-crs wgs84: cannot reproject to WGS 84: its projection"
                + " method (ProjCoordTransGeoKey 9815"), omerc.getMessage());
        for (String fixture : new String[] {"custom_albers.tif", "refused_local_grid.tif", "refused_oblique_mercator.tif"}) {
            assertFalse(Files.exists(dir.resolve(fixture + ".mask.tif")), fixture + ": no output written");
            assertFalse(Files.exists(dir.resolve(fixture + ".geojson")), fixture);
        }
        assertThrows(InvalidInputException.class, () -> GeoJsonCrs.parse("utm"));
    }

    @Test
    void aSceneWithoutGeoreferencingKeepsPixelCoordinatesButRefusesWgs84() {
        Path png = Path.of("src/test/resources/geotiff/scene.png");
        SceneOptions options = SceneOptions.defaults(dir.resolve("png.mask.tif"), dir.resolve("png.geojson"))
                .withProgress(false).withTiling(64, 16);
        assertEquals("pixel coordinates (the scene is not georeferenced)",
                SceneSegmentation.run(new ColourSegmenter(), png, "red", options).geojsonCoordinates());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SceneSegmentation.run(
                new ColourSegmenter(), png, "red", options.withGeojsonCrs(GeoJsonCrs.WGS84)));
        assertTrue(e.getMessage().contains("--geojson-crs wgs84: the scene has no georeferencing"), e.getMessage());
    }
}
