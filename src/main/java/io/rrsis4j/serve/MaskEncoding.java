package io.rrsis4j.serve;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Probability maps to masks and 8-bit grayscale PNGs. */
public final class MaskEncoding {
    public static final float THRESHOLD = 0.5f;

    private MaskEncoding() {}

    /** 0/1 mask: probability above {@link #THRESHOLD}, as the evaluation and the segment command decide. */
    public static byte[] threshold(float[] probability) {
        byte[] mask = new byte[probability.length];
        for (int i = 0; i < probability.length; i++) {
            mask[i] = (byte) (probability[i] > THRESHOLD ? 1 : 0);
        }
        return mask;
    }

    /** The mask as a grayscale PNG, 0 background and 255 target. */
    public static byte[] maskPng(byte[] mask, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < mask.length; i++) {
            data[i] = (byte) (mask[i] != 0 ? 255 : 0);
        }
        return png(image);
    }

    /** The probability map as a grayscale PNG, value round(255 p). */
    public static byte[] probabilityPng(float[] probability, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < probability.length; i++) {
            data[i] = (byte) Math.round(Math.max(0f, Math.min(1f, probability[i])) * 255f);
        }
        return png(image);
    }

    private static byte[] png(BufferedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
