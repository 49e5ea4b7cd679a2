package io.rrsis4j.io.raster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A GeoTIFF GDAL wrote with SPARSE_OK=TRUE (src/test/scripts/make_hostile_fixtures.sh): its unwritten tiles have
 * offset and byte count 0 and read as zeros, as GDAL reads them, not as the file's header bytes taken for pixels.
 */
class SparseTiffTest {
    @Test
    void unwrittenTilesReadAsZeros() {
        GeoRaster raster = GeoRaster.open(Path.of("src/test/resources/hostile/sparse-tiles.tif"));
        int[][] bands = raster.readWindow(0, 0, 512, 512, new int[] {0, 1, 2});
        for (int b = 0; b < 3; b++) {
            for (int y = 0; y < 512; y++) {
                for (int x = 0; x < 512; x++) {
                    int expected = x < 256 && y < 256 ? 100 + b : x >= 256 && y >= 256 ? 200 + b : 0;
                    assertEquals(expected, bands[b][y * 512 + x], "band " + b + " at " + x + "," + y);
                }
            }
        }
    }
}
