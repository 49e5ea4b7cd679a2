package io.rrsis4j.infer;

import java.nio.file.Path;

/**
 * Settings of tiled scene segmentation.
 *
 * @param tile       tile side in pixels (the model input, 480 in the paper)
 * @param overlap    overlap of neighbouring tiles in pixels
 * @param bands      1-based band numbers shown to the model as RGB (1 or 3 of them), null = first three
 * @param maskOut    single-band 8-bit GeoTIFF mask to write (255 = target), null = none
 * @param geojsonOut GeoJSON polygons to write, null = none
 * @param rule       connected-region filtering, see {@link ConnectedRegions}
 * @param batchSize  tiles per Segmenter call
 * @param progress   show a progress bar over tiles on stderr
 */
public record SceneOptions(int tile, int overlap, int[] bands, Path maskOut, Path geojsonOut,
                           ConnectedRegions.Rule rule, int batchSize, boolean progress) {

    public static SceneOptions defaults(Path maskOut, Path geojsonOut) {
        return new SceneOptions(480, 64, null, maskOut, geojsonOut, ConnectedRegions.Rule.defaults(), 4, true);
    }

    public SceneOptions withTiling(int newTile, int newOverlap) {
        return new SceneOptions(newTile, newOverlap, bands, maskOut, geojsonOut, rule, batchSize, progress);
    }

    public SceneOptions withBands(int[] newBands) {
        return new SceneOptions(tile, overlap, newBands, maskOut, geojsonOut, rule, batchSize, progress);
    }

    public SceneOptions withRule(ConnectedRegions.Rule newRule) {
        return new SceneOptions(tile, overlap, bands, maskOut, geojsonOut, newRule, batchSize, progress);
    }

    public SceneOptions withProgress(boolean show) {
        return new SceneOptions(tile, overlap, bands, maskOut, geojsonOut, rule, batchSize, show);
    }

    public SceneOptions withBatchSize(int size) {
        return new SceneOptions(tile, overlap, bands, maskOut, geojsonOut, rule, size, progress);
    }
}
