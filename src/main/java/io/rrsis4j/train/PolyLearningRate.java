package io.rrsis4j.train;

/**
 * The learning-rate schedule of LAVT/RMSIN and BTDNet (BTDNET.md "Total loss and training"): polynomial decay per
 * iteration, lr(t) = base * (1 - t / T)^power with power 0.9, no warmup. {@code t} counts finished updates, so the
 * first update uses the base rate and the last one a small positive rate.
 */
public record PolyLearningRate(double base, long totalSteps, double power) {

    public PolyLearningRate {
        if (totalSteps <= 0) {
            throw new IllegalArgumentException("totalSteps must be positive");
        }
    }

    /** The rate of the update with zero-based index {@code step}. */
    public double at(long step) {
        double progress = Math.min(1.0, Math.max(0.0, (double) step / totalSteps));
        return base * Math.pow(1.0 - progress, power);
    }
}
