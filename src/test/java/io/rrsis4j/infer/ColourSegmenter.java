package io.rrsis4j.infer;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Test double of {@link Segmenter}, not a model: the probability of a pixel is how strongly it shows the colour
 * named in the sentence ("red" or "blue"): (named channel - max(other channels)) / 170, clipped to [0, 1].
 * Sentences naming neither colour give 0 everywhere. Counts calls and tiles to check batching.
 */
public final class ColourSegmenter implements Segmenter {

    int calls;
    int tiles;

    @Override
    public List<float[]> targetProbability(List<BufferedImage> images, List<String> sentences) {
        calls++;
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            BufferedImage image = images.get(i);
            String s = sentences.get(i).toLowerCase(Locale.ROOT);
            int channel = s.contains("red") ? 0 : s.contains("blue") ? 2 : -1;
            int w = image.getWidth();
            int h = image.getHeight();
            int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
            float[] p = new float[w * h];
            for (int k = 0; k < p.length && channel >= 0; k++) {
                int[] c = {(argb[k] >> 16) & 0xFF, (argb[k] >> 8) & 0xFF, argb[k] & 0xFF};
                int others = channel == 0 ? Math.max(c[1], c[2]) : Math.max(c[0], c[1]);
                p[k] = Math.max(0f, Math.min(1f, (c[channel] - others) / 170f));
            }
            out.add(p);
            tiles++;
        }
        return out;
    }

    @Override
    public int inputSize() {
        return 480;
    }
}
