package io.rrsis4j.data.synthetic;

import io.rrsis4j.data.BinaryMask;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A generated aerial scene: the RGB image, every object in it, and the referred targets.
 *
 * @param image TYPE_INT_RGB, square
 * @param objects every object drawn (targets and distractors)
 * @param targets what the sentences refer to: single objects, and with generalized shares groups of objects and
 *     nothing (see {@link Target})
 */
public record SyntheticScene(BufferedImage image, List<SceneObject> objects, List<Target> targets) {

    /**
     * What one or more sentences refer to: one object (its exact mask; each sentence identifies it uniquely), several
     * (the union of their masks; each sentence names exactly them) or none (an empty mask; no object fits a sentence).
     *
     * @param category the category the sentences name (for no target: the one they look for)
     * @param objects how many objects the sentences name: 0, 1 or more
     */
    public record Target(BinaryMask mask, String category, List<String> sentences, int objects) {
        public Target(BinaryMask mask, String category, List<String> sentences) {
            this(mask, category, sentences, 1);
        }
    }
}
