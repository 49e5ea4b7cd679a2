package io.rrsis4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import io.rrsis4j.data.ImageTransforms;
import io.rrsis4j.data.Images;
import io.rrsis4j.data.ReferringSample;
import io.rrsis4j.data.TokenizedSentence;
import io.rrsis4j.data.WordPieceTokenizer;
import io.rrsis4j.eval.SegmentationMetrics;
import io.rrsis4j.infer.ModelInputs;
import io.rrsis4j.model.BtdNet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-epoch validation: every (image, sentence) sample once, prediction = target logit > background logit,
 * metrics at the model's input resolution (as the reference code computes them, DATA.md "Metrics").
 */
public final class Validation {
    private Validation() {}

    public static SegmentationMetrics.Report evaluate(BtdNet net, List<ReferringSample> samples, WordPieceTokenizer tokenizer,
                                                      int batch, NDManager manager) {
        int size = net.config().imageSize();
        SegmentationMetrics metrics = new SegmentationMetrics();
        for (int from = 0; from < samples.size(); from += batch) {
            List<ReferringSample> part = samples.subList(from, Math.min(samples.size(), from + batch));
            List<float[]> images = new ArrayList<>();
            List<TokenizedSentence> sentences = new ArrayList<>();
            List<byte[]> masks = new ArrayList<>();
            for (ReferringSample s : part) {
                images.add(ImageTransforms.toNormalizedChw(Images.read(s.imagePath()), size));
                sentences.add(tokenizer.encode(s.sentence()));
                try {
                    masks.add(ImageTransforms.maskToSize(s.mask().load(), size));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            try (NDManager sm = manager.newSubManager()) {
                NDList in = ModelInputs.of(sm, images, sentences, size);
                NDArray logits = net.forward(new ParameterStore(sm, false), in, false).get("logits");
                NDArray pred = logits.get(":,1").gt(logits.get(":,0"));
                NDArray gt = ModelInputs.masks(sm, masks, size).gt(0);
                long[] inter = pred.logicalAnd(gt).toType(DataType.INT64, false).sum(new int[] {1, 2}).toLongArray();
                long[] union = pred.logicalOr(gt).toType(DataType.INT64, false).sum(new int[] {1, 2}).toLongArray();
                for (int i = 0; i < inter.length; i++) {
                    metrics.add(inter[i], union[i]);
                }
            }
        }
        return metrics.report();
    }
}
