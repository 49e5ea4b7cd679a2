package io.rrsis4j.infer;

import io.rrsis4j.data.BinaryMask;
import io.rrsis4j.data.Images;
import io.rrsis4j.data.ReferringSample;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Do the word maps look at what the sentence names? (A measurement, see {@link WordMapsMeasurement}.) For each sample, the maps of the words that name the target's
 * category ("car", "storage", "tank") are compared with the target's mask: the share of their mass on the target
 * over the target's share of the image ({@link WordMaps#targetRatio}), 1 meaning no preference.
 */
public final class AttentionOnTarget {
    /**
     * @param words naming words measured (a word used twice in a sentence counts twice)
     * @param meanRatio mean ratio of the maps averaged over the stages
     * @param medianRatio their median
     * @param shareAboveOne share of those maps with a ratio above 1
     * @param meanRatioPerStage mean ratio of each stage's own map, finest stage first
     */
    public record Result(int samples, int words, double meanRatio, double medianRatio, double shareAboveOne,
                         double[] meanRatioPerStage) {}

    private AttentionOnTarget() {}

    /** @param namingWords the words that name a category (e.g. {@code ExpressionWriter::namingWords}) */
    public static Result measure(Segmenter segmenter, List<ReferringSample> samples,
                                 Function<String, Set<String>> namingWords) throws IOException {
        List<Double> ratios = new ArrayList<>();
        double[] stageSums = null;
        int measured = 0;
        for (ReferringSample s : samples) {
            BufferedImage image = Images.read(s.imagePath());
            BinaryMask target = s.mask().load();
            Set<String> naming = namingWords.apply(s.category());
            boolean any = false;
            for (WordMaps.WordMap map : segmenter.wordMaps(image, s.sentence())) {
                double ratio = map.targetRatio(target);
                if (!naming.contains(map.word()) || Double.isNaN(ratio)) {
                    continue;
                }
                any = true;
                ratios.add(ratio);
                if (stageSums == null) {
                    stageSums = new double[map.stages().size()];
                }
                for (int i = 0; i < stageSums.length; i++) {
                    stageSums[i] += WordMaps.targetRatio(map.stages().get(i), target);
                }
            }
            measured += any ? 1 : 0;
        }
        int n = ratios.size();
        double[] perStage = stageSums == null ? new double[0] : stageSums.clone();
        for (int i = 0; i < perStage.length; i++) {
            perStage[i] /= n;
        }
        List<Double> sorted = ratios.stream().sorted().toList();
        return new Result(measured, n, ratios.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN),
                n == 0 ? Double.NaN : (sorted.get((n - 1) / 2) + sorted.get(n / 2)) / 2,
                ratios.stream().filter(r -> r > 1).count() / (double) Math.max(1, n), perStage);
    }
}
