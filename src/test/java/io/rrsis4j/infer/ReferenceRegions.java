package io.rrsis4j.infer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.util.GeometryFixer;
import org.locationtech.jts.operation.union.UnaryUnionOp;

/**
 * Reference for {@link ConnectedRegions}: its former whole-map implementation (every run of the map in memory, one
 * union-find over all runs, statistics summed pixel by pixel in scan order), kept in the tests to show the streaming
 * scan finds the same regions, mask and polygons. Original comment:
 * The regions of a scene the model is confident the sentence refers to. A sentence names one object, but in a
 * large scene it may fire in several tiles, so the blended probabilities are thresholded ({@code threshold},
 * default 0.5), 8-connected components are labelled (runs per row joined by union-find, so no label image is
 * needed), each scored by its mean probability, and a component is kept when
 * <ul>
 *   <li>its area is at least {@code minArea} pixels (drops specks), and</li>
 *   <li>its score is at least {@code keepRatio} (default 0.8) times the best score of any such component.</li>
 * </ul>
 * Pixel polygons are the union of a component's row runs (pixel corner coordinates).
 */
final class ReferenceRegions {


    private final int width;
    private final int height;
    private final int[] rowFirstRun;
    private final int[] runStart;
    private final int[] runEnd;
    private final int[] parent;
    private final boolean[] keptRoot;
    private final List<ConnectedRegions.Region> regions = new ArrayList<>();
    private final List<Integer> regionRoots = new ArrayList<>();

    private ReferenceRegions(int width, int height, int[] rowFirstRun, int[] runStart, int[] runEnd, int[] parent,
                             boolean[] keptRoot) {
        this.width = width;
        this.height = height;
        this.rowFirstRun = rowFirstRun;
        this.runStart = runStart;
        this.runEnd = runEnd;
        this.parent = parent;
        this.keptRoot = keptRoot;
    }

    static ReferenceRegions find(ProbabilityMap map, ConnectedRegions.Rule rule) {
        int w = map.width();
        int h = map.height();
        int level = (int) Math.ceil(rule.threshold() * 255 - 1e-9);
        int[] rowFirstRun = new int[h + 1];
        IntList starts = new IntList();
        IntList ends = new IntList();
        IntList parent = new IntList();
        for (int y = 0; y < h; y++) {
            rowFirstRun[y] = starts.size;
            int prevFirst = y > 0 ? rowFirstRun[y - 1] : 0;
            int prevEnd = rowFirstRun[y];
            int p = prevFirst;
            int x = 0;
            while (x < w) {
                if (map.level(x, y) < level) {
                    x++;
                    continue;
                }
                int s = x;
                while (x < w && map.level(x, y) >= level) {
                    x++;
                }
                int id = starts.size;
                starts.add(s);
                ends.add(x);
                parent.add(id);
                // 8-connectivity: previous-row runs touching [s - 1, x] join this run
                while (p < prevEnd && ends.get(p) < s) {
                    p++;
                }
                for (int q = p; q < prevEnd && starts.get(q) <= x; q++) {
                    union(parent, id, q);
                }
            }
        }
        rowFirstRun[h] = starts.size;
        int runs = starts.size;
        double[] sum = new double[runs];
        double[] max = new double[runs];
        long[] area = new long[runs];
        int[][] bounds = new int[runs][];
        for (int y = 0; y < h; y++) {
            for (int r = rowFirstRun[y]; r < rowFirstRun[y + 1]; r++) {
                int root = findRoot(parent, r);
                for (int x = starts.get(r); x < ends.get(r); x++) {
                    double v = map.get(x, y);
                    sum[root] += v;
                    max[root] = Math.max(max[root], v);
                }
                area[root] += ends.get(r) - starts.get(r);
                int[] b = bounds[root];
                if (b == null) {
                    bounds[root] = new int[] {starts.get(r), y, ends.get(r), y + 1};
                } else {
                    b[0] = Math.min(b[0], starts.get(r));
                    b[2] = Math.max(b[2], ends.get(r));
                    b[3] = y + 1;
                }
            }
        }
        double best = 0;
        for (int r = 0; r < runs; r++) {
            if (area[r] >= rule.minArea()) {
                best = Math.max(best, sum[r] / area[r]);
            }
        }
        boolean[] kept = new boolean[runs];
        ReferenceRegions result = new ReferenceRegions(w, h, rowFirstRun, starts.toArray(), ends.toArray(),
                parent.toArray(), kept);
        for (int r = 0; r < runs; r++) {
            if (area[r] == 0) {
                continue;
            }
            double mean = sum[r] / area[r];
            kept[r] = area[r] >= rule.minArea() && mean >= rule.keepRatio() * best;
            result.regions.add(new ConnectedRegions.Region(area[r], mean, max[r], bounds[r], kept[r]));
            result.regionRoots.add(r);
        }
        return result;
    }

