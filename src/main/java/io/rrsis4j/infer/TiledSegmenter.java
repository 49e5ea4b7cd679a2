package io.rrsis4j.infer;

import io.rrsis4j.io.DisplayBands;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Sliding-window inference over a scene larger than the model input. Tiles of {@code tile} pixels overlap by
 * {@code overlap} pixels ({@link TileGrid}); each tile row is read as one strip, its tiles go to the
 * {@link Segmenter} in batches, and their probabilities are blended with a linear feathering weight
 * w = min(1, (d + 0.5) / overlap) per axis, d = distance to the tile's nearest edge, so that tile borders, where
 * the model sees the least context, count least. The weighted sums are held only for the rows the current tile
 * row spans (2 floats x tile x width); rows no later tile reaches are finalised into the byte-per-pixel
 * {@link ProbabilityMap}.
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

    public ProbabilityMap segment(DisplayBands scene, String sentence) {
        int width = scene.raster().width();
        int height = scene.raster().height();
        int[] xs = TileGrid.origins(width, tile, overlap);
        int[] ys = TileGrid.origins(height, tile, overlap);
        int tileW = TileGrid.extent(width, tile);
        int tileH = TileGrid.extent(height, tile);
        float[] rampX = ramp(tileW);
        float[] rampY = ramp(tileH);
        float[] weightedSum = new float[tileH * width];
        float[] weightSum = new float[tileH * width];
        ProbabilityMap out = new ProbabilityMap(width, height);
        int bufferStart = 0;
        try (ProgressBar bar = progress ? new ProgressBarBuilder().setTaskName("tiles")
                .setInitialMax((long) xs.length * ys.length).setStyle(ProgressBarStyle.ASCII).build() : null) {
            for (int y0 : ys) {
                int shift = y0 - bufferStart;
                finalise(out, weightedSum, weightSum, bufferStart, Math.min(shift, tileH), width);
                shiftUp(weightedSum, shift * width);
                shiftUp(weightSum, shift * width);
                bufferStart = y0;
                BufferedImage strip = scene.readRgb(0, y0, width, tileH);
                for (int first = 0; first < xs.length; first += batchSize) {
                    int n = Math.min(batchSize, xs.length - first);
                    List<BufferedImage> tiles = new ArrayList<>(n);
                    for (int k = 0; k < n; k++) {
                        tiles.add(strip.getSubimage(xs[first + k], 0, tileW, tileH));
                    }
                    List<float[]> probs = segmenter.targetProbability(tiles, Collections.nCopies(n, sentence));
                    for (int k = 0; k < n; k++) {
                        accumulate(probs.get(k), xs[first + k], tileW, tileH, rampX, rampY, weightedSum, weightSum,
                                width);
                    }
                    if (bar != null) {
                        bar.stepBy(n);
                    }
                }
                afterTileRow.run();
            }
            finalise(out, weightedSum, weightSum, bufferStart, height - bufferStart, width);
        }
        return out;
    }

    private float[] ramp(int length) {
        float[] r = new float[length];
        for (int i = 0; i < length; i++) {
            int d = Math.min(i, length - 1 - i);
            r[i] = overlap == 0 ? 1f : Math.min(1f, (d + 0.5f) / overlap);
        }
        return r;
    }

    private static void accumulate(float[] prob, int x0, int tileW, int tileH, float[] rampX, float[] rampY,
                                   float[] weightedSum, float[] weightSum, int width) {
        if (prob.length != tileW * tileH) {
            throw new IllegalStateException("segmenter returned " + prob.length + " values for a " + tileW + "x"
                    + tileH + " tile");
        }
        for (int y = 0; y < tileH; y++) {
            int row = y * width + x0;
            for (int x = 0; x < tileW; x++) {
                float w = rampX[x] * rampY[y];
                weightedSum[row + x] += w * prob[y * tileW + x];
                weightSum[row + x] += w;
            }
        }
    }

    private static void finalise(ProbabilityMap out, float[] weightedSum, float[] weightSum, int startRow,
                                 int rows, int width) {
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                out.set(x, startRow + y, weightSum[i] > 0 ? weightedSum[i] / weightSum[i] : 0);
            }
        }
    }

    private static void shiftUp(float[] buffer, int by) {
        if (by <= 0) {
            return;
        }
        if (by >= buffer.length) {
            Arrays.fill(buffer, 0f);
            return;
        }
        System.arraycopy(buffer, by, buffer, 0, buffer.length - by);
        Arrays.fill(buffer, buffer.length - by, buffer.length, 0f);
    }
}
