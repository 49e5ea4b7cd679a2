package io.rrsis4j.data;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;

/**
 * What the reference loaders do to a sample before the network: resize the image bilinearly to a
 * square input and normalise it with ImageNet mean/std into CHW floats; resize the mask with nearest
 * neighbour. The resize follows PIL's BILINEAR (torchvision on PIL images): a triangle filter whose
 * support widens when shrinking (antialiased), half-pixel centres.
 */
public final class ImageTransforms {
    public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    private ImageTransforms() {}

    /** The image resized to {@code size} x {@code size}, normalised, as float[3 * size * size] in CHW order. */
    public static float[] toNormalizedChw(BufferedImage image, int size) {
        float[] chw = resizeChw(planes(image), image.getWidth(), image.getHeight(), size, size);
        int plane = size * size;
        for (int c = 0; c < 3; c++) {
            float scale = 1f / (255f * IMAGENET_STD[c]);
            float shift = IMAGENET_MEAN[c] / IMAGENET_STD[c];
            for (int i = c * plane; i < (c + 1) * plane; i++) {
                chw[i] = chw[i] * scale - shift;
            }
        }
        return chw;
    }

    /** The mask resized with nearest neighbour to {@code size} x {@code size}, row-major 0/1. */
    public static byte[] maskToSize(BinaryMask mask, int size) {
        if (mask.width() == size && mask.height() == size) {
            return mask.pixels().clone();
        }
        return mask.resizeNearest(size, size).pixels();
    }

    /** Bilinear (PIL-style) resize of an RGB image to any size. */
    public static BufferedImage resize(BufferedImage image, int width, int height) {
        float[] chw = resizeChw(planes(image), image.getWidth(), image.getHeight(), width, height);
        int plane = width * height;
        int[] rgb = new int[plane];
        for (int i = 0; i < plane; i++) {
            int r = Math.round(Math.max(0, Math.min(255, chw[i])));
            int g = Math.round(Math.max(0, Math.min(255, chw[plane + i])));
            int b = Math.round(Math.max(0, Math.min(255, chw[2 * plane + i])));
            rgb[i] = (r << 16) | (g << 8) | b;
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        out.getRaster().setDataElements(0, 0, width, height, rgb);
        return out;
    }

    /** R, G, B planes 0..255 as floats, read from the raster's backing array. */
    static float[] planes(BufferedImage image) {
        BufferedImage img = Images.toRgb(image);
        int w = img.getWidth();
        int h = img.getHeight();
        int n = w * h;
        float[] out = new float[3 * n];
        if (img.getType() == BufferedImage.TYPE_INT_RGB && img.getRaster().getDataBuffer() instanceof DataBufferInt db
                && img.getRaster().getParent() == null) {
            int[] px = db.getData();
            for (int i = 0; i < n; i++) {
                int p = px[i];
                out[i] = (p >> 16) & 255;
                out[n + i] = (p >> 8) & 255;
                out[2 * n + i] = p & 255;
            }
        } else if (img.getType() == BufferedImage.TYPE_3BYTE_BGR
                && img.getRaster().getDataBuffer() instanceof DataBufferByte db && img.getRaster().getParent() == null) {
            byte[] px = db.getData();
            for (int i = 0; i < n; i++) {
                out[i] = px[3 * i + 2] & 255;
                out[n + i] = px[3 * i + 1] & 255;
                out[2 * n + i] = px[3 * i] & 255;
            }
        } else {
            int[] px = img.getRGB(0, 0, w, h, null, 0, w);
            for (int i = 0; i < n; i++) {
                out[i] = (px[i] >> 16) & 255;
                out[n + i] = (px[i] >> 8) & 255;
                out[2 * n + i] = px[i] & 255;
            }
        }
        return out;
    }

    /** Separable resize of 3 planes: rows first, then columns. */
    static float[] resizeChw(float[] src, int w, int h, int ow, int oh) {
        Filter fx = new Filter(w, ow);
        Filter fy = new Filter(h, oh);
        float[] tmp = new float[3 * h * ow];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                int rowIn = c * w * h + y * w;
                int rowOut = c * ow * h + y * ow;
                for (int x = 0; x < ow; x++) {
                    float s = 0;
                    int start = fx.start[x];
                    float[] k = fx.weights[x];
                    for (int j = 0; j < k.length; j++) {
                        s += k[j] * src[rowIn + start + j];
                    }
                    tmp[rowOut + x] = s;
                }
            }
        }
        float[] out = new float[3 * oh * ow];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < oh; y++) {
                int start = fy.start[y];
                float[] k = fy.weights[y];
                int rowOut = c * ow * oh + y * ow;
                for (int j = 0; j < k.length; j++) {
                    float kj = k[j];
                    int rowIn = c * ow * h + (start + j) * ow;
                    for (int x = 0; x < ow; x++) {
                        out[rowOut + x] += kj * tmp[rowIn + x];
                    }
                }
            }
        }
        return out;
    }

    /** PIL's bilinear coefficients for one axis (Imaging/Resample.c, precompute_coeffs). */
    private static final class Filter {
        final int[] start;
        final float[][] weights;

        Filter(int in, int out) {
            double scale = in / (double) out;
            double filterScale = Math.max(1.0, scale);
            double support = filterScale;
            start = new int[out];
            weights = new float[out][];
            for (int i = 0; i < out; i++) {
                double centre = (i + 0.5) * scale;
                int lo = Math.max(0, (int) (centre - support + 0.5));
                int hi = Math.min(in, (int) (centre + support + 0.5));
                double[] w = new double[hi - lo];
                double total = 0;
                for (int j = lo; j < hi; j++) {
                    double t = Math.abs((j - centre + 0.5) / filterScale);
                    w[j - lo] = t < 1 ? 1 - t : 0;
                    total += w[j - lo];
                }
                start[i] = lo;
                weights[i] = new float[w.length];
                for (int j = 0; j < w.length; j++) {
                    weights[i][j] = (float) (total == 0 ? 0 : w[j] / total);
                }
            }
        }
    }
}
