package io.rrsis4j.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rrsis4j.bench.SyntheticGeoScene;
import io.rrsis4j.io.raster.GeoRaster;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Point;

class SceneSegmentationTest {

    @TempDir
    Path dir;

    @Test
    void fourThousandPixelSceneFindsTheRedTankInMapCoordinates() throws Exception {
        Path scene = dir.resolve("scene.tif");
        SyntheticGeoScene.Truth truth = SyntheticGeoScene.write(scene, 4000);
        Path mask = dir.resolve("out/mask.tif");
        Path geojson = dir.resolve("out/tank.geojson");
        ColourSegmenter segmenter = new ColourSegmenter();
        SceneOptions options = SceneOptions.defaults(mask, geojson).withProgress(false);
        SceneSegmentation.Result result = SceneSegmentation.run(segmenter, scene, "the red storage tank", options);

        assertEquals(100, result.tiles());
        assertEquals(100, segmenter.tiles);
        assertEquals(30, segmenter.calls, "10 tile rows of 10 tiles in batches of 4");
        // the faded-red roof (mean 0.53 < 0.8 * best) and the 4-pixel speck are dropped
        assertEquals(1, result.regions().size());
        ConnectedRegions.Region tank = result.regions().get(0);
        assertEquals(truth.pixelArea(), tank.area());

        GeoRaster in = GeoRaster.open(scene);
        GeoRaster out = GeoRaster.open(mask);
        assertEquals(1, out.bands());
        assertEquals(8, out.bitsPerSample());
        assertEquals(in.geo().epsg(), out.geo().epsg());
        assertEquals(32633, out.geo().epsg().getAsInt());
        assertEquals(in.geo().geoKeyDirectory(), out.geo().geoKeyDirectory());
        assertArrayEquals(in.geo().geoTransform(), out.geo().geoTransform(), 1e-9);
        int cx = (int) truth.centreCol();
        int cy = (int) truth.centreRow();
        int[] window = out.readWindow(cx - 50, cy, 100, 1, new int[] {0})[0];
        int on = 0;
        for (int v : window) {
            on += v == 255 ? 1 : 0;
        }
        assertEquals(81, on, "the centre row crosses the tank through 2 * 40 + 1 pixel centres");
        assertEquals(0, out.readWindow((int) (0.8 * 4000), (int) (0.8 * 4000), 1, 1, new int[] {0})[0][0]);

        JsonNode json = new ObjectMapper().readTree(geojson.toFile());
        assertEquals("urn:ogc:def:crs:EPSG::32633", json.at("/crs/properties/name").asText());
        assertEquals(1, json.get("features").size());
        JsonNode feature = json.get("features").get(0);
        assertEquals("Polygon", feature.at("/geometry/type").asText());
        double trueArea = Math.PI * 40 * 40 * 0.25;
        assertEquals(trueArea, feature.at("/properties/area").asDouble(), 0.03 * trueArea);
        assertTrue(feature.at("/properties/mean_probability").asDouble() > 0.95);

        Geometry polygon = result.mapPolygons().get(0);
        Point centroid = polygon.getCentroid();
        assertEquals(truth.mapCentreX(), centroid.getX(), 1.0, "within 2 pixels (0.5 m) east");
        assertEquals(truth.mapCentreY(), centroid.getY(), 1.0, "within 2 pixels north");
        double[] b = truth.mapBounds();
        assertTrue(truth.mapCentreX() > 500_000 + 2000 * 0.5 && truth.mapCentreY() < 5_400_000 - 1000 * 0.5);
        assertEquals(b[0], polygon.getEnvelopeInternal().getMinX(), 1.0);
        assertEquals(b[3], polygon.getEnvelopeInternal().getMaxY(), 1.0);
        JsonNode first = feature.at("/geometry/coordinates/0/0");
        assertTrue(Math.abs(first.get(0).asDouble() - truth.mapCentreX()) < 25);
    }

    @Test
    void sixteenBitSceneWithBandSelection() {
        Path scene = dir.resolve("scene16.tif");
        SyntheticGeoScene.Truth truth = SyntheticGeoScene.write(scene, 1200, 900, true);
        GeoRaster raster = GeoRaster.open(scene);
        assertEquals(4, raster.bands());
        assertEquals(16, raster.bitsPerSample());
        SceneOptions options = SceneOptions.defaults(dir.resolve("m16.tif"), null).withProgress(false)
                .withBands(new int[] {3, 2, 1}).withTiling(480, 64);
        SceneSegmentation.Result result = SceneSegmentation.run(new ColourSegmenter(), scene, "red tank", options);
        // the tank is found where it is; in natural band order (1,2,3 = blue, green, red) it would look blue
        List<Geometry> polys = result.mapPolygons();
        assertTrue(polys.stream().anyMatch(p -> p.getCentroid().distance(
                p.getFactory().createPoint(new org.locationtech.jts.geom.Coordinate(truth.mapCentreX(),
                        truth.mapCentreY()))) < 1.0), "a region centred on the tank");
        SceneSegmentation.Result wrongBands = SceneSegmentation.run(new ColourSegmenter(), scene, "red tank",
                options.withBands(new int[] {1, 2, 3}).withProgress(true));
        assertTrue(wrongBands.mapPolygons().stream().noneMatch(p -> p.getCentroid().distance(
                p.getFactory().createPoint(new org.locationtech.jts.geom.Coordinate(truth.mapCentreX(),
                        truth.mapCentreY()))) < 1.0), "with swapped bands the tank is not red");
    }
}
