package io.rrsis4j.infer;

import io.rrsis4j.data.BinaryMask;
import io.rrsis4j.data.Images;
import io.rrsis4j.data.text.TokenizedSentence;
import io.rrsis4j.io.files.OutputSet;
import io.rrsis4j.model.WordAttention;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where each word of a sentence looks in the image: the text-to-image attention of each BSC stage
 * ({@link WordAttention}), word pieces merged into their words ([CLS] and [SEP] left out), upsampled over the image,
 * drawn as heatmaps with the word as the caption.
 */
public final class WordMaps {
    /** The picture of all words, the last file {@link #write} writes. */
    public static final String CONTACT_SHEET = "contact-sheet.png";

    static final int PANEL = 160;
    private static final int PAD = 6;

    /** One word's maps at the image's size, each summing to 1: one per BSC stage (finest first), and their mean. */
    public record WordMap(String word, List<float[]> stages, float[] mean, int width, int height) {
        /** {@link #targetRatio(float[], BinaryMask)} of the mean of the stages. */
        public double targetRatio(BinaryMask target) {
            return WordMaps.targetRatio(mean, target);
        }
    }

    /**
     * The share of a map's mass (it sums to 1) on the mask, divided by the mask's share of the image: 1 = no
     * preference for the target, above 1 = it looks at the target more than at the rest. NaN for an empty mask.
     */
    public static double targetRatio(float[] map, BinaryMask target) {
        byte[] px = target.pixels();
        double mass = 0;
        int inside = 0;
        for (int i = 0; i < px.length; i++) {
            if (px[i] != 0) {
                mass += map[i];
                inside++;
            }
        }
        return inside == 0 ? Double.NaN : mass / ((double) inside / px.length);
    }

    private WordMaps() {}

    /** The maps of every word the model saw (a sentence cut at the token limit loses its last words). */
    public static List<WordMap> of(WordAttention attention, int width, int height) {
        TokenizedSentence sentence = attention.sentence();
        int[] wordOf = sentence.wordOfPiece();
        List<WordMap> out = new ArrayList<>();
        for (int w = 0; w < sentence.words().size(); w++) {
            List<float[]> stages = new ArrayList<>();
            float[] mean = new float[width * height];
            for (WordAttention.Stage stage : attention.stages()) {
                float[] merged = null;
                for (int t = 0; t < wordOf.length; t++) {
                    if (wordOf[t] == w) {
                        merged = add(merged, stage.maps()[t]);
                    }
                }
                if (merged == null) {
                    break;
                }
                float[] up = normalised(upsample(merged, stage.width(), stage.height(), width, height));
                stages.add(up);
                for (int i = 0; i < mean.length; i++) {
                    mean[i] += up[i] / attention.stages().size();
                }
            }
            if (!stages.isEmpty()) {
                out.add(new WordMap(sentence.words().get(w), stages, mean, width, height));
            }
        }
        return out;
    }

    private static float[] add(float[] sum, float[] map) {
        float[] out = sum == null ? new float[map.length] : sum;
        for (int i = 0; i < map.length; i++) {
            out[i] += map[i];
        }
        return out;
    }

    private static float[] normalised(float[] map) {
        double sum = 0;
        for (float v : map) {
            sum += v;
        }
        for (int i = 0; i < map.length; i++) {
            map[i] = (float) (map[i] / sum);
        }
        return map;
    }

    /** Bilinear resampling, pixel centres aligned (as torch's align_corners=false), edges clamped. */
    static float[] upsample(float[] map, int w, int h, int width, int height) {
        float[] out = new float[width * height];
        for (int y = 0; y < height; y++) {
            double sy = Math.min(Math.max((y + 0.5) * h / height - 0.5, 0), h - 1);
            int y0 = (int) sy;
            int y1 = Math.min(y0 + 1, h - 1);
            double fy = sy - y0;
            for (int x = 0; x < width; x++) {
                double sx = Math.min(Math.max((x + 0.5) * w / width - 0.5, 0), w - 1);
                int x0 = (int) sx;
                int x1 = Math.min(x0 + 1, w - 1);
                double fx = sx - x0;
                double top = map[y0 * w + x0] * (1 - fx) + map[y0 * w + x1] * fx;
                double bottom = map[y1 * w + x0] * (1 - fx) + map[y1 * w + x1] * fx;
                out[y * width + x] = (float) (top * (1 - fy) + bottom * fy);
            }
        }
        return out;
    }

