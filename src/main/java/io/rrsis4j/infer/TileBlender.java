package io.rrsis4j.infer;

import java.util.Arrays;

/**
 * Blends overlapping tile probabilities into rows of a scene ({@link ProbabilityRows}), tile row by tile row, top to
 * bottom, with a
 * linear feathering weight w = min(1, (d + 0.5) / overlap) per axis, d = distance to the tile's nearest edge, so that
 * tile borders, where the model sees the least context, count least. The weighted sums are held only for the rows
 * the current tile row spans (2 floats x tile x width); rows no later tile reaches are finalised (quantised to a
 * byte per pixel) and handed on at once, so memory depends on the scene's width, not its height. The one blending code of {@link TiledSegmenter} (one JVM) and of the Spark scene job, which
 * feeds it tiles predicted on executors in the same order, so both give the same map.
 */
public final class TileBlender {

    private final int width;
    private final int height;
    private final int tileW;
    private final int tileH;
    private final float[] rampX;
    private final float[] rampY;
    private final float[] weightedSum;
    private final float[] weightSum;
    private final ProbabilityRows out;
    private final byte[] levels;
    private int bufferStart;
    private boolean finished;

    /** @param out receives each finished row, top to bottom */
    public TileBlender(int width, int height, int tile, int overlap, ProbabilityRows out) {
        TileGrid.origins(tile + 1, tile, overlap); // validates tile and overlap
        this.width = width;
        this.height = height;
        this.tileW = TileGrid.extent(width, tile);
        this.tileH = TileGrid.extent(height, tile);
        this.rampX = ramp(tileW, overlap);
        this.rampY = ramp(tileH, overlap);
        this.weightedSum = new float[tileH * width];
        this.weightSum = new float[tileH * width];
        this.out = out;
        this.levels = new byte[width];
    }

    /** Starts the tile row at {@code y0} (origins from {@link TileGrid}, increasing): finalises the rows above it. */
    public void startRow(int y0) {
        if (y0 < bufferStart || finished) {
            throw new IllegalStateException("tile rows must come top to bottom: " + y0 + " after " + bufferStart);
        }
        int shift = y0 - bufferStart;
        finalise(bufferStart, Math.min(shift, tileH));
        shiftUp(weightedSum, shift * width);
        shiftUp(weightSum, shift * width);
        bufferStart = y0;
    }

    /** Adds one tile of the current row: tileW x tileH probabilities, row-major, its left edge at {@code x0}. */
    public void add(float[] prob, int x0) {
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

    /** Finalises the remaining rows. */
    public void finish() {
        if (!finished) {
            finalise(bufferStart, height - bufferStart);
            finished = true;
        }
    }

    private static float[] ramp(int length, int overlap) {
        float[] r = new float[length];
        for (int i = 0; i < length; i++) {
            int d = Math.min(i, length - 1 - i);
            r[i] = overlap == 0 ? 1f : Math.min(1f, (d + 0.5f) / overlap);
        }
        return r;
    }

    private void finalise(int startRow, int rows) {
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                levels[x] = (byte) ProbabilityMap.level(weightSum[i] > 0 ? weightedSum[i] / weightSum[i] : 0);
            }
            out.row(startRow + y, levels);
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
