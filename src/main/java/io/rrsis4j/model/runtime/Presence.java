package io.rrsis4j.model.runtime;

/**
 * What a model says about whether one sentence names something in one image (generalized referring segmentation,
 * DESIGN-NOTES.md "Generalized referring segmentation").
 *
 * @param probability the presence head's probability; NaN for a model without the head, which never judges
 * @param absent the presence rule's verdict: the probability is below the threshold, so the answer is "no target"
 *     and the mask is empty
 */
public record Presence(double probability, boolean absent) {
    /** A model without a presence head: no probability, never absent (its masks are exactly those of before). */
    public static final Presence UNJUDGED = new Presence(Double.NaN, false);

    /** Whether the model has a presence head (a probability to report). */
    public boolean judged() {
        return !Double.isNaN(probability);
    }
}
