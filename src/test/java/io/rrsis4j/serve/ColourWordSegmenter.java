package io.rrsis4j.serve;

import io.rrsis4j.infer.Segmenter;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test double for the model: the sentence's colour word ("red", "green", "blue") selects the pixels of that
 * dominant colour (probability 0.9), all others get 0.1; without a colour word every pixel gets 0.1.
 * Optionally blocks each call on a latch, to hold the worker busy.
 */
class ColourWordSegmenter implements Segmenter {
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger largestBatch = new AtomicInteger();
    final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release;

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

    @Override
    public int inputSize() {
        return 64;
    }
}
