package io.rrsis4j.data;

import java.util.Arrays;

/** A binary object mask, row-major, one byte per pixel (0 background, 1 target). */
public final class BinaryMask {
    private final int width;
    private final int height;
    private final byte[] pixels;

    public BinaryMask(int width, int height) {
        this(width, height, new byte[width * height]);
    }

    public BinaryMask(int width, int height, byte[] pixels) {
        if (pixels.length != width * height) {
            throw new IllegalArgumentException(
                    "mask of " + width + " x " + height + " needs " + width * height + " pixels, got " + pixels.length);
        }
        this.width = width;
        this.height = height;
        this.pixels = pixels;
    }

    /** The pixels whose probability (row-major, WIDTH x HEIGHT) is above THRESHOLD. */
    public static BinaryMask above(float[] probability, int width, int height, float threshold) {
        byte[] px = new byte[probability.length];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (probability[i] > threshold ? 1 : 0);
        }
        return new BinaryMask(width, height, px);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The backing array (row-major, 0/1): shared, not copied. */
    public byte[] pixels() {
        return pixels;
    }

    public boolean get(int x, int y) {
        return pixels[y * width + x] != 0;
    }

    public void set(int x, int y, boolean on) {
        pixels[y * width + x] = (byte) (on ? 1 : 0);
    }

    public int count() {
        int n = 0;
        for (byte p : pixels) {
            n += p;
        }
        return n;
    }

    /** Nearest-neighbour resize, as the reference loaders resize masks. */
    public BinaryMask resizeNearest(int newWidth, int newHeight) {
        byte[] out = new byte[newWidth * newHeight];
        for (int y = 0; y < newHeight; y++) {
            int sy = Math.min(height - 1, (int) Math.floor((y + 0.5) * height / (double) newHeight));
            for (int x = 0; x < newWidth; x++) {
                int sx = Math.min(width - 1, (int) Math.floor((x + 0.5) * width / (double) newWidth));
                out[y * newWidth + x] = pixels[sy * width + sx];
            }
        }
        return new BinaryMask(newWidth, newHeight, out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BinaryMask m && m.width == width && m.height == height && Arrays.equals(m.pixels, pixels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "BinaryMask[" + width + "x" + height + ", " + count() + " on]";
    }
}
