package io.rrsis4j.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/** Writes masks, probability maps and overlays as PNG files (atomically). */
public final class MaskImages {
    /** Tint of the target in overlays (RGB) and its weight. */
    private static final int TINT = 0xFF3030;
    private static final float TINT_WEIGHT = 0.5f;

    private MaskImages() {}

    /** The mask as an 8-bit grey image, 0 background, 255 target. */
    public static BufferedImage toImage(BinaryMask mask) {
        BufferedImage img = new BufferedImage(mask.width(), mask.height(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] px = new byte[mask.width() * mask.height()];
        byte[] m = mask.pixels();
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (m[i] != 0 ? 255 : 0);
        }
        img.getRaster().setDataElements(0, 0, mask.width(), mask.height(), px);
        return img;
    }

    public static void writeMask(BinaryMask mask, Path png) throws IOException {
        Images.write(toImage(mask), "png", png);
    }

    /** A probability map (row-major, values in [0, 1]) as an 8-bit grey PNG. */
    public static void writeProbability(float[] probability, int width, int height, Path png) throws IOException {
        if (probability.length != width * height) {
            throw new IllegalArgumentException("probability map has " + probability.length + " values, not " + width * height);
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        byte[] px = new byte[probability.length];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) Math.round(255 * Math.max(0f, Math.min(1f, probability[i])));
        }
        img.getRaster().setDataElements(0, 0, width, height, px);
        Images.write(img, "png", png);
    }

    /** The image with the mask's pixels tinted red; the mask is resized (nearest) to the image when sizes differ. */
    public static BufferedImage overlay(BufferedImage image, BinaryMask mask) {
        int w = image.getWidth();
        int h = image.getHeight();
        BinaryMask m = mask.width() == w && mask.height() == h ? mask : mask.resizeNearest(w, h);
        int[] px = image.getRGB(0, 0, w, h, null, 0, w);
        byte[] on = m.pixels();
        for (int i = 0; i < px.length; i++) {
            if (on[i] != 0) {
                px[i] = blend(px[i], TINT);
            }
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, w, h, px, 0, w);
        return out;
    }

    public static void writeOverlay(BufferedImage image, BinaryMask mask, Path png) throws IOException {
        Images.write(overlay(image, mask), "png", png);
    }

    private static int blend(int a, int b) {
        int r = Math.round(((a >> 16) & 255) * (1 - TINT_WEIGHT) + ((b >> 16) & 255) * TINT_WEIGHT);
        int g = Math.round(((a >> 8) & 255) * (1 - TINT_WEIGHT) + ((b >> 8) & 255) * TINT_WEIGHT);
        int bl = Math.round((a & 255) * (1 - TINT_WEIGHT) + (b & 255) * TINT_WEIGHT);
        return (r << 16) | (g << 8) | bl;
    }
}
