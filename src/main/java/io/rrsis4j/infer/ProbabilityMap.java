package io.rrsis4j.infer;

/**
 * Blended target probability of a whole scene, quantised to one byte per pixel (value / 255) so that an
 * 8000 x 8000 scene takes 64 MB. Held row by row: one array for the scene would cap it at 2^31 pixels (46,340
 * squared), under the 50,000 x 50,000 scenes archives hold.
 */
public final class ProbabilityMap {

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
        quantised[y][x] = (byte) Math.round(255 * Math.max(0, Math.min(1, probability)));
    }

    public double get(int x, int y) {
        return (quantised[y][x] & 0xFF) / 255.0;
    }

    /** Quantised value 0-255 of pixel (x, y). */
    int level(int x, int y) {
        return quantised[y][x] & 0xFF;
    }
}
