package io.rrsis4j.infer;

import io.rrsis4j.data.Datasets;
import io.rrsis4j.data.ReferringSample;
import io.rrsis4j.data.synthetic.ExpressionWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The word-map measurement of a trained model on held-out synthetic scenes (the demo's, or any RRSIS-D layout
 * with categories), run by hand: {@code java -cp ... io.rrsis4j.infer.WordMapsMeasurement CHECKPOINT DATA [N]}.
 * Measured on demo-recipe models (README, "Where each word looks"): the ratio stays near 1, so no test asserts it.
 */
public final class WordMapsMeasurement {
    private WordMapsMeasurement() {}

    public static void main(String[] args) throws Exception {
        Path checkpoint = Path.of(args[0]);
        List<ReferringSample> test = Datasets.read(Path.of(args[1]), Datasets.Format.RRSISD, "test");
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        try (BtdNetSegmenter segmenter = BtdNetSegmenter.load(checkpoint, ai.djl.Device.cpu())) {
            AttentionOnTarget.Result r = AttentionOnTarget.measure(segmenter, test.subList(0, Math.min(n, test.size())),
                    ExpressionWriter::namingWords);
            System.out.printf("%d test scenes, %d words naming the target: mass on the target / its share of the image: "
                            + "mean %.2f, median %.2f, above 1 for %.0f%%; per BSC stage (finest first) %s%n", r.samples(),
                    r.words(), r.meanRatio(), r.medianRatio(), 100 * r.shareAboveOne(), Arrays.toString(
                            Arrays.stream(r.meanRatioPerStage()).map(x -> Math.round(x * 100) / 100.0).toArray()));
        }
    }
}