    /** Every component above the threshold, kept or not, in scan order of their first pixel. */
    public List<ConnectedRegions.Region> all() {
        return List.copyOf(regions);
    }

    /** The kept components, best mean probability first. */
    public List<ConnectedRegions.Region> kept() {
        return regions.stream().filter(ConnectedRegions.Region::kept)
                .sorted(Comparator.comparingDouble(ConnectedRegions.Region::meanProbability).reversed()).toList();
    }

    /** Writes the kept components as a single-band 8-bit mask, 255 = target, 0 = background. */
    public void writeMask(java.util.function.Consumer<byte[]> writer) {
        byte[] row = new byte[width];
        for (int y = 0; y < height; y++) {
            Arrays.fill(row, (byte) 0);
            for (int r = rowFirstRun[y]; r < rowFirstRun[y + 1]; r++) {
                if (keptRoot[findRoot(parent, r)]) {
                    Arrays.fill(row, runStart[r], runEnd[r], (byte) 255);
                }
            }
            writer.accept(row.clone());
        }
    }

    /** Whether pixel (x, y) belongs to a kept component. */
    public boolean isKept(int x, int y) {
        for (int r = rowFirstRun[y]; r < rowFirstRun[y + 1]; r++) {
            if (x >= runStart[r] && x < runEnd[r]) {
                return keptRoot[findRoot(parent, r)];
            }
        }
        return false;
    }

    /**
     * Polygon (pixel corner coordinates) of each kept component, in the order of {@link #kept()}: the union of its
     * row runs, each run merged with identical runs directly below it first to keep the union small.
     */
    public List<Geometry> keptPixelPolygons(GeometryFactory factory) {
        List<ConnectedRegions.Region> order = kept();
        List<Geometry> out = new ArrayList<>();
        for (ConnectedRegions.Region region : order) {
            int root = regionRoots.get(regions.indexOf(region));
            List<Geometry> boxes = new ArrayList<>();
            int[] b = region.bounds();
            for (int y = b[1]; y < b[3]; y++) {
                for (int r = rowFirstRun[y]; r < rowFirstRun[y + 1]; r++) {
                    if (findRoot(parent, r) == root) {
                        boxes.add(box(factory, runStart[r], y, runEnd[r], y + 1));
                    }
                }
            }
            Geometry union = UnaryUnionOp.union(boxes);
            out.add(union.isValid() ? union : GeometryFixer.fix(union));
        }
        return out;
    }

    private static Polygon box(GeometryFactory f, double x0, double y0, double x1, double y1) {
        return f.createPolygon(new org.locationtech.jts.geom.Coordinate[] {
            new org.locationtech.jts.geom.Coordinate(x0, y0), new org.locationtech.jts.geom.Coordinate(x1, y0),
            new org.locationtech.jts.geom.Coordinate(x1, y1), new org.locationtech.jts.geom.Coordinate(x0, y1),
            new org.locationtech.jts.geom.Coordinate(x0, y0)});
    }

    private static int findRoot(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static int findRoot(IntList parent, int i) {
        while (parent.get(i) != i) {
            parent.set(i, parent.get(parent.get(i)));
            i = parent.get(i);
        }
        return i;
    }

    private static void union(IntList parent, int a, int b) {
        int ra = findRoot(parent, a);
        int rb = findRoot(parent, b);
        if (ra != rb) {
            parent.set(Math.max(ra, rb), Math.min(ra, rb));
        }
    }

    /** Growable int array (runs can number in the millions for a noisy map). */
    private static final class IntList {
        int[] data = new int[1024];
        int size;

        void add(int v) {
            if (size == data.length) {
                data = Arrays.copyOf(data, size * 2);
            }
            data[size++] = v;
        }

        int get(int i) {
            return data[i];
        }

        void set(int i, int v) {
            data[i] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
