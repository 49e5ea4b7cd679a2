package io.rrsis4j.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * One (image, sentence, mask) triplet of a benchmark split, as the readers produce it. The image and mask are read
 * on demand so that a 17k-sample split can be listed in seconds.
 *
 * @param id unique id of this sample within the dataset (e.g. "ref12_sent40" or "refsegrs_train_17")
 * @param imageId id of the image; samples that share an image share it
 * @param imagePath the image file
 * @param sentence the referring expression as written
 * @param category the referred object's category name ("" when the format does not say; names joined by ", " when
 *     the sentence names objects of several categories)
 * @param split the split's name as the dataset writes it ("train", "val", "test", "testA", ...)
 * @param mask reads the ground-truth mask at the image file's own size (the union of the objects named)
 * @param targets how many objects the sentence names: 0 none (a no-target sentence), 1 one, n several; or
 *     {@link #TARGETS_FROM_MASK} when the format only has the mask (RefSegRS): see {@link #targetsIn}
 */
public record ReferringSample(
        String id, String imageId, Path imagePath, String sentence, String category, String split, MaskSource mask,
        int targets) {

    /** The format says nothing but the mask: count the objects in it ({@link MaskRegions#count}). */
    public static final int TARGETS_FROM_MASK = -1;

    public ReferringSample {
        if (targets < TARGETS_FROM_MASK) {
            throw new IllegalArgumentException("targets must be >= 0 or TARGETS_FROM_MASK, got " + targets);
        }
    }

    /** A sentence that names exactly one object, as in RRSIS-D and the classic benchmarks. */
    public ReferringSample(String id, String imageId, Path imagePath, String sentence, String category, String split,
            MaskSource mask) {
        this(id, imageId, imagePath, sentence, category, split, mask, 1);
    }

    /** What kind of sample this is, given its loaded ground-truth mask (used only when the format does not say). */
    public TargetKind kindIn(BinaryMask loadedMask) {
        return TargetKind.of(targetsIn(loadedMask));
    }

    /** The number of objects named: {@link #targets} when known, else the connected regions of the mask. */
    public int targetsIn(BinaryMask loadedMask) {
        return targets != TARGETS_FROM_MASK ? targets : MaskRegions.count(loadedMask);
    }

    /** Reads a sample's ground-truth mask. */
    @FunctionalInterface
    public interface MaskSource {
        BinaryMask load() throws IOException;
    }
}
