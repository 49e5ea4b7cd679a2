package io.rrsis4j.model.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.rrsis4j.InvalidInputException;

/**
 * The one presence rule of every output (segment, --list, tiles, serve, spark, evaluate): a pair whose presence
 * probability is below the threshold has no target, so its target probability is zero everywhere and its mask
 * empty. Applied inside {@link Predictor}, so everything that thresholds the probability sees the same answer.
 *
 * @param threshold presence probability below which a pair has no target, in [0, 1]
 */
public record PresenceRule(float threshold) {
    public static final float DEFAULT_THRESHOLD = 0.5f;

    public PresenceRule {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new InvalidInputException("--presence-threshold must be in [0, 1], got " + threshold);
        }
    }

    public static PresenceRule defaults() {
        return new PresenceRule(DEFAULT_THRESHOLD);
    }

    /** The verdict on one presence probability (NaN: a model without the head, never absent). */
    public Presence judge(double probability) {
        return new Presence(probability, !Double.isNaN(probability) && probability < threshold);
    }

    /**
     * Target probability (B, H, W) with the pairs judged absent set to zero; presence (B) probabilities, or null for a
     * model without the head (then the probability is returned as it is).
     */
    public NDArray apply(NDArray targetProbability, NDArray presence) {
        if (presence == null) {
            return targetProbability;
        }
        NDArray keep = presence.gte(threshold).toType(DataType.FLOAT32, false).reshape(-1, 1, 1);
        return targetProbability.mul(keep);
    }
}
