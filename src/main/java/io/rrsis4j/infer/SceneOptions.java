package io.rrsis4j.infer;

import io.rrsis4j.InvalidInputException;
import java.nio.file.Path;

/**
 * Settings of tiled scene segmentation.
 *
 * @param tile       tile side in pixels (the model input, 480 in the paper)
 * @param overlap    overlap of neighbouring tiles in pixels
 * @param bands      1-based band numbers shown to the model as RGB (1 or 3 of them), null = first three
 * @param maskOut    single-band 8-bit GeoTIFF mask to write (255 = target), null = none
 * @param geojsonOut GeoJSON polygons to write, null = none
 * @param geojsonCrs coordinates of the GeoJSON ({@code --geojson-crs}), null = the default choice of
 *                   {@link GeoJsonCoordinates}
 * @param rule       connected-region filtering, see {@link ConnectedRegions}
 * @param batchSize  tiles per Segmenter call
 * @param progress   show a progress bar over tiles on stderr
 */
public record SceneOptions(int tile, int overlap, int[] bands, Path maskOut, Path geojsonOut,
                           ConnectedRegions.Rule rule, int batchSize, boolean progress, GeoJsonCrs geojsonCrs) {
    /** Smallest tile: the model's patch embedding and four stride-2 stages need at least 32 pixels. */
    public static final int MIN_TILE = 32;
    /** Largest tile: it is resized to the model input, so a larger one only loses detail. */
    public static final int MAX_TILE = 8192;

    /**
     * Checks the tiling: the overlap may be at most half the tile, so that a pixel lies in at most four tiles (a
     * 33-pixel tile with 32 pixels of overlap would step one pixel at a time and run for days).
     */
    public SceneOptions {
        if (tile < MIN_TILE || tile > MAX_TILE || overlap < 0 || overlap > tile / 2) {
            throw new InvalidInputException("--tile " + tile + " --overlap " + overlap + ": the tile must be "
                    + MIN_TILE + " to " + MAX_TILE + " pixels and the overlap 0 to half the tile (" + tile / 2 + ")");
        }
        if (bands != null && bands.length != 1 && bands.length != 3) {
            throw new InvalidInputException("--bands takes 1 or 3 band numbers (e.g. 3,2,1), got " + bands.length);
        }
        if (batchSize < 1) {
            throw new InvalidInputException("tile batch size must be at least 1, got " + batchSize);
        }
    }

    /** Options with the default GeoJSON coordinates. */
    public SceneOptions(int tile, int overlap, int[] bands, Path maskOut, Path geojsonOut, ConnectedRegions.Rule rule,
                        int batchSize, boolean progress) {
        this(tile, overlap, bands, maskOut, geojsonOut, rule, batchSize, progress, null);
    }

    public static SceneOptions defaults(Path maskOut, Path geojsonOut) {
        return new SceneOptions(480, 64, null, maskOut, geojsonOut, ConnectedRegions.Rule.defaults(), 4, true);
    }

    public SceneOptions withGeojsonCrs(GeoJsonCrs crs) {
        return new SceneOptions(tile, overlap, bands, maskOut, geojsonOut, rule, batchSize, progress, crs);
    }

    public SceneOptions withTiling(int newTile, int newOverlap) {
        return new SceneOptions(newTile, newOverlap, bands, maskOut, geojsonOut, rule, batchSize, progress, geojsonCrs);
    }

    public SceneOptions withBands(int[] newBands) {
        return new SceneOptions(tile, overlap, newBands, maskOut, geojsonOut, rule, batchSize, progress, geojsonCrs);
    }

    public SceneOptions withRule(ConnectedRegions.Rule newRule) {
        return new SceneOptions(tile, overlap, bands, maskOut, geojsonOut, newRule, batchSize, progress, geojsonCrs);
    }

    public SceneOptions withProgress(boolean show) {
        return new SceneOptions(tile, overlap, bands, maskOut, geojsonOut, rule, batchSize, show, geojsonCrs);
    }

    public SceneOptions withOutputs(Path newMaskOut, Path newGeojsonOut) {
        return new SceneOptions(tile, overlap, bands, newMaskOut, newGeojsonOut, rule, batchSize, progress);
    }

    public SceneOptions withBatchSize(int size) {
        return new SceneOptions(tile, overlap, bands, maskOut, geojsonOut, rule, size, progress, geojsonCrs);
    }
}
