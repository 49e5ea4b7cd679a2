package io.rrsis4j.infer;

import io.rrsis4j.data.BinaryMask;
import io.rrsis4j.data.Images;
import io.rrsis4j.data.ReferringSample;
import io.rrsis4j.data.TargetKind;
import io.rrsis4j.eval.SegmentationMetrics;
import io.rrsis4j.model.runtime.Predictor;
import io.rrsis4j.model.runtime.Presence;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The demo's closing picture: a grid of held-out scenes, each with its sentence, the predicted mask filled in
 * orange, the ground truth outlined in cyan and the IoU, and the training curve below. The scenes are drawn by a
 * seeded shuffle, not chosen by their result, so that hits and misses show as often as they happen; in generalized
 * data the kinds of sentence (one object, several, none) take turns, so that each shows. A sentence that names
 * several objects is marked "SEVERAL", one that names none "NO TARGET" (its IoU is GRES's: 1 when nothing is
 * predicted, else 0), and a model's "no target" answer is written on the scene, right or wrong.
 */
public final class Gallery {
    public static final int COLUMNS = 4;
    static final int PANEL = 192;
    private static final int PAD = 8;
    private static final int CAPTION_LINES = 3;
    static final Color PREDICTED = new Color(255, 140, 0);
    static final Color TRUTH = new Color(0, 235, 255);

    /**
     * A scene of the gallery: its IoU (0..1, GRES's for a no-target sentence), what the sentence names and the model's
     * presence verdict.
     */
    public record Entry(ReferringSample sample, double iou, TargetKind kind, Presence presence) {
        public Entry(ReferringSample sample, double iou) {
            this(sample, iou, TargetKind.SINGLE, Presence.UNJUDGED);
        }
    }

    private Gallery() {}

    /**
     * COUNT samples of different images, drawn from SAMPLES by a shuffle with SEED; where the samples say what their
     * sentences name, the kinds take turns (one object, several, none), so each shows whatever its share.
     */
    public static List<ReferringSample> pick(List<ReferringSample> samples, int count, long seed) {
        List<ReferringSample> shuffled = new ArrayList<>(samples);
        Collections.shuffle(shuffled, new Random(seed));
        Map<TargetKind, java.util.Deque<ReferringSample>> byKind = new EnumMap<>(TargetKind.class);
        for (ReferringSample s : shuffled) {
            TargetKind kind = s.targets() == ReferringSample.TARGETS_FROM_MASK ? TargetKind.SINGLE : TargetKind.of(s.targets());
            byKind.computeIfAbsent(kind, k -> new java.util.ArrayDeque<>()).add(s);
        }
        Set<String> images = new HashSet<>();
        List<ReferringSample> picked = new ArrayList<>();
        List<TargetKind> order = List.of(TargetKind.SINGLE, TargetKind.MULTI, TargetKind.NONE);
        boolean any = true;
        while (picked.size() < count && any) {
            any = false;
            for (TargetKind kind : order) {
                java.util.Deque<ReferringSample> queue = byKind.get(kind);
                while (queue != null && !queue.isEmpty() && picked.size() < count) {
                    ReferringSample s = queue.poll();
                    if (images.add(s.imageId())) {
                        picked.add(s);
                        any = true;
                        break;
                    }
                }
            }
        }
        return picked;
    }

    /**
     * Segments each sample and draws the gallery.
     *
     * @param curve the training curve to draw below the grid, or null
     * @param title the line above the grid
     */
    public static Result draw(Predictor predictor, List<ReferringSample> samples, BufferedImage curve, String title)
            throws IOException {
        List<Entry> entries = new ArrayList<>();
        List<BufferedImage> cells = new ArrayList<>();
        for (ReferringSample s : samples) {
            BufferedImage image = Images.read(s.imagePath());
            Predictor.ImagePrediction answer = predictor.predictAtImageSize(List.of(image), List.of(s.sentence())).get(0);
            BinaryMask predicted = BinaryMask.above(answer.probability(), image.getWidth(), image.getHeight(), 0.5f);
            BinaryMask truth = s.mask().load();
            TargetKind kind = s.kindIn(truth);
            double iou;
            if (kind == TargetKind.NONE) {
                iou = predicted.count() == 0 ? 1 : 0; // GRES: a no-target sentence is right only when nothing is found
            } else {
                SegmentationMetrics one = new SegmentationMetrics();
                one.add(predicted, truth);
                iou = one.mIoU();
            }
            Entry entry = new Entry(s, iou, kind, answer.presence());
            entries.add(entry);
            cells.add(cell(image, predicted, truth, entry));
        }
        int rows = (cells.size() + COLUMNS - 1) / COLUMNS;
        int cellW = PANEL + PAD;
        int cellH = cells.isEmpty() ? 0 : cells.get(0).getHeight() + PAD;
        int width = PAD + COLUMNS * cellW;
        int header = 28;
        BufferedImage curveFit = curve == null ? null : Captions.fit(curve, width - 2 * PAD);
        int height = header + rows * cellH + (curveFit == null ? 0 : curveFit.getHeight() + PAD);
        BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Captions.titled(canvas, title, PAD, 19);
        for (int i = 0; i < cells.size(); i++) {
            g.drawImage(cells.get(i), PAD + (i % COLUMNS) * cellW, header + (i / COLUMNS) * cellH, null);
        }
        if (curveFit != null) {
            g.drawImage(curveFit, PAD, header + rows * cellH, null);
        }
        g.dispose();
        return new Result(canvas, entries);
    }

