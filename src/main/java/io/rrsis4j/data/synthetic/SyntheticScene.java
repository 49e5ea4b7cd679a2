package io.rrsis4j.data.synthetic;

import io.rrsis4j.data.BinaryMask;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A generated aerial scene: the RGB image, every object in it, and the referred targets.
 *
 * @param image TYPE_INT_RGB, square
 * @param objects every object drawn (targets and distractors)
 * @param targets the objects with referring expressions that single them out
 */
public record SyntheticScene(BufferedImage image, List<SceneObject> objects, List<Target> targets) {

    /** A referred object: its exact mask, its category and one or more sentences that each identify it uniquely. */
    public record Target(BinaryMask mask, String category, List<String> sentences) {}
}
