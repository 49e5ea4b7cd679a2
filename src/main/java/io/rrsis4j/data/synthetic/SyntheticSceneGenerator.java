package io.rrsis4j.data.synthetic;

import io.rrsis4j.data.BinaryMask;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Draws aerial-looking RGB scenes (textured ground, water, a road, buildings with shadows, vehicles,
 * round storage tanks, trees, ships, airplanes, tennis courts) with exact object masks and referring
 * expressions, deterministic by seed. Sizes are relative to the image side, so that at 96-128 px
 * every target still covers a few percent of the image and a small model can learn the scenes.
 *
 * <p>Masks are exact: every pixel remembers which object painted it last, and an object's mask is the
 * set of pixels it owns in the final image. Shadows darken pixels without taking them over.
 */
public final class SyntheticSceneGenerator {
    /** Categories that can be referred to; names as in RRSIS-D / RefSegRS. */
    public static final List<String> CATEGORIES =
            List.of("storage tank", "vehicle", "building", "tennis court", "ship", "airplane", "tree", "road");

    /** Colour words and their RGB, per category: distinct within a category so that colour can single one out. */
    static final Map<String, Map<String, Integer>> PALETTE = Map.of(
            "vehicle", Map.of("red", 0xC82020, "white", 0xF0F0F0, "blue", 0x2040C8, "black", 0x181818, "yellow", 0xE8C820),
            "building", Map.of("red", 0xA83828, "white", 0xE0E0DA, "grey", 0x808080, "brown", 0x6E4A2C, "blue", 0x3C5AA0),
            "storage tank", Map.of("white", 0xECECEC, "grey", 0x9A9A9A),
            "tennis court", Map.of("green", 0x2E8C46, "blue", 0x2A5AAA, "red", 0xB0503C),
            "ship", Map.of("white", 0xF2F2F2, "grey", 0x8C8C8C, "red", 0xB42828),
            "airplane", Map.of("white", 0xF4F4F4, "grey", 0xA0A0A8),
            "tree", Map.of("green", 0x1E5A1E),
            "road", Map.of("grey", 0x5A5A5C));
    static final List<String> COLOUR_WORDS = PALETTE.values().stream()
            .flatMap(m -> m.keySet().stream()).distinct().sorted().toList();

    private static final int[] GROUNDS = {0xA89C78, 0x8C9468, 0xB0A084, 0x98A070};
    private static final int WATER = 0x2E5068;
    /** Categories that stand on land, drawn as scene objects. */
    private static final List<String> LAND = List.of("storage tank", "vehicle", "building", "tennis court", "airplane", "tree");

    /** A scene holds at most this many sentences owed to a share beyond what the scene itself asks for. */
    private static final double MAX_OWED = 6;

    private final int maxTargetsPerScene;
    private final int maxSentencesPerTarget;
    private final double multiShare;
    private final double noTargetShare;

    public SyntheticSceneGenerator() {
        this(3, 3);
    }

    public SyntheticSceneGenerator(int maxTargetsPerScene, int maxSentencesPerTarget) {
        this(maxTargetsPerScene, maxSentencesPerTarget, 0, 0);
    }

    /**
     * @param multiShare share of all sentences that name several objects (0 to 1)
     * @param noTargetShare share of all sentences that name no object of the scene (0 to 1; the two below 1 together)
     */
    public SyntheticSceneGenerator(int maxTargetsPerScene, int maxSentencesPerTarget, double multiShare, double noTargetShare) {
        if (!(multiShare >= 0 && noTargetShare >= 0 && multiShare + noTargetShare < 1)) {
            throw new IllegalArgumentException("multi-target and no-target shares must be >= 0 with a sum below 1, got "
                    + multiShare + " and " + noTargetShare);
        }
        this.maxTargetsPerScene = maxTargetsPerScene;
        this.maxSentencesPerTarget = maxSentencesPerTarget;
        this.multiShare = multiShare;
        this.noTargetShare = noTargetShare;
    }

