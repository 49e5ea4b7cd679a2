package io.rrsis4j.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rrsis4j.io.raster.DisplayBands;
import io.rrsis4j.io.raster.GeoRaster;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TiledSegmenterTest {

    @TempDir
    Path dir;

    /** Test double: every tile is uniformly 1 when its left edge is at an even tile column, else 0. */
    private static final class AlternatingColumns implements Segmenter {
        @Override
        public List<float[]> targetProbability(List<BufferedImage> images, List<String> sentences) {
            List<float[]> out = new ArrayList<>();
            for (BufferedImage image : images) {
                // subimages of the strip know their x offset through the shared raster
                int x0 = -image.getRaster().getSampleModelTranslateX();
                float[] p = new float[image.getWidth() * image.getHeight()];
                Arrays.fill(p, (x0 / 416) % 2 == 0 ? 1f : 0f);
                out.add(p);
            }
            return out;
        }

        @Override
        public int inputSize() {
            return 480;
        }
    }

    @Test
    void everyPixelGetsAValueAndOverlapsAreFeathered() throws Exception {
        Path png = dir.resolve("scene.png");
        ImageIO.write(new BufferedImage(1000, 700, BufferedImage.TYPE_INT_RGB), "png", png.toFile());
        DisplayBands scene = DisplayBands.of(GeoRaster.open(png), null);
        ProbabilityMap p = new TiledSegmenter(new AlternatingColumns(), 480, 64, 3, false).segment(scene, "x");
        // tiles start at 0 (value 1), 416 and 520 (both value 0): columns 0..415 see only tile 0, 480.. only 0s
        for (int y : new int[] {0, 350, 699}) {
            assertEquals(1.0, p.get(10, y), 1e-9);
            assertEquals(0.0, p.get(500, y), 1e-9);
            // overlap 416..479 ramps from tile 0 to tile 1: monotone, halfway near the middle
            double previous = 1.0;
            for (int x = 416; x < 480; x++) {
                assertTrue(p.get(x, y) <= previous + 1e-9, "monotone at " + x);
                previous = p.get(x, y);
            }
            assertEquals(0.5, p.get(447, y), 0.05);
            assertTrue(p.get(420, y) > 0.85 && p.get(475, y) < 0.15);
        }
        assertEquals(0.0, p.get(999, 0), 1e-9);
    }
}
