package io.rrsis4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rrsis4j.bench.SyntheticGeoScene;
import io.rrsis4j.infer.ColourSegmenter;
import io.rrsis4j.infer.SceneOptions;
import io.rrsis4j.infer.SceneSegmentation;
import io.rrsis4j.io.raster.GeoRaster;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A georeferenced scene named by its file: URI, split over local[2] executors, gives segment --tile's mask, regions
 * and georeferencing.
 */
class SparkSceneJobTest {
    @TempDir
    Path dir;

    @Test
    void tileRowsOnExecutorsBlendToTheSingleJvmMask() throws Exception {
        Path scene = dir.resolve("scene.tif");
        SyntheticGeoScene.Truth truth = SyntheticGeoScene.write(scene, 1000, 700, false);
        SceneOptions options = SceneOptions.defaults(dir.resolve("single.tif"), dir.resolve("single.geojson"))
                .withTiling(160, 32).withProgress(false).withBatchSize(3);
        SceneSegmentation.Result single = SceneSegmentation.run(new ColourSegmenter(), scene, "the red tank", options);
        SceneSegmentation.Result spread;
        try (SparkSession spark = TestSources.session("local[2]")) {
            // file: URIs, as a cluster's storage is named
            spread = SparkSceneJob.run(spark, new TestSources.Colour("scene"), 1, scene.toUri().toString(),
                    "the red tank",
                    SceneOptions.defaults(null, null).withTiling(160, 32).withProgress(false).withBatchSize(3),
                    new SparkSceneJob.Outputs(dir.resolve("spread.tif").toUri().toString(),
                            dir.resolve("spread.geojson").toUri().toString()), 2, System.err);
        }
        assertEquals(single.tiles(), spread.tiles());
        assertEquals(1, spread.regions().size());
        assertEquals(truth.pixelArea(), spread.regions().get(0).area());
        assertEquals(single.regions().get(0).meanProbability(), spread.regions().get(0).meanProbability(), 0);
        GeoRaster a = GeoRaster.open(dir.resolve("single.tif"));
        GeoRaster b = GeoRaster.open(dir.resolve("spread.tif"));
        assertEquals(a.geo(), b.geo());
        assertArrayEquals(truth.geo().geoTransform(), b.geo().geoTransform(), 1e-9);
        assertArrayEquals(a.readWindow(0, 0, 1000, 700, new int[] {0})[0], b.readWindow(0, 0, 1000, 700, new int[] {0})[0]);
        assertEquals(Files.readString(dir.resolve("single.geojson")), Files.readString(dir.resolve("spread.geojson")));
        assertTrue(single.mapPolygons().get(0).equalsExact(spread.mapPolygons().get(0)));
    }
}