    /** The picture and what it shows. */
    public record Result(BufferedImage picture, List<Entry> entries) {
        public double meanIoU() {
            return entries.stream().mapToDouble(Entry::iou).average().orElse(Double.NaN);
        }
    }

    /**
     * One scene: the image with the masks, the IoU in its corner, the sentence below; the kind of sentence under the
     * IoU when it names several objects or none, and the model's "no target" answer at the bottom.
     */
    static BufferedImage cell(BufferedImage image, BinaryMask predicted, BinaryMask truth, Entry entry) {
        String sentence = entry.sample().sentence();
        double iou = entry.iou();
        BufferedImage panel = Captions.fit(image, PANEL);
        int w = panel.getWidth();
        int h = panel.getHeight();
        BinaryMask p = predicted.resizeNearest(w, h);
        BinaryMask t = truth.resizeNearest(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (p.get(x, y)) {
                    panel.setRGB(x, y, blend(panel.getRGB(x, y), PREDICTED, 0.5));
                }
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (nearEdge(t, x, y)) {
                    panel.setRGB(x, y, TRUTH.getRGB());
                }
            }
        }
        Graphics2D probe = Captions.graphics(panel);
        probe.setFont(Captions.BOLD);
        Captions.label(probe, String.format(Locale.ROOT, "IoU %.2f", iou), 2, 2);
        int line = probe.getFontMetrics().getHeight() + 4;
        if (entry.kind() != TargetKind.SINGLE) {
            Captions.label(probe, entry.kind() == TargetKind.NONE ? "NO TARGET" : "SEVERAL", 2, 2 + line);
        }
        if (entry.presence().absent()) {
            boolean right = entry.kind() == TargetKind.NONE;
            Captions.label(probe, String.format(Locale.ROOT, "said none (%.2f): %s", entry.presence().probability(),
                    right ? "right" : "wrong"), 2, h - line - 2);
        }
        probe.dispose();

        BufferedImage measure = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D mg = measure.createGraphics();
        mg.setFont(Captions.FONT);
        int lineHeight = mg.getFontMetrics().getHeight();
        List<String> lines = Captions.wrap("\u201c" + sentence + "\u201d", mg.getFontMetrics(), PANEL);
        mg.dispose();
        if (lines.size() > CAPTION_LINES) {
            lines = new ArrayList<>(lines.subList(0, CAPTION_LINES));
            lines.set(CAPTION_LINES - 1, lines.get(CAPTION_LINES - 1) + " ...");
        }
        BufferedImage cell = new BufferedImage(PANEL, PANEL + 4 + CAPTION_LINES * lineHeight, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Captions.graphics(cell);
        g.setColor(Captions.PAPER);
        g.fillRect(0, 0, cell.getWidth(), cell.getHeight());
        g.drawImage(panel, 0, 0, null);
        g.setColor(Captions.INK);
        g.setFont(Captions.FONT);
        Captions.draw(g, lines, 0, PANEL + 2);
        g.dispose();
        return cell;
    }

    /** A mask pixel within one pixel of a pixel outside it: a two-pixel outline. */
    private static boolean nearEdge(BinaryMask m, int x, int y) {
        boolean inside = m.get(x, y);
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                int nx = x + dx;
                int ny = y + dy;
                boolean other = nx >= 0 && ny >= 0 && nx < m.width() && ny < m.height() && m.get(nx, ny);
                if (other != inside && (inside || other)) {
                    return true;
                }
            }
        }
        return false;
    }

    static int blend(int rgb, Color c, double a) {
        int r = (int) Math.round(((rgb >> 16) & 0xFF) * (1 - a) + c.getRed() * a);
        int g = (int) Math.round(((rgb >> 8) & 0xFF) * (1 - a) + c.getGreen() * a);
        int b = (int) Math.round((rgb & 0xFF) * (1 - a) + c.getBlue() * a);
        return (r << 16) | (g << 8) | b;
    }

}
