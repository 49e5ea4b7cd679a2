package io.rrsis4j.io.raster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pixel corners of GeoTIFFs in EPSG and user-defined CRSs, reprojected to WGS 84, against GDAL's gdaltransform
 * (src/test/scripts/make_crs_fixtures.sh wrote the files and wgs84.json).
 */
class Wgs84ReprojectionTest {

    private static final Path DIR = Path.of("src/test/resources/geotiff/crs");
    private static final double DEGREES = 1e-7;

    @Test
    void everyFixtureMatchesGdalTo1e7Degrees() throws IOException {
        JsonNode expected = new ObjectMapper().readTree(DIR.resolve("wgs84.json").toFile());
        List<String> checked = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> fixture = it.next();
            GeoRaster raster = GeoRaster.open(DIR.resolve(fixture.getKey()));
            Wgs84Reprojection wgs84 = Wgs84Reprojection.of(raster.geo());
            double worst = 0;
            for (JsonNode p : fixture.getValue().get("points")) {
                double[] map = raster.geo().toMap(p.get("col").asDouble(), p.get("row").asDouble());
                double[] lonLat = wgs84.lonLat(map[0], map[1]);
                worst = Math.max(worst, Math.max(Math.abs(lonLat[0] - p.get("lon").asDouble()),
                        Math.abs(lonLat[1] - p.get("lat").asDouble())));
            }
            checked.add(fixture.getKey());
            if (!(worst <= DEGREES)) {
                failed.add(fixture.getKey() + ": " + worst + " degrees from GDAL with " + wgs84.sourceDefinition()
                        + " (GDAL: " + fixture.getValue().get("proj4").asText() + ")");
            }
        }
        assertTrue(failed.isEmpty(), String.join("\n", failed));
        assertTrue(checked.size() >= 15, "fixtures checked: " + checked);
    }

    @Test
    void epsgCodesAreUsedAsSuch() {
        assertEquals("EPSG:2154", GeoTiffCrs.definition(GeoRaster.open(DIR.resolve("epsg_lambert93.tif")).geo()));
        assertTrue(GeoTiffCrs.definition(GeoRaster.open(DIR.resolve("custom_lcc_1sp_us_feet.tif")).geo())
                .contains("+to_meter=0.3048006096"));
    }

    @Test
    void crsWithoutAGeodeticDefinitionSaysWhyInOneLine() {
        GeoTiffCrs.Unavailable local = assertThrows(GeoTiffCrs.Unavailable.class,
                () -> Wgs84Reprojection.of(GeoRaster.open(DIR.resolve("refused_local_grid.tif")).geo()));
        assertTrue(local.getMessage().contains("'site grid' is a local (engineering) grid"), local.getMessage());
        GeoTiffCrs.Unavailable omerc = assertThrows(GeoTiffCrs.Unavailable.class,
                () -> Wgs84Reprojection.of(GeoRaster.open(DIR.resolve("refused_oblique_mercator.tif")).geo()));
        assertTrue(omerc.getMessage().contains("ProjCoordTransGeoKey 9815, Hotine oblique Mercator (B)"),
                omerc.getMessage());
        GeoTiffCrs.Unavailable eqc = assertThrows(GeoTiffCrs.Unavailable.class, () -> Wgs84Reprojection.of(
                GeoRaster.open(DIR.resolve("refused_equirectangular_true_scale.tif")).geo()));
        assertTrue(eqc.getMessage().contains("true-scale latitude other than the equator (30.0)"), eqc.getMessage());
        assertThrows(GeoTiffCrs.Unavailable.class, () -> Wgs84Reprojection.of(GeoReferencing.none()));
    }
}