    /** One word's picture: the word as the caption, then a heatmap per stage and the mean, side by side. */
    public static BufferedImage picture(BufferedImage image, WordMap map) {
        List<float[]> panels = new ArrayList<>(map.stages());
        panels.add(map.mean());
        BufferedImage first = Captions.fit(image, PANEL);
        int header = 22;
        int width = PAD + panels.size() * (first.getWidth() + PAD);
        int height = header + first.getHeight() + PAD;
        BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Captions.titled(canvas, "\u201c" + map.word() + "\u201d", PAD, 16);
        g.setFont(Captions.FONT);
        for (int i = 0; i < panels.size(); i++) {
            BufferedImage panel = heat(first, panels.get(i), map.width(), map.height());
            int x = PAD + i * (first.getWidth() + PAD);
            g.drawImage(panel, x, header, null);
            Captions.label(g, i < map.stages().size() ? "BSC stage " + (i + 1) : "mean of stages", x + 2, header + 2);
        }
        g.dispose();
        return canvas;
    }

    /** The panel darkened, with the map (scaled to its maximum) in a black-red-yellow ramp over it. */
    static BufferedImage heat(BufferedImage panel, float[] map, int mapWidth, int mapHeight) {
        int w = panel.getWidth();
        int h = panel.getHeight();
        float max = 0;
        for (float v : map) {
            max = Math.max(max, v);
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int mx = Math.min(mapWidth - 1, x * mapWidth / w);
                int my = Math.min(mapHeight - 1, y * mapHeight / h);
                double v = max > 0 ? map[my * mapWidth + mx] / max : 0;
                out.setRGB(x, y, Gallery.blend(Gallery.blend(panel.getRGB(x, y), Color.BLACK, 0.45), ramp(v), 0.15 + 0.6 * v));
            }
        }
        return out;
    }

    private static Color ramp(double v) {
        double r = Math.min(1, v * 2);
        double g = Math.max(0, v * 2 - 1);
        return new Color((float) r, (float) g, (float) (0.2 * (1 - v)));
    }

    /** All words' pictures stacked, one row each. */
    public static BufferedImage contactSheet(List<BufferedImage> pictures) {
        int width = pictures.stream().mapToInt(BufferedImage::getWidth).max().orElse(1);
        int height = Math.max(1, pictures.stream().mapToInt(BufferedImage::getHeight).sum());
        BufferedImage sheet = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setColor(Captions.PAPER);
        g.fillRect(0, 0, width, height);
        int y = 0;
        for (BufferedImage p : pictures) {
            g.drawImage(p, 0, y, null);
            y += p.getHeight();
        }
        g.dispose();
        return sheet;
    }

    /**
     * Writes DIR/NN-WORD.png per word and DIR/contact-sheet.png with all of them; returns the files, the sheet last.
     */
    public static List<Path> write(BufferedImage image, List<WordMap> maps, Path dir) throws IOException {
        try (OutputSet outputs = new OutputSet()) {
            List<Path> files = write(image, maps, dir, outputs);
            outputs.commit();
            return files;
        }
    }

    /**
     * As {@link #write(BufferedImage, List, Path)}, as outputs of {@code outputs}: they are committed, or left
     * unwritten, with the run's other outputs.
     */
    public static List<Path> write(BufferedImage image, List<WordMap> maps, Path dir, OutputSet outputs)
            throws IOException {
        List<Path> files = new ArrayList<>();
        List<BufferedImage> pictures = new ArrayList<>();
        for (int i = 0; i < maps.size(); i++) {
            BufferedImage p = picture(image, maps.get(i));
            pictures.add(p);
            Path file = dir.resolve(String.format(Locale.ROOT, "%02d-%s.png", i + 1, fileName(maps.get(i).word())));
            outputs.write(file, tmp -> Images.write(p, "png", tmp));
            files.add(file);
        }
        Path sheet = dir.resolve(CONTACT_SHEET);
        BufferedImage contact = contactSheet(pictures);
        outputs.write(sheet, tmp -> Images.write(contact, "png", tmp));
        files.add(sheet);
        return files;
    }

    /** The word as a file name: letters and digits kept, anything else (punctuation, slashes) as "_". */
    static String fileName(String word) {
        String s = word.replaceAll("[^\\p{L}\\p{N}]", "_");
        return s.length() > 40 ? s.substring(0, 40) : s;
    }
}
