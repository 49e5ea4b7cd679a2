package io.rrsis4j.infer;

import io.rrsis4j.io.raster.DisplayBands;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.IntConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Sliding-window inference over a scene larger than the model input. Tiles of {@code tile} pixels overlap by
 * {@code overlap} pixels ({@link TileGrid}); each tile row is read as one strip, its tiles go to the
 * {@link Segmenter} in batches, and their probabilities are blended by {@link TileBlender} (feathered weights, only
 * the rows of the current tile row held as floats) into byte-per-pixel rows handed on as they are finished.
 */
public final class TiledSegmenter {

    private final Segmenter segmenter;
    private final int tile;
    private final int overlap;
    private final int batchSize;
    private final boolean progress;
    private Runnable afterTileRow = () -> {};

    public TiledSegmenter(Segmenter segmenter, int tile, int overlap, int batchSize, boolean progress) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive");
        }
        TileGrid.origins(tile + 1, tile, overlap); // validates tile and overlap
        this.segmenter = segmenter;
        this.tile = tile;
        this.overlap = overlap;
        this.batchSize = batchSize;
        this.progress = progress;
    }

    /** Called after each tile row (used by {@link SceneBenchmark} to sample the live heap). */
    public void setAfterTileRow(Runnable hook) {
        this.afterTileRow = hook;
    }

    /** The blended probability of a whole scene, in memory (tests, small scenes). */
    public ProbabilityMap segment(DisplayBands scene, String sentence) {
        ProbabilityMap map = new ProbabilityMap(scene.raster().width(), scene.raster().height());
        segment(scene, sentence, map);
        return map;
    }

    /** Segments the scene, handing each finished row of the blended probability to {@code rows}, top to bottom. */
    public void segment(DisplayBands scene, String sentence, ProbabilityRows rows) {
        int width = scene.raster().width();
        int height = scene.raster().height();
        int[] xs = TileGrid.origins(width, tile, overlap);
        int[] ys = TileGrid.origins(height, tile, overlap);
        TileBlender blender = new TileBlender(width, height, tile, overlap, rows);
        try (ProgressBar bar = progress ? new ProgressBarBuilder().setTaskName("tiles")
                .setInitialMax((long) xs.length * ys.length).setStyle(ProgressBarStyle.ASCII).build() : null) {
            for (int y0 : ys) {
                blender.startRow(y0);
                List<float[]> probs = tileRow(scene, y0, sentence, bar == null ? n -> {} : bar::stepBy);
                for (int k = 0; k < xs.length; k++) {
                    blender.add(probs.get(k), xs[k]);
                }
                afterTileRow.run();
            }
        }
        blender.finish();
    }

    /**
     * Target probabilities of the tiles of the tile row at {@code y0}, left to right (origins from {@link TileGrid}):
     * the row is read as one strip and its tiles go to the segmenter in batches. The Spark scene job calls this on
     * executors, one tile row per call, and blends the rows on the driver as {@link #segment} does.
     */
    public List<float[]> tileRow(DisplayBands scene, int y0, String sentence, IntConsumer afterBatch) {
        int width = scene.raster().width();
        int[] xs = TileGrid.origins(width, tile, overlap);
        int tileW = TileGrid.extent(width, tile);
        int tileH = TileGrid.extent(scene.raster().height(), tile);
        BufferedImage strip = scene.readRgb(0, y0, width, tileH);
        List<float[]> out = new ArrayList<>(xs.length);
        for (int first = 0; first < xs.length; first += batchSize) {
            int n = Math.min(batchSize, xs.length - first);
            List<BufferedImage> tiles = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                tiles.add(strip.getSubimage(xs[first + k], 0, tileW, tileH));
            }
            out.addAll(segmenter.targetProbability(tiles, Collections.nCopies(n, sentence)));
            afterBatch.accept(n);
        }
        boolean[] noData = scene.noData(0, y0, width, tileH);
        if (noData != null) { // no data is never a target, whatever the model made of its black pixels
            for (int k = 0; k < xs.length; k++) {
                float[] p = out.get(k);
                for (int y = 0; y < tileH; y++) {
                    for (int x = 0; x < tileW; x++) {
                        if (noData[y * width + xs[k] + x]) {
                            p[y * tileW + x] = 0;
                        }
                    }
                }
            }
        }
        return out;
    }
}
