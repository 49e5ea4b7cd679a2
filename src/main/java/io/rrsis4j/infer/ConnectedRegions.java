package io.rrsis4j.infer;

import io.rrsis4j.InvalidInputException;
import io.rrsis4j.io.raster.StripTiffWriter;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.util.GeometryFixer;
import org.locationtech.jts.operation.union.UnaryUnionOp;

/**
 * The regions of a scene the model is confident the sentence refers to. A sentence names one object, but in a
 * large scene it may fire in several tiles, so the blended probabilities are thresholded ({@code threshold},
 * default 0.5), 8-connected components are labelled, each scored by its mean probability, and a component is kept
 * when
 * <ul>
 *   <li>its area is at least {@code minArea} pixels (drops specks), and</li>
 *   <li>its score is at least {@code keepRatio} (default 0.8) times the best score of any such component.</li>
 * </ul>
 * The scan is streaming: rows come top to bottom ({@link ProbabilityRows}), each row's runs above the threshold are
 * joined to the runs of the row above they touch (union-find over run labels), and a component's area, level sum,
 * maximum and bounds are merged as its parts join; only the previous row's runs and the labels' statistics are held.
 * Every run is appended to a spill (a temporary file for scenes, memory for single images) with its label, since
 * whether a run is in the mask is known only at the end (the best score); {@link #writeMask} then replays the
 * spill, writing the mask row by row and collecting the runs of kept components for their polygons. Memory depends
 * on the width and on the number of components, not on the scene's size. Pixel polygons are the union of a
 * component's row runs (pixel corner coordinates).
 */
public final class ConnectedRegions implements ProbabilityRows, AutoCloseable {

    /** Filtering rule; see the class comment. */
    public record Rule(double threshold, int minArea, double keepRatio) {
        public Rule {
            if (!(threshold >= 0 && threshold <= 1) || minArea < 0 || !(keepRatio >= 0 && keepRatio <= 1)) {
                throw new InvalidInputException("region rule: threshold and keep ratio must be in [0, 1] and the"
                        + " minimum area >= 0, got " + threshold + ", " + keepRatio + " and " + minArea);
            }
        }

        public static Rule defaults() {
            return new Rule(0.5, 16, 0.8);
        }

        public Rule withThreshold(double newThreshold) {
            return new Rule(newThreshold, minArea, keepRatio);
        }
    }

    /** A connected component: area in pixels, mean and max probability, bounding box [x0, y0, x1, y1). */
    public record Region(long area, double meanProbability, double maxProbability, int[] bounds, boolean kept) {}

    private final int width;
    private final int height;
    private final int level;
    private final Rule rule;
    private final RunSpill spill;
    private final DataOutputStream spillOut;
    // the previous and current rows' runs: start, end (exclusive), label
    private IntList previous = new IntList();
    private IntList current = new IntList();
    private int rowsSeen;
    // per label (a component's labels share the statistics of their root)
    private final IntList parent = new IntList();
    private final LongList area = new LongList();
    private final LongList levelSum = new LongList();
    private final IntList maxLevel = new IntList();
    private final IntList bounds = new IntList(); // x0, y0, x1, y1 per label
    // after finish()
    private List<Region> regions;
    private List<Integer> regionRoots;
    private boolean[] keptRoot;
    private Map<Integer, IntList> keptRuns; // root -> y, start, end of each of its runs, in scan order

    private ConnectedRegions(int width, int height, Rule rule, RunSpill spill) {
        this.width = width;
        this.height = height;
        this.rule = rule;
        this.level = (int) Math.ceil(rule.threshold() * 255 - 1e-9);
        this.spill = spill;
        this.spillOut = new DataOutputStream(new BufferedOutputStream(spill.output(), 1 << 16));
    }

    /** A scan of a scene whose runs are spilled to a temporary file (deleted by {@link #close()}). */
    public static ConnectedRegions streaming(int width, int height, Rule rule) {
        return new ConnectedRegions(width, height, rule, RunSpill.temporaryFile());
    }

    /** The regions of a map held in memory (a single image): its rows scanned, the spill in memory. */
    public static ConnectedRegions find(ProbabilityMap map, Rule rule) {
        ConnectedRegions regions = new ConnectedRegions(map.width(), map.height(), rule, RunSpill.inMemory());
        map.replay(regions);
        regions.finish();
        return regions;
    }

