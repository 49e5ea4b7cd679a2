package io.rrsis4j.infer;

import io.rrsis4j.model.runtime.Predictor.ImagePrediction;
import io.rrsis4j.model.runtime.Presence;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Referring segmentation of whole images: what the CLI, the server and tiled scene inference call.
 * Implementations resize each image to the model input and return the result at the image's own size.
 */
public interface Segmenter extends AutoCloseable {

    /**
     * Target probability per pixel for each (image, sentence) pair, at each image's own size,
     * row-major (index y * width + x), values in [0, 1].
     */
    List<float[]> targetProbability(List<BufferedImage> images, List<String> sentences);

    default float[] targetProbability(BufferedImage image, String sentence) {
        return targetProbability(List.of(image), List.of(sentence)).get(0);
    }

    /**
     * As {@link #targetProbability(List, List)}, with each pair's presence verdict (generalized referring segmentation):
     * a pair judged absent has zero probability everywhere. Models without a presence head never judge.
     */
    default List<ImagePrediction> predict(List<BufferedImage> images, List<String> sentences) {
        return targetProbability(images, sentences).stream().map(p -> new ImagePrediction(p, Presence.UNJUDGED)).toList();
    }

    default ImagePrediction predict(BufferedImage image, String sentence) {
        return predict(List.of(image), List.of(sentence)).get(0);
    }

    /**
     * Where each word of the sentence looks in the image (per attention stage, at the image's size); models
     * without word attention say so with {@link UnsupportedOperationException}.
     */
    default List<WordMaps.WordMap> wordMaps(BufferedImage image, String sentence) {
        throw new UnsupportedOperationException("this model has no word attention to show");
    }

    /**
     * What the user should know about how the model reads {@code sentence} (words past its token limit, words its
     * vocabulary does not know), one line each; a sentence in which the model has nothing to look for is refused with
     * an {@link io.rrsis4j.InvalidInputException}. Models without a vocabulary have nothing to say.
     */
    default List<String> sentenceWarnings(String sentence) {
        return List.of();
    }

    /** Side of the square model input in pixels (480 for the paper's configuration). */
    int inputSize();

    @Override
    default void close() {}
}
