package io.rrsis4j.infer;

/**
 * Blended target probability of a whole image, quantised to one byte per pixel (value / 255), held in memory: for
 * tests and single images. Scenes are not held whole: their rows go from {@link TileBlender} straight to
 * {@link ConnectedRegions} ({@link ProbabilityRows}). Held row by row: one array would cap it at 2^31 pixels.
 */
public final class ProbabilityMap implements ProbabilityRows {

    private final int width;
    private final int height;
    private final byte[][] quantised;

    public ProbabilityMap(int width, int height) {
        this.width = width;
        this.height = height;
        this.quantised = new byte[height][width];
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public void set(int x, int y, double probability) {
        quantised[y][x] = (byte) level(probability);
    }

    /** The quantised level 0-255 of a probability (clamped to [0, 1]). */
    public static int level(double probability) {
        return (int) Math.round(255 * Math.max(0, Math.min(1, probability)));
    }

    @Override
    public void row(int y, byte[] levels) {
        System.arraycopy(levels, 0, quantised[y], 0, width);
    }

    /** Feeds the map's rows, top to bottom, to {@code rows}. */
    public void replay(ProbabilityRows rows) {
        for (int y = 0; y < height; y++) {
            rows.row(y, quantised[y].clone());
        }
    }

    public double get(int x, int y) {
        return (quantised[y][x] & 0xFF) / 255.0;
    }

    /** Quantised value 0-255 of pixel (x, y). */
    int level(int x, int y) {
        return quantised[y][x] & 0xFF;
    }
}