    @Override
    public void row(int y, byte[] levels) {
        if (y != rowsSeen || y >= height || regions != null) {
            throw new IllegalStateException("rows must come once each, top to bottom: " + y + " after "
                    + (rowsSeen - 1));
        }
        IntList prev = previous;
        IntList cur = current;
        cur.size = 0;
        int p = 0;
        int x = 0;
        try {
            while (x < width) {
                if ((levels[x] & 0xFF) < level) {
                    x++;
                    continue;
                }
                int s = x;
                long sum = 0;
                int max = 0;
                while (x < width && (levels[x] & 0xFF) >= level) {
                    int v = levels[x] & 0xFF;
                    sum += v;
                    max = Math.max(max, v);
                    x++;
                }
                // 8-connectivity: previous-row runs touching [s - 1, x] join this run
                while (p < prev.size && prev.get(p + 1) < s) {
                    p += 3;
                }
                int label = -1;
                for (int q = p; q < prev.size && prev.get(q) <= x; q += 3) {
                    label = label < 0 ? findRoot(prev.get(q + 2)) : union(label, prev.get(q + 2));
                }
                if (label < 0) {
                    label = newLabel(s, y);
                }
                int root = findRoot(label);
                area.set(root, area.get(root) + (x - s));
                levelSum.set(root, levelSum.get(root) + sum);
                maxLevel.set(root, Math.max(maxLevel.get(root), max));
                bounds.set(4 * root, Math.min(bounds.get(4 * root), s));
                bounds.set(4 * root + 2, Math.max(bounds.get(4 * root + 2), x));
                bounds.set(4 * root + 3, y + 1);
                cur.add(s);
                cur.add(x);
                cur.add(label);
            }
            spillOut.writeInt(cur.size / 3);
            for (int i = 0; i < cur.size; i++) {
                spillOut.writeInt(cur.get(i));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the region scan's spill", e);
        }
        previous = cur;
        current = prev;
        rowsSeen++;
    }

    private int newLabel(int x, int y) {
        int label = parent.size;
        parent.add(label);
        area.add(0);
        levelSum.add(0);
        maxLevel.add(0);
        bounds.add(x);
        bounds.add(y);
        bounds.add(x);
        bounds.add(y + 1);
        return label;
    }

    /**
     * Ends the scan (every row given): scores the components and decides which are kept. A component's root is its
     * smallest label, that of its first run in scan order, so regions come in the scan order of their first pixel.
     */
    public void finish() {
        if (regions != null) {
            return;
        }
        if (rowsSeen != height) {
            throw new IllegalStateException("only " + rowsSeen + " of " + height + " rows scanned");
        }
        try {
            spillOut.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the region scan's spill", e);
        }
        int labels = parent.size;
        double best = 0;
        for (int r = 0; r < labels; r++) {
            if (parent.get(r) == r && area.get(r) >= rule.minArea()) {
                best = Math.max(best, mean(r));
            }
        }
        keptRoot = new boolean[labels];
        regions = new ArrayList<>();
        regionRoots = new ArrayList<>();
        for (int r = 0; r < labels; r++) {
            if (parent.get(r) != r) {
                continue;
            }
            double mean = mean(r);
            keptRoot[r] = area.get(r) >= rule.minArea() && mean >= rule.keepRatio() * best;
            int[] b = {bounds.get(4 * r), bounds.get(4 * r + 1), bounds.get(4 * r + 2), bounds.get(4 * r + 3)};
            regions.add(new Region(area.get(r), mean, maxLevel.get(r) / 255.0, b, keptRoot[r]));
            regionRoots.add(r);
        }
    }

    /** Mean probability of root {@code r}'s pixels, from the exact sum of their levels. */
    private double mean(int r) {
        return levelSum.get(r) / (255.0 * area.get(r));
    }

    /** Every component above the threshold, kept or not, in scan order of their first pixel. */
    public List<Region> all() {
        requireFinished();
        return List.copyOf(regions);
    }

    /** The kept components, best mean probability first. */
    public List<Region> kept() {
        requireFinished();
        return regions.stream().filter(Region::kept)
                .sorted(Comparator.comparingDouble(Region::meanProbability).reversed()).toList();
    }

    /** Writes the kept components as a single-band 8-bit mask, 255 = target, 0 = background, row by row. */
    public void writeMask(StripTiffWriter writer) {
        replay(writer::writeRow);
    }

    /** Hands the mask's rows (255 = kept component, 0 = not), top to bottom, to {@code rows}. */
    public void replay(Consumer<byte[]> rows) {
        finish();
        Map<Integer, IntList> runs = keptRuns == null ? new HashMap<>() : null;
        byte[] row = new byte[width];
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(spill.input(), 1 << 16))) {
            for (int y = 0; y < height; y++) {
                Arrays.fill(row, (byte) 0);
                int n = in.readInt();
                for (int i = 0; i < n; i++) {
                    int start = in.readInt();
                    int end = in.readInt();
                    int root = findRoot(in.readInt());
                    if (keptRoot[root]) {
                        Arrays.fill(row, start, end, (byte) 255);
                        if (runs != null) {
                            IntList list = runs.computeIfAbsent(root, k -> new IntList());
                            list.add(y);
                            list.add(start);
                            list.add(end);
                        }
                    }
                }
                if (rows != null) {
                    rows.accept(row);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the region scan's spill", e);
        }
        if (runs != null) {
            keptRuns = runs;
        }
    }

    /**
     * Polygon (pixel corner coordinates) of each kept component, in the order of {@link #kept()}: the union of its
     * row runs, in scan order.
     */
    public List<Geometry> keptPixelPolygons(GeometryFactory factory) {
        if (keptRuns == null) {
            replay(null);
        }
        List<Geometry> out = new ArrayList<>();
        for (Region region : kept()) {
            int root = regionRoots.get(regions.indexOf(region));
            IntList runs = keptRuns.getOrDefault(root, new IntList());
            List<Geometry> boxes = new ArrayList<>(runs.size / 3);
            for (int i = 0; i < runs.size; i += 3) {
                int y = runs.get(i);
                boxes.add(box(factory, runs.get(i + 1), y, runs.get(i + 2), y + 1));
            }
            Geometry union = UnaryUnionOp.union(boxes);
            out.add(union.isValid() ? union : GeometryFixer.fix(union));
        }
        return out;
    }

    /** Deletes the spill. */
    @Override
    public void close() {
        try {
            spillOut.close();
        } catch (IOException e) {
            // the spill is deleted below whatever its stream says
        }
        spill.delete();
    }

    private void requireFinished() {
        if (regions == null) {
            throw new IllegalStateException("the region scan is not finished");
        }
    }

    private static Polygon box(GeometryFactory f, double x0, double y0, double x1, double y1) {
        return f.createPolygon(new org.locationtech.jts.geom.Coordinate[] {
            new org.locationtech.jts.geom.Coordinate(x0, y0), new org.locationtech.jts.geom.Coordinate(x1, y0),
            new org.locationtech.jts.geom.Coordinate(x1, y1), new org.locationtech.jts.geom.Coordinate(x0, y1),
            new org.locationtech.jts.geom.Coordinate(x0, y0)});
    }

    private int findRoot(int i) {
        while (parent.get(i) != i) {
            parent.set(i, parent.get(parent.get(i)));
            i = parent.get(i);
        }
        return i;
    }

    /** Joins two labels' components: the smaller root stays, taking the other's statistics. */
    private int union(int a, int b) {
        int ra = findRoot(a);
        int rb = findRoot(b);
        if (ra == rb) {
            return ra;
        }
        int root = Math.min(ra, rb);
        int child = Math.max(ra, rb);
        parent.set(child, root);
        area.set(root, area.get(root) + area.get(child));
        levelSum.set(root, levelSum.get(root) + levelSum.get(child));
        maxLevel.set(root, Math.max(maxLevel.get(root), maxLevel.get(child)));
        bounds.set(4 * root, Math.min(bounds.get(4 * root), bounds.get(4 * child)));
        bounds.set(4 * root + 1, Math.min(bounds.get(4 * root + 1), bounds.get(4 * child + 1)));
        bounds.set(4 * root + 2, Math.max(bounds.get(4 * root + 2), bounds.get(4 * child + 2)));
        bounds.set(4 * root + 3, Math.max(bounds.get(4 * root + 3), bounds.get(4 * child + 3)));
        return root;
    }

    /** Where the runs wait for the replay: a temporary file, or memory for a single image. */
    private interface RunSpill {
        OutputStream output();

        InputStream input() throws IOException;

        void delete();

        static RunSpill inMemory() {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            return new RunSpill() {
                @Override
                public OutputStream output() {
                    return bytes;
                }

                @Override
                public InputStream input() {
                    return new ByteArrayInputStream(bytes.toByteArray());
                }

                @Override
                public void delete() {}
            };
        }

        static RunSpill temporaryFile() {
            try {
                Path file = Files.createTempFile("rrsis4j-regions-", ".runs");
                OutputStream out = Files.newOutputStream(file);
                return new RunSpill() {
                    @Override
                    public OutputStream output() {
                        return out;
                    }

                    @Override
                    public InputStream input() throws IOException {
                        return Files.newInputStream(file);
                    }

                    @Override
                    public void delete() {
                        try {
                            out.close();
                            Files.deleteIfExists(file);
                        } catch (IOException e) {
                            file.toFile().deleteOnExit();
                        }
                    }
                };
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make a temporary file for the region scan", e);
            }
        }
    }

    /** Growable int array (runs can number in the millions for a noisy map). */
    private static final class IntList {
        int[] data = new int[64];
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
    }

    /** Growable long array. */
    private static final class LongList {
        long[] data = new long[64];
        int size;

        void add(long v) {
            if (size == data.length) {
                data = Arrays.copyOf(data, size * 2);
            }
            data[size++] = v;
        }

        long get(int i) {
            return data[i];
        }

        void set(int i, long v) {
            data[i] = v;
        }
    }
}
