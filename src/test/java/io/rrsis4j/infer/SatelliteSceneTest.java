package io.rrsis4j.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rrsis4j.io.raster.GeoRaster;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scene segmentation of satellite products as GDAL writes them (src/test/scripts/make_satellite_fixtures.sh): the red
 * roof (pixels 50-73 x 20-43) is found in every product without --bands, and no-data pixels are never in a mask,
 * even for a model that says "everything".
 */
class SatelliteSceneTest {

    private static final Path DIR = Path.of("src/test/resources/geotiff/satellite");
    private static final String[] PRODUCTS = {"sentinel2_l2a_12band.tif", "sentinel2_wavelengths.tif",
        "landsat_c2_sr_7band.tif", "float32_reflectance_nan.tif", "float32_rgb_nodata.tif", "uint12_rgb_nbits.tif",
        "degrees_bgrn_colorinterp.tif"};

    @TempDir
    Path dir;

    private int[] mask(Segmenter segmenter, String product) {
        Path out = dir.resolve(product + ".mask.tif");
        SceneOptions options = SceneOptions.defaults(out, null).withProgress(false).withTiling(64, 16)
                .withRule(ConnectedRegions.Rule.defaults().withThreshold(0.5));
        SceneSegmentation.Result result = SceneSegmentation.run(segmenter, DIR.resolve(product), "the red roof", options);
        assertTrue(result.bands().startsWith("bands "), result.bands());
        GeoRaster mask = GeoRaster.open(out);
        return mask.readWindow(0, 0, mask.width(), mask.height(), new int[] {0})[0];
    }

    @Test
    void theRedRoofIsFoundInEveryProductWithoutBands() {
        for (String product : PRODUCTS) {
            int[] mask = mask(new ColourSegmenter(), product);
            int inside = 0;
            int outside = 0;
            for (int p = 0; p < mask.length; p++) {
                int x = p % 96;
                int y = p / 96;
                boolean roof = x >= 50 && x < 74 && y >= 20 && y < 44;
                inside += roof && mask[p] == 255 ? 1 : 0;
                outside += !roof && mask[p] == 255 ? 1 : 0;
            }
            assertTrue(inside >= 560 && outside <= 20, product + ": " + inside + " of 576 roof pixels, " + outside
                    + " others");
        }
    }

    @Test
    void noDataIsNeverSegmented() {
        Segmenter everything = new Segmenter() {
            @Override
            public List<float[]> targetProbability(List<BufferedImage> images, List<String> sentences) {
                List<float[]> out = new ArrayList<>();
                for (BufferedImage image : images) {
                    float[] p = new float[image.getWidth() * image.getHeight()];
                    java.util.Arrays.fill(p, 1f);
                    out.add(p);
                }
                return out;
            }

            @Override
            public int inputSize() {
                return 64;
            }
        };
        for (String product : PRODUCTS) {
            int[] mask = mask(everything, product);
            for (int p = 0; p < mask.length; p++) {
                boolean swathEdge = p % 96 + p / 96 < 30; // the corner the script left without data
                assertEquals(swathEdge ? 0 : 255, mask[p], product + " pixel " + p);
            }
        }
    }
}
