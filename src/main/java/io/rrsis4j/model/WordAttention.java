package io.rrsis4j.model;

import io.rrsis4j.data.text.TokenizedSentence;
import java.util.List;

/**
 * Where each word piece of a sentence looks in an image, per BSC stage: its text-to-image attention over the
 * pixels of the model's (square, resized) input, so each map covers the whole image.
 *
 * @param sentence the tokenized sentence; maps are given for its real tokens ([CLS] and [SEP] included)
 * @param stages stage 1 (finest) to 4
 */
public record WordAttention(TokenizedSentence sentence, List<Stage> stages) {
    /** One stage's maps: for each real token, height * width weights (row-major) summing to 1. */
    public record Stage(int height, int width, float[][] maps) {}
}
