package io.rrsis4j.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * COCO segmentations to and from binary masks, as pycocotools reads them.
 *
 * <ul>
 *   <li>RLE: run lengths over the mask in column-major order (x outer, y inner), starting with a
 *       background run (0 when the first pixel is on). {@code counts} is either a list of numbers or
 *       the compressed string of maskApi.c (5-bit groups + 48, continuation bit 0x20, sign bit 0x10,
 *       each count after the second stored as the difference to the count two before).
 *   <li>Polygons: rasterised with pycocotools' own algorithm (maskApi.c rleFrPoly, ported line by
 *       line), so the mask equals frPyObjects + decode pixel for pixel. Its convention: a pixel
 *       (x, y) is on when its centre (x + 0.5, y + 0.5) is inside the polygon, measured on a 5x
 *       upsampled grid (vertices rounded to 1/5 pixel; rows biased by about 0.1 pixel). An
 *       object's mask is the union of its polygons (pycocotools merge).
 * </ul>
 * Problems are reported as {@link IllegalArgumentException} with a one-line reason; readers wrap it
 * with the file name.
 */
public final class CocoMasks {
    private CocoMasks() {}

    // ---- RLE ----

    /** Column-major run lengths of the mask, background first. */
    public static long[] encode(BinaryMask mask) {
        int w = mask.width();
        int h = mask.height();
        byte[] px = mask.pixels();
        List<Long> counts = new ArrayList<>();
        byte current = 0;
        long run = 0;
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++) {
                byte p = px[y * w + x] != 0 ? (byte) 1 : 0;
                if (p != current) {
                    counts.add(run);
                    run = 0;
                    current = p;
                }
                run++;
            }
        }
        counts.add(run);
        return counts.stream().mapToLong(Long::longValue).toArray();
    }

    /** The mask of column-major run lengths; the counts must sum to {@code width * height}. */
    public static BinaryMask decode(long[] counts, int height, int width) {
        long total = 0;
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("RLE has a negative count " + c);
            }
            total += c;
        }
        if (total != (long) width * height) {
            throw new IllegalArgumentException(
                    "RLE counts sum to " + total + ", not height x width = " + height + " x " + width + " = " + (long) width * height);
        }
        byte[] px = new byte[width * height];
        long pos = 0;
        for (int i = 0; i < counts.length; i++) {
            if (i % 2 == 1) {
                for (long k = pos; k < pos + counts[i]; k++) {
                    int x = (int) (k / height);
                    int y = (int) (k % height);
                    px[y * width + x] = 1;
                }
            }
            pos += counts[i];
        }
        return new BinaryMask(width, height, px);
    }

    /** maskApi.c rleToString. */
    public static String toCompressedString(long[] counts) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < counts.length; i++) {
            long x = counts[i];
            if (i > 2) {
                x -= counts[i - 2];
            }
            boolean more = true;
            while (more) {
                long c = x & 0x1f;
                x >>= 5;
                more = (c & 0x10) != 0 ? x != -1 : x != 0;
                if (more) {
                    c |= 0x20;
                }
                s.append((char) (c + 48));
            }
        }
        return s.toString();
    }

    /** maskApi.c rleFrString. */
    public static long[] fromCompressedString(String s) {
        List<Long> counts = new ArrayList<>();
        int p = 0;
        while (p < s.length()) {
            long x = 0;
            int k = 0;
            boolean more = true;
            while (more) {
                if (p >= s.length()) {
                    throw new IllegalArgumentException("compressed RLE string ends inside a count");
                }
                int c = s.charAt(p) - 48;
                if (c < 0 || c > 63) {
                    throw new IllegalArgumentException("compressed RLE string has an invalid character '" + s.charAt(p) + "'");
                }
                x |= (long) (c & 0x1f) << (5 * k);
                more = (c & 0x20) != 0;
                p++;
                k++;
                if (!more && (c & 0x10) != 0) {
                    x |= -1L << (5 * k);
                }
                if (k > 12) {
                    throw new IllegalArgumentException("compressed RLE string has a count too long to be real");
                }
            }
            int m = counts.size();
            if (m > 2) {
                x += counts.get(m - 2);
            }
            counts.add(x);
        }
        return counts.stream().mapToLong(Long::longValue).toArray();
    }

    // ---- polygons ----

    /** Union of the polygons (each a flat list x1, y1, x2, y2, ...), rasterised as pycocotools does. */
    public static BinaryMask rasterize(List<double[]> polygons, int height, int width) {
        byte[] px = new byte[width * height];
        for (double[] poly : polygons) {
            if (poly.length % 2 != 0) {
                throw new IllegalArgumentException("polygon has an odd number of coordinates (" + poly.length + ")");
            }
            if (poly.length < 6) {
                throw new IllegalArgumentException("polygon has fewer than 3 points (" + poly.length + " coordinates)");
            }
            byte[] one = decode(polygonRuns(poly, height, width), height, width).pixels();
            for (int i = 0; i < px.length; i++) {
                px[i] |= one[i];
            }
        }
        return new BinaryMask(width, height, px);
    }

    /**
     * maskApi.c rleFrPoly, line by line: walk the polygon's edges on a 5x upsampled grid, keep the
     * crossings at pixel-column centres, and turn the sorted crossings into column-major runs.
     * A pixel is on when its centre (x + 0.5, y + 0.5) is inside, up to the grid's rounding.
     */
    static long[] polygonRuns(double[] xy, int h, int w) {
        final double scale = 5;
        int k = xy.length / 2;
        int[] x = new int[k + 1];
        int[] y = new int[k + 1];
        for (int j = 0; j < k; j++) {
            x[j] = (int) (scale * xy[2 * j] + .5);
            y[j] = (int) (scale * xy[2 * j + 1] + .5);
        }
        x[k] = x[0];
        y[k] = y[0];
        int m = 0;
        for (int j = 0; j < k; j++) {
            m += Math.max(Math.abs(x[j] - x[j + 1]), Math.abs(y[j] - y[j + 1])) + 1;
        }
        int[] u = new int[m];
        int[] v = new int[m];
        m = 0;
        for (int j = 0; j < k; j++) {
            int xs = x[j];
            int xe = x[j + 1];
            int ys = y[j];
            int ye = y[j + 1];
            int dx = Math.abs(xe - xs);
            int dy = Math.abs(ys - ye);
            boolean flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
            if (flip) {
                int t = xs;
                xs = xe;
                xe = t;
                t = ys;
                ys = ye;
                ye = t;
            }
            double s = dx >= dy ? (double) (ye - ys) / dx : (double) (xe - xs) / dy;
            if (dx >= dy) {
                for (int d = 0; d <= dx; d++) {
                    int t = flip ? dx - d : d;
                    u[m] = t + xs;
                    v[m] = (int) (ys + s * t + .5);
                    m++;
                }
            } else {
                for (int d = 0; d <= dy; d++) {
                    int t = flip ? dy - d : d;
                    v[m] = t + ys;
                    u[m] = (int) (xs + s * t + .5);
                    m++;
                }
            }
        }
        int n = m;
        long[] a = new long[n + 1];
        m = 0;
        for (int j = 1; j < n; j++) {
            if (u[j] != u[j - 1]) {
                double xd = u[j] < u[j - 1] ? u[j] : u[j] - 1;
                xd = (xd + .5) / scale - .5;
                if (Math.floor(xd) != xd || xd < 0 || xd > w - 1) {
                    continue;
                }
                double yd = v[j] < v[j - 1] ? v[j] : v[j - 1];
                yd = (yd + .5) / scale - .5;
                yd = yd < 0 ? 0 : yd > h ? h : yd;
                yd = Math.ceil(yd);
                a[m++] = (long) xd * h + (long) yd;
            }
        }
        a[m++] = (long) h * w;
        long[] sorted = Arrays.copyOf(a, m);
        Arrays.sort(sorted);
        long p = 0;
        for (int j = 0; j < m; j++) {
            long t = sorted[j];
            sorted[j] -= p;
            p = t;
        }
        long[] b = new long[m];
        int j = 0;
        int c = 0;
        b[c++] = sorted[j++];
        while (j < m) {
            if (sorted[j] > 0) {
                b[c++] = sorted[j++];
            } else {
                j++;
                if (j < m) {
                    b[c - 1] += sorted[j++];
                }
            }
        }
        return Arrays.copyOf(b, c);
    }

    /**
     * The mask's outlines as polygons along pixel edges (vertices on pixel corners, collinear points
     * dropped). Holes come out as extra loops, which a union cannot express: callers check that
     * {@link #rasterize} gives the mask back before they store polygons.
     */
    public static List<double[]> outline(BinaryMask mask) {
        int w = mask.width();
        int h = mask.height();
        // Directed boundary edges with the object on the right (clockwise on screen), keyed by start corner.
        Map<Long, List<long[]>> out = new HashMap<>();
        int edges = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (!mask.get(x, y)) {
                    continue;
                }
                if (y == 0 || !mask.get(x, y - 1)) {
                    edges += addEdge(out, x, y, x + 1, y);
                }
                if (x == w - 1 || !mask.get(x + 1, y)) {
                    edges += addEdge(out, x + 1, y, x + 1, y + 1);
                }
                if (y == h - 1 || !mask.get(x, y + 1)) {
                    edges += addEdge(out, x + 1, y + 1, x, y + 1);
                }
                if (x == 0 || !mask.get(x - 1, y)) {
                    edges += addEdge(out, x, y + 1, x, y);
                }
            }
        }
        List<double[]> polygons = new ArrayList<>();
        while (edges > 0) {
            long startKey = out.keySet().iterator().next();
            List<long[]> loop = new ArrayList<>();
            long key = startKey;
            do {
                List<long[]> from = out.get(key);
                long[] e = from.remove(from.size() - 1);
                if (from.isEmpty()) {
                    out.remove(key);
                }
                edges--;
                loop.add(e);
                key = corner(e[2], e[3]);
            } while (key != startKey);
            polygons.add(simplify(loop));
        }
        return polygons;
    }

    private static int addEdge(Map<Long, List<long[]>> out, long x0, long y0, long x1, long y1) {
        out.computeIfAbsent(corner(x0, y0), k -> new ArrayList<>(2)).add(new long[] {x0, y0, x1, y1});
        return 1;
    }

    private static long corner(long x, long y) {
        return (x << 32) | y;
    }

    /** Keeps the corners where the direction changes. */
    private static double[] simplify(List<long[]> loop) {
        List<long[]> points = new ArrayList<>();
        int n = loop.size();
        for (int i = 0; i < n; i++) {
            long[] prev = loop.get((i + n - 1) % n);
            long[] e = loop.get(i);
            boolean turn = Long.signum(prev[2] - prev[0]) != Long.signum(e[2] - e[0])
                    || Long.signum(prev[3] - prev[1]) != Long.signum(e[3] - e[1]);
            if (turn) {
                points.add(new long[] {e[0], e[1]});
            }
        }
        double[] poly = new double[2 * points.size()];
        for (int i = 0; i < points.size(); i++) {
            poly[2 * i] = points.get(i)[0];
            poly[2 * i + 1] = points.get(i)[1];
        }
        return poly;
    }
}