    /** Whether scenes get multi-target or no-target sentences. */
    public boolean isGeneralized() {
        return multiShare > 0 || noTargetShare > 0;
    }

    /**
     * Sentences owed to the shares: a scene that cannot give as many multi-target or no-target sentences as its share
     * asks for (too few objects alike) leaves the rest to the next scenes, so the shares hold over a set.
     */
    private static final class Owed {
        double multi;
        double none;
    }

    /** {@code count} scenes of {@code size} x {@code size} pixels; the same seed gives the same scenes. */
    public List<SyntheticScene> generate(int count, int size, long seed) {
        List<SyntheticScene> scenes = new ArrayList<>(count);
        oneByOne(count, size, seed).forEachRemaining(scenes::add);
        return scenes;
    }

    /**
     * The scenes of {@link #generate} with the same arguments, one at a time: each is painted when asked for, so a
     * caller that writes and drops them holds one scene in memory whatever the count.
     */
    public java.util.Iterator<SyntheticScene> oneByOne(int count, int size, long seed) {
        if (size < 32) {
            throw new IllegalArgumentException("scene size must be at least 32 pixels, got " + size);
        }
        SplittableRandom root = new SplittableRandom(seed);
        Owed owed = new Owed();
        return new java.util.Iterator<>() {
            private int made;

            @Override
            public boolean hasNext() {
                return made < count;
            }

            @Override
            public SyntheticScene next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                made++;
                return scene(size, root.nextLong(), owed);
            }
        };
    }

    /** One scene; retries with a derived seed in the rare case that no object can be described uniquely. */
    public SyntheticScene scene(int size, long seed) {
        return scene(size, seed, new Owed());
    }

    private SyntheticScene scene(int size, long seed, Owed owed) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (int attempt = 0; attempt < 100; attempt++) {
            SyntheticScene s = new Painter(size, rng.split(), owed).paint();
            if (!s.targets().isEmpty()) {
                return s;
            }
        }
        throw new IllegalStateException("no describable scene of " + size + " px after 100 attempts (seed " + seed + ")");
    }

    /** Paints one scene into an int RGB raster plus an owner map (object index per pixel, -1 = background). */
    private final class Painter {
        final int size;
        final double u;
        final SplittableRandom rng;
        final int[] rgb;
        final int[] owner;
        final boolean[] water;
        final List<String> categories = new ArrayList<>();
        final List<String> colours = new ArrayList<>();
        final List<String> orientations = new ArrayList<>();
        final List<Boolean> onRoad = new ArrayList<>();
        final List<Rectangle> reserved = new ArrayList<>();
        final Owed owed;
        int roadIndex = -1;
        Rectangle road;

        Painter(int size, SplittableRandom rng, Owed owed) {
            this.size = size;
            this.owed = owed;
            this.u = size / 128.0;
            this.rng = rng;
            this.rgb = new int[size * size];
            this.owner = new int[size * size];
            this.water = new boolean[size * size];
            java.util.Arrays.fill(owner, -1);
        }

        SyntheticScene paint() {
            ground();
            boolean hasWater = rng.nextDouble() < 0.3;
            if (hasWater) {
                water();
            } else if (rng.nextDouble() < 0.5) {
                road();
            }
            int wanted = 3 + rng.nextInt(5) - (roadIndex >= 0 ? 1 : 0);
            // Two or three categories per scene, so that most targets share theirs with a distractor.
            List<String> pool = new ArrayList<>(LAND);
            List<String> chosen = new ArrayList<>();
            if (hasWater) {
                chosen.add("ship");
            }
            if (roadIndex >= 0) {
                chosen.add("vehicle");
                pool.remove("vehicle");
            }
            int kinds = 2 + rng.nextInt(2);
            while (chosen.size() < kinds) {
                chosen.add(pool.remove(rng.nextInt(pool.size())));
            }
            int failures = 0;
            for (int placed = 0; placed < wanted && failures < 6; ) {
                if (place(chosen.get(rng.nextInt(chosen.size())))) {
                    placed++;
                } else {
                    failures++;
                }
            }
            return finish();
        }

        void ground() {
            int base = GROUNDS[rng.nextInt(GROUNDS.length)];
            int cells = 6;
            double[] coarse = new double[(cells + 1) * (cells + 1)];
            for (int i = 0; i < coarse.length; i++) {
                coarse[i] = rng.nextDouble() * 2 - 1;
            }
            for (int y = 0; y < size; y++) {
                double gy = y * cells / (double) size;
                int y0 = (int) gy;
                double fy = gy - y0;
                for (int x = 0; x < size; x++) {
                    double gx = x * cells / (double) size;
                    int x0 = (int) gx;
                    double fx = gx - x0;
                    double n = (coarse[y0 * (cells + 1) + x0] * (1 - fx) + coarse[y0 * (cells + 1) + x0 + 1] * fx) * (1 - fy)
                            + (coarse[(y0 + 1) * (cells + 1) + x0] * (1 - fx)
                                    + coarse[(y0 + 1) * (cells + 1) + x0 + 1] * fx) * fy;
                    rgb[y * size + x] = shade(base, (int) (n * 14) + rng.nextInt(11) - 5);
                }
            }
        }

        /** A water body along one edge with a wavy shore; ships sail on it, nothing else may touch it. */
        void water() {
            int side = rng.nextInt(4);
            double depth = size * (0.35 + 0.1 * rng.nextDouble());
            double phase = rng.nextDouble() * Math.PI * 2;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int along = side < 2 ? y : x;
                    int across = switch (side) {
                        case 0 -> x;
                        case 1 -> size - 1 - x;
                        case 2 -> y;
                        default -> size - 1 - y;
                    };
                    double shore = depth + 4 * u * Math.sin(phase + along * 2 * Math.PI / (size * 0.6));
                    if (across < shore) {
                        water[y * size + x] = true;
                        rgb[y * size + x] = shade(WATER, rng.nextInt(7) - 3);
                    }
                }
            }
        }

        /** A straight road across the image with a dashed centre line; it is an object of its own. */
        void road() {
            boolean horizontal = rng.nextBoolean();
            int width = (int) Math.round((24 + rng.nextInt(5)) * u);
            int at = (int) (size * (0.3 + 0.4 * rng.nextDouble()));
            road = horizontal ? new Rectangle(0, at - width / 2, size, width) : new Rectangle(at - width / 2, 0, width, size);
            roadIndex = categories.size();
            add("road", "grey", horizontal ? "horizontal" : "vertical", false);
            int colour = PALETTE.get("road").get("grey");
            int dash = Math.max(3, (int) (6 * u));
            int line = Math.max(1, (int) Math.round(u));
            for (int y = road.y; y < road.y + road.height; y++) {
                for (int x = road.x; x < road.x + road.width; x++) {
                    int along = horizontal ? x : y;
                    int across = horizontal ? y - (at - line / 2) : x - (at - line / 2);
                    boolean marking = across >= 0 && across < line && (along / dash) % 2 == 0;
                    rgb[y * size + x] = marking ? 0xE6E6E6 : shade(colour, rng.nextInt(7) - 3);
                    owner[y * size + x] = roadIndex;
                }
            }
            reserved.add(road);
        }

        void add(String category, String colour, String orientation, boolean parked) {
            categories.add(category);
            colours.add(colour);
            orientations.add(orientation);
            onRoad.add(parked);
        }

        /** Tries a few random poses for one object of the category; paints it at the first free one. */
        boolean place(String category) {
            Map<String, Integer> palette = PALETTE.get(category);
            List<String> names = palette.keySet().stream().sorted().toList();
            String colour = names.get(rng.nextInt(names.size()));
            for (int attempt = 0; attempt < 30; attempt++) {
                boolean parked = category.equals("vehicle") && road != null && rng.nextDouble() < 0.5;
                Body body = body(category, parked);
                Rectangle box = body.outline.getBounds();
                int margin = (int) Math.ceil(2 * u);
                Rectangle free = new Rectangle(box.x - margin, box.y - margin, box.width + 2 * margin, box.height + 2 * margin);
                if (box.x < 1 || box.y < 1 || box.x + box.width >= size - 1 || box.y + box.height >= size - 1) {
                    continue;
                }
                if (!fits(free, box, parked, category.equals("ship"))) {
                    continue;
                }
                int index = categories.size();
                add(category, colour, "", parked);
                paintBody(body, palette.get(colour), index);
                reserved.add(free);
                return true;
            }
            return false;
        }

        boolean fits(Rectangle free, Rectangle box, boolean parked, boolean ship) {
            for (Rectangle r : reserved) {
                if (r == road) {
                    boolean inside = road.contains(box);
                    if (parked ? !inside : r.intersects(free)) {
                        return false;
                    }
                } else if (r.intersects(free)) {
                    return false;
                }
            }
            for (int y = Math.max(0, free.y); y < Math.min(size, free.y + free.height); y++) {
                for (int x = Math.max(0, free.x); x < Math.min(size, free.x + free.width); x++) {
                    if (water[y * size + x] != ship) {
                        return false;
                    }
                }
            }
            return true;
        }

        /** The object's silhouette, the detail painter, and how far its shadow falls. */
        record Body(Shape outline, java.util.function.BiConsumer<Graphics2D, Color> details, double shadow) {}

        Body body(String category, boolean parked) {
            double cx = size * (0.1 + 0.8 * rng.nextDouble());
            double cy = size * (0.1 + 0.8 * rng.nextDouble());
            double angle = rng.nextDouble() * Math.PI;
            switch (category) {
                case "storage tank": {
                    double r = (9 + rng.nextDouble() * 8) * u;
                    Shape s = new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r);
                    return new Body(s, (g, c) -> {
                        g.setColor(c.darker());
                        g.setStroke(new BasicStroke((float) Math.max(1, u)));
                        double q = r * 0.65;
                        g.draw(new Ellipse2D.Double(cx - q, cy - q, 2 * q, 2 * q));
                    }, 0.35 * r);
                }
                case "vehicle": {
                    double w = (12 + rng.nextDouble() * 3) * u;
                    double l = (24 + rng.nextDouble() * 6) * u;
                    double px = cx;
                    double py = cy;
                    double pa = angle;
                    if (parked) {
                        boolean horizontal = road.width > road.height;
                        pa = horizontal ? Math.PI / 2 : 0;
                        if (horizontal) {
                            py = road.y + road.height / 2.0 + (rng.nextBoolean() ? -1 : 1) * road.height / 4.0;
                        } else {
                            px = road.x + road.width / 2.0 + (rng.nextBoolean() ? -1 : 1) * road.width / 4.0;
                        }
                        w = Math.min(w, (road.width > road.height ? road.height : road.width) / 2.0 - u);
                    }
                    double vx = px;
                    double vy = py;
                    double ww = w;
                    double ll = l;
                    double a = pa;
                    Shape body = new RoundRectangle2D.Double(vx - w / 2, vy - l / 2, w, l, w * 0.4, w * 0.4);
                    AffineTransform rot = AffineTransform.getRotateInstance(a, vx, vy);
                    return new Body(rot.createTransformedShape(body), (g, c) -> {
                        g.setColor(new Color(0x2A3038));
                        g.fill(AffineTransform.getRotateInstance(a, vx, vy).createTransformedShape(
                                new Rectangle2D.Double(vx - ww / 2, vy - ll * 0.28, ww, ll * 0.14)));
                    }, 1.5 * u);
                }
                case "building": {
                    double w = (22 + rng.nextDouble() * 18) * u;
                    double h = (20 + rng.nextDouble() * 16) * u;
                    Area a = new Area(new Rectangle2D.Double(cx - w / 2, cy - h / 2, w, h));
                    if (rng.nextBoolean()) {
                        // An L-shaped house: cut one corner.
                        a.subtract(new Area(new Rectangle2D.Double(cx, cy, w / 2 + 1, h / 2 + 1)));
                    }
                    boolean ridgeAlongX = w > h;
                    return new Body(a, (g, c) -> {
                        g.setColor(c.darker());
                        g.setStroke(new BasicStroke((float) Math.max(1, 1.5 * u)));
                        if (ridgeAlongX) {
                            g.drawLine((int) (cx - w / 2), (int) cy, (int) (cx + w / 2), (int) cy);
                        } else {
                            g.drawLine((int) cx, (int) (cy - h / 2), (int) cx, (int) (cy + h / 2));
                        }
                    }, 5 * u);
                }
                case "tennis court": {
                    double w = (20 + rng.nextDouble() * 5) * u;
                    double l = (34 + rng.nextDouble() * 8) * u;
                    boolean turned = rng.nextBoolean();
                    double bw = turned ? l : w;
                    double bh = turned ? w : l;
                    Shape s = new Rectangle2D.Double(cx - bw / 2, cy - bh / 2, bw, bh);
                    return new Body(s, (g, c) -> {
                        g.setColor(Color.WHITE);
                        g.setStroke(new BasicStroke((float) Math.max(1, u)));
                        double in = 3 * u;
                        g.draw(new Rectangle2D.Double(cx - bw / 2 + in, cy - bh / 2 + in, bw - 2 * in, bh - 2 * in));
                        if (turned) {
                            g.drawLine((int) cx, (int) (cy - bh / 2 + in), (int) cx, (int) (cy + bh / 2 - in));
                        } else {
                            g.drawLine((int) (cx - bw / 2 + in), (int) cy, (int) (cx + bw / 2 - in), (int) cy);
                        }
                    }, 0);
                }
                case "ship": {
                    double w = (9 + rng.nextDouble() * 4) * u;
                    double l = (30 + rng.nextDouble() * 14) * u;
                    Path2D p = new Path2D.Double();
                    p.moveTo(cx - w / 2, cy + l / 2);
                    p.lineTo(cx + w / 2, cy + l / 2);
                    p.lineTo(cx + w / 2, cy - l / 4);
                    p.lineTo(cx, cy - l / 2);
                    p.lineTo(cx - w / 2, cy - l / 4);
                    p.closePath();
                    AffineTransform rot = AffineTransform.getRotateInstance(angle, cx, cy);
                    double a = angle;
                    return new Body(rot.createTransformedShape(p), (g, c) -> {
                        g.setColor(c.darker());
                        g.fill(AffineTransform.getRotateInstance(a, cx, cy).createTransformedShape(
                                new Rectangle2D.Double(cx - w / 4, cy + l * 0.1, w / 2, l * 0.25)));
                    }, 0);
                }
                case "airplane": {
                    double l = (34 + rng.nextDouble() * 12) * u;
                    Area a = new Area(new RoundRectangle2D.Double(cx - 0.08 * l, cy - l / 2, 0.16 * l, l, 0.16 * l, 0.16 * l));
                    Path2D wings = new Path2D.Double();
                    wings.moveTo(cx, cy - 0.15 * l);
                    wings.lineTo(cx + 0.5 * l, cy + 0.1 * l);
                    wings.lineTo(cx + 0.5 * l, cy + 0.18 * l);
                    wings.lineTo(cx, cy + 0.06 * l);
                    wings.lineTo(cx - 0.5 * l, cy + 0.18 * l);
                    wings.lineTo(cx - 0.5 * l, cy + 0.1 * l);
                    wings.closePath();
                    a.add(new Area(wings));
                    a.add(new Area(new Rectangle2D.Double(cx - 0.18 * l, cy + 0.38 * l, 0.36 * l, 0.08 * l)));
                    a.transform(AffineTransform.getRotateInstance(angle, cx, cy));
                    return new Body(a, (g, c) -> {}, 3 * u);
                }
                default: { // tree: a crown of overlapping circles
                    Area a = new Area();
                    int n = 3 + rng.nextInt(3);
                    for (int i = 0; i < n; i++) {
                        double r = (7 + rng.nextDouble() * 4) * u;
                        double ox = (rng.nextDouble() - 0.5) * 14 * u;
                        double oy = (rng.nextDouble() - 0.5) * 14 * u;
                        a.add(new Area(new Ellipse2D.Double(cx + ox - r, cy + oy - r, 2 * r, 2 * r)));
                    }
                    long detailSeed = rng.nextLong();
                    return new Body(a, (g, c) -> {
                        SplittableRandom leaves = new SplittableRandom(detailSeed);
                        g.setColor(c.brighter());
                        Rectangle b = a.getBounds();
                        for (int i = 0; i < 12; i++) {
                            double r = 1.5 * u;
                            g.fill(new Ellipse2D.Double(b.x + leaves.nextDouble() * b.width, b.y + leaves.nextDouble() * b.height, r * 2, r * 2));
                        }
                    }, 4 * u);
                }
            }
        }

        /** Shadow first (darkens, does not own), then the body, whose pixels the object then owns. */
        void paintBody(Body body, int colour, int index) {
            Rectangle box = body.outline.getBounds();
            int pad = (int) Math.ceil(body.shadow) + 2;
            int bx = Math.max(0, box.x - 1);
            int by = Math.max(0, box.y - 1);
            int bw = Math.min(size, box.x + box.width + pad) - bx;
            int bh = Math.min(size, box.y + box.height + pad) - by;
            BufferedImage layer = new BufferedImage(bw, bh, BufferedImage.TYPE_INT_ARGB);
            Graphics2D g = layer.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
            g.translate(-bx, -by);
            if (body.shadow > 0) {
                g.setColor(new Color(0, 0, 0, 1)); // alpha 1 marks shadow
                g.fill(AffineTransform.getTranslateInstance(body.shadow, body.shadow).createTransformedShape(body.outline));
            }
            g.setComposite(java.awt.AlphaComposite.Src);
            Color base = new Color(colour);
            g.setColor(base);
            g.fill(body.outline);
            g.setClip(body.outline);
            body.details.accept(g, base);
            g.dispose();
            int[] px = ((DataBufferInt) layer.getRaster().getDataBuffer()).getData();
            for (int y = 0; y < bh; y++) {
                for (int x = 0; x < bw; x++) {
                    int argb = px[y * bw + x];
                    int alpha = argb >>> 24;
                    if (alpha == 0) {
                        continue;
                    }
                    int i = (by + y) * size + bx + x;
                    if (alpha == 255) {
                        rgb[i] = shade(argb & 0xFFFFFF, rng.nextInt(9) - 4);
                        owner[i] = index;
                    } else if (owner[i] < 0 || owner[i] == roadIndex) {
                        rgb[i] = scale(rgb[i], 0.55);
                    }
                }
            }
        }

        SyntheticScene finish() {
            int n = categories.size();
            byte[][] masks = new byte[n][size * size];
            double[] sx = new double[n];
            double[] sy = new double[n];
            int[] area = new int[n];
            for (int i = 0; i < owner.length; i++) {
                int o = owner[i];
                if (o >= 0) {
                    masks[o][i] = 1;
                    sx[o] += i % size;
                    sy[o] += i / size;
                    area[o]++;
                }
            }
            List<SceneObject> objects = new ArrayList<>();
            for (int o = 0; o < n; o++) {
                objects.add(new SceneObject(categories.get(o), colours.get(o), new BinaryMask(size, size, masks[o]),
                        sx[o] / Math.max(1, area[o]), sy[o] / Math.max(1, area[o]), onRoad.get(o), orientations.get(o)));
            }
            ExpressionWriter writer = new ExpressionWriter(size);
            List<Integer> order = new ArrayList<>();
            for (int o = 0; o < n; o++) {
                order.add(o);
            }
            for (int i = n - 1; i > 0; i--) {
                java.util.Collections.swap(order, i, rng.nextInt(i + 1));
            }
            List<SyntheticScene.Target> targets = new ArrayList<>();
            if (n >= 3) { // fewer objects would leave too few distractors for the sentence to matter
                for (int o : order) {
                    if (targets.size() == maxTargetsPerScene) {
                        break;
                    }
                    List<String> sentences = writer.describe(objects, o, rng, 1 + rng.nextInt(maxSentencesPerTarget));
                    if (!sentences.isEmpty()) {
                        SceneObject t = objects.get(o);
                        targets.add(new SyntheticScene.Target(t.mask(), t.category(), sentences));
                    }
                }
            }
            if (isGeneralized() && !targets.isEmpty()) {
                generalized(objects, targets);
            }
            BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            image.getRaster().setDataElements(0, 0, size, size, rgb);
            return new SyntheticScene(image, List.copyOf(objects), List.copyOf(targets));
        }

        /**
         * Adds multi-target and no-target sentences in proportion to the single-target ones, so that over the set
         * they make up the shares asked for. Uses a random stream of its own: without shares nothing changes.
         */
        void generalized(List<SceneObject> objects, List<SyntheticScene.Target> targets) {
            SplittableRandom extra = rng.split();
            GeneralizedExpressionWriter writer = new GeneralizedExpressionWriter(size);
            int singles = targets.stream().mapToInt(t -> t.sentences().size()).sum();
            double total = singles / (1 - multiShare - noTargetShare);
            owed.multi = Math.min(MAX_OWED + multiShare * total, owed.multi + multiShare * total);
            owed.none = Math.min(MAX_OWED + noTargetShare * total, owed.none + noTargetShare * total);
            java.util.Set<String> used = new java.util.HashSet<>();
            targets.forEach(t -> used.addAll(t.sentences()));
            Map<List<SceneObject>, List<String>> groups = new java.util.LinkedHashMap<>();
            for (GeneralizedExpressionWriter.MultiTarget m : writer.multiTargets(objects, extra)) {
                groups.computeIfAbsent(m.objects(), k -> new ArrayList<>()).add(m.sentence());
            }
            List<List<SceneObject>> order = new ArrayList<>(groups.keySet());
            for (int i = order.size() - 1; i > 0; i--) {
                java.util.Collections.swap(order, i, extra.nextInt(i + 1));
            }
            for (List<SceneObject> group : order) {
                int wanted = (int) Math.min(1 + extra.nextInt(2), Math.floor(owed.multi + extra.nextDouble()));
                List<String> sentences = groups.get(group).stream().filter(used::add).limit(Math.max(0, wanted)).toList();
                if (sentences.isEmpty()) {
                    continue;
                }
                BinaryMask union = new BinaryMask(size, size);
                for (SceneObject o : group) {
                    byte[] u = union.pixels();
                    byte[] p = o.mask().pixels();
                    for (int k = 0; k < u.length; k++) {
                        u[k] |= p[k];
                    }
                }
                targets.add(new SyntheticScene.Target(union, group.get(0).category(), sentences, group.size()));
                owed.multi -= sentences.size();
            }
            for (int attempt = 0; attempt < 6 && owed.none + extra.nextDouble() >= 1; attempt++) {
                java.util.Optional<GeneralizedExpressionWriter.NoTarget> none = writer.noTarget(objects, extra);
                if (none.isPresent() && used.add(none.get().sentence())) {
                    targets.add(new SyntheticScene.Target(new BinaryMask(size, size),
                            none.get().description().category(), List.of(none.get().sentence()), 0));
                    owed.none -= 1;
                }
            }
        }
    }

    private static int shade(int rgb, int delta) {
        int r = clamp(((rgb >> 16) & 255) + delta);
        int g = clamp(((rgb >> 8) & 255) + delta);
        int b = clamp((rgb & 255) + delta);
        return (r << 16) | (g << 8) | b;
    }

    private static int scale(int rgb, double f) {
        return ((int) (((rgb >> 16) & 255) * f) << 16) | ((int) (((rgb >> 8) & 255) * f) << 8) | (int) ((rgb & 255) * f);
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
