package io.rrsis4j.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * One (image, sentence, mask) triplet of a benchmark split, as both readers produce it. The image
 * and mask are read on demand so that a 17k-sample split can be listed in seconds.
 *
 * @param id unique id of this sample within the dataset (e.g. "ref12_sent40" or "refsegrs_train_17")
 * @param imageId id of the image; samples that share an image share it
 * @param imagePath the image file
 * @param sentence the referring expression as written
 * @param category the referred object's category name, or "" when the format does not say
 * @param split "train", "val" or "test"
 * @param mask reads the ground-truth mask at the image file's own size
 */
public record ReferringSample(
        String id, String imageId, Path imagePath, String sentence, String category, String split, MaskSource mask) {

    /** Reads a sample's ground-truth mask. */
    @FunctionalInterface
    public interface MaskSource {
        BinaryMask load() throws IOException;
    }
}
