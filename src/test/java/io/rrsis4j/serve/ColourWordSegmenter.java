package io.rrsis4j.serve;

import io.rrsis4j.infer.Segmenter;
import io.rrsis4j.infer.WordMaps;
import io.rrsis4j.model.runtime.Predictor.ImagePrediction;
import io.rrsis4j.model.runtime.Presence;
import io.rrsis4j.model.runtime.PresenceRule;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test double for the model: the sentence's colour word ("red", "green", "blue") selects the pixels of that
 * dominant colour (probability 0.9), all others get 0.1; without a colour word every pixel gets 0.1.
 * Optionally blocks each call on a latch, to hold the worker busy. With {@link #withPresence()} it acts as a generalized
 * model: presence 0.9 when some pixel has the colour, else 0.1 and (by the default presence rule) no target at all.
 */
class ColourWordSegmenter implements Segmenter {
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger largestBatch = new AtomicInteger();
    final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release;
    private boolean wordMaps;
    private boolean presence;

    ColourWordSegmenter() {
        this(null);
    }

    ColourWordSegmenter(CountDownLatch release) {
        this.release = release;
    }

    @Override
    public List<float[]> targetProbability(List<BufferedImage> images, List<String> sentences) {
        calls.incrementAndGet();
        largestBatch.accumulateAndGet(images.size(), Math::max);
        entered.countDown();
        if (release != null) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            out.add(probability(images.get(i), sentences.get(i)));
        }
        return out;
    }

    static float[] probability(BufferedImage image, String sentence) {
        String s = sentence.toLowerCase(Locale.ROOT);
        int channel = s.contains("red") ? 0 : s.contains("green") ? 1 : s.contains("blue") ? 2 : -1;
        float[] p = new float[image.getWidth() * image.getHeight()];
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int[] c = {(rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255};
                boolean match = channel >= 0 && c[channel] > 150
                        && c[(channel + 1) % 3] < 100 && c[(channel + 2) % 3] < 100;
                p[y * image.getWidth() + x] = match ? 0.9f : 0.1f;
            }
        }
        return p;
    }

    /** With a presence head, judged by the default {@link PresenceRule}. */
    ColourWordSegmenter withPresence() {
        presence = true;
        return this;
    }

    @Override
    public List<ImagePrediction> predict(List<BufferedImage> images, List<String> sentences) {
        List<float[]> probabilities = targetProbability(images, sentences);
        List<ImagePrediction> out = new ArrayList<>();
        for (float[] p : probabilities) {
            if (!presence) {
                out.add(new ImagePrediction(p, Presence.UNJUDGED));
                continue;
            }
            boolean any = false;
            for (float v : p) {
                any |= v > 0.5f;
            }
            Presence verdict = PresenceRule.defaults().judge(any ? 0.9 : 0.1);
            if (verdict.absent()) {
                java.util.Arrays.fill(p, 0f);
            }
            out.add(new ImagePrediction(p, verdict));
        }
        return out;
    }

    /** With word maps on: each word's map is where its own colour is (uniform for other words), in two stages. */
    ColourWordSegmenter withWordMaps() {
        wordMaps = true;
        return this;
    }

    @Override
    public List<WordMaps.WordMap> wordMaps(BufferedImage image, String sentence) {
        if (!wordMaps) {
            return Segmenter.super.wordMaps(image, sentence);
        }
        List<WordMaps.WordMap> maps = new ArrayList<>();
        for (String word : sentence.toLowerCase(Locale.ROOT).split("\\s+")) {
            float[] p = probability(image, word);
            float sum = 0;
            for (float v : p) {
                sum += v;
            }
            for (int i = 0; i < p.length; i++) {
                p[i] /= sum;
            }
            maps.add(new WordMaps.WordMap(word, List.of(p, p), p, image.getWidth(), image.getHeight()));
        }
        return maps;
    }

    @Override
    public int inputSize() {
        return 64;
    }
}
