package io.rrsis4j.bench;

import io.rrsis4j.io.raster.GeoReferencing;
import io.rrsis4j.io.raster.StripTiffWriter;
import java.nio.file.Path;

/**
 * A large synthetic georeferenced scene, written strip by strip: textured grass/soil background, one red storage
 * tank (disc) as the target, a blue tank and a white building as distractors of other colours, a faded-red roof
 * (weakly red) and a tiny red speck (under the minimum region area). CRS EPSG:32633 (UTM 33N), 0.5 m pixels,
 * upper-left corner at (500000 E, 5400000 N). The target sits where tiles overlap (x = 0.63 size).
 *
 * <p>8-bit scenes are RGB; 16-bit scenes have 4 bands in the order blue, green, red, near-infrared (so
 * {@code --bands 3,2,1} gives RGB), with sample = 8-bit value * 40 + 500.
 */
public final class SyntheticGeoScene {

    public static final int EPSG = 32633;
    public static final double PIXEL_SIZE = 0.5;
    public static final double ORIGIN_X = 500_000;
    public static final double ORIGIN_Y = 5_400_000;
    public static final int TARGET_RADIUS = 40;

    /**
     * Where the target is. Pixel centre and radius in pixel-corner coordinates; map centre and bounding box
     * [minX, minY, maxX, maxY] in EPSG:32633 metres; area = number of target pixels.
     */
    public record Truth(double centreCol, double centreRow, double radiusPixels, long pixelArea,
                        double mapCentreX, double mapCentreY, double[] mapBounds, int[] pixelBounds,
                        GeoReferencing geo) {}

    private SyntheticGeoScene() {}

    public static GeoReferencing georeferencing() {
        return GeoReferencing.northUp(EPSG, ORIGIN_X, ORIGIN_Y, PIXEL_SIZE);
    }

    /** Writes a square 8-bit RGB scene of {@code size} x {@code size} pixels. */
    public static Truth write(Path target, int size) {
        return write(target, size, size, false);
    }

    /** Writes a scene; {@code sixteenBit} gives the 4-band 16-bit variant. */
    public static Truth write(Path target, int width, int height, boolean sixteenBit) {
        double cx = Math.floor(0.63 * width) + 0.5;
        double cy = Math.floor(0.3125 * height) + 0.5;
        GeoReferencing geo = georeferencing();
        int bands = sixteenBit ? 4 : 3;
        long area = 0;
        try (StripTiffWriter writer = new StripTiffWriter(target, width, height, bands, sixteenBit ? 16 : 8, geo)) {
            byte[] row8 = new byte[width * 3];
            short[] row16 = new short[width * 4];
            int[] rgb = new int[3];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    boolean inTarget = pixel(x, y, width, height, cx, cy, rgb);
                    if (inTarget) {
                        area++;
                    }
                    if (sixteenBit) {
                        row16[4 * x] = (short) (rgb[2] * 40 + 500);
                        row16[4 * x + 1] = (short) (rgb[1] * 40 + 500);
                        row16[4 * x + 2] = (short) (rgb[0] * 40 + 500);
                        row16[4 * x + 3] = (short) ((255 - rgb[0] / 2) * 40 + 500);
                    } else {
                        row8[3 * x] = (byte) rgb[0];
                        row8[3 * x + 1] = (byte) rgb[1];
                        row8[3 * x + 2] = (byte) rgb[2];
                    }
                }
                if (sixteenBit) {
                    writer.writeRow(row16);
                } else {
                    writer.writeRow(row8);
                }
            }
        }
        double[] c = geo.toMap(cx, cy);
        double[] lo = geo.toMap(cx - TARGET_RADIUS, cy + TARGET_RADIUS);
        double[] hi = geo.toMap(cx + TARGET_RADIUS, cy - TARGET_RADIUS);
        int[] pixelBounds = {(int) (cx - TARGET_RADIUS), (int) (cy - TARGET_RADIUS),
            (int) Math.ceil(cx + TARGET_RADIUS), (int) Math.ceil(cy + TARGET_RADIUS)};
        return new Truth(cx, cy, TARGET_RADIUS, area, c[0], c[1], new double[] {lo[0], lo[1], hi[0], hi[1]},
                pixelBounds, geo);
    }

    /** Colour of pixel (x, y); returns whether it belongs to the target. */
    private static boolean pixel(int x, int y, int width, int height, double cx, double cy, int[] rgb) {
        double px = x + 0.5;
        double py = y + 0.5;
        if (inDisc(px, py, cx, cy, TARGET_RADIUS)) {
            set(rgb, 200, 30, 30);
            return true;
        }
        if (inDisc(px, py, 0.25 * width, 0.7 * height, 55)) {
            set(rgb, 40, 60, 200);                      // blue tank
        } else if (inBox(px, py, 0.45 * width, 0.55 * height, 120, 70)) {
            set(rgb, 235, 235, 230);                    // white building
        } else if (inBox(px, py, 0.8 * width, 0.8 * height, 30, 30)) {
            set(rgb, 180, 90, 80);                      // faded red roof: weakly red
        } else if (inBox(px, py, 0.1 * width + 0.5, 0.15 * height + 0.5, 2, 2)) {
            set(rgb, 220, 20, 20);                      // red speck under the minimum area
        } else {
            int n = noise(x, y);
            boolean soil = ((x / 300) + (y / 300)) % 3 == 0;
            if (soil) {
                set(rgb, 120 + n, 105 + n, 80 + n);
            } else {
                set(rgb, 80 + n, 110 + n, 70 + n);
            }
        }
        return false;
    }

    private static boolean inDisc(double px, double py, double cx, double cy, double r) {
        double dx = px - cx;
        double dy = py - cy;
        return dx * dx + dy * dy <= r * r;
    }

    private static boolean inBox(double px, double py, double cx, double cy, double w, double h) {
        return Math.abs(px - cx) <= w / 2 && Math.abs(py - cy) <= h / 2;
    }

    private static void set(int[] rgb, int r, int g, int b) {
        rgb[0] = r;
        rgb[1] = g;
        rgb[2] = b;
    }

    /** Deterministic texture in [-15, 15]. */
    private static int noise(int x, int y) {
        int h = x * 73856093 ^ y * 19349663;
        h ^= h >>> 13;
        h *= 0x5bd1e995;
        h ^= h >>> 15;
        return Math.floorMod(h, 31) - 15;
    }
}
