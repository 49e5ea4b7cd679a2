package io.rrsis4j.train;

import java.util.Locale;

/**
 * Where a training run's time went: waiting for the loader's batches, or in the model (forward, backward, update).
 * A run is loader-bound when the model waited more than a tenth of its time; then more loader threads (or faster
 * storage) speed it up, and a faster device would not.
 */
record InputBalance(double waitedSeconds, double modelSeconds, int loaderThreads) {
    static final double LOADER_BOUND = 0.1;

    double waitFraction() {
        double all = waitedSeconds + modelSeconds;
        return all <= 0 ? 0 : waitedSeconds / all;
    }

    String verdict() {
        return waitFraction() > LOADER_BOUND ? "loader-bound" : "model-bound";
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "input: %s, %.1f s waiting for batches (%.0f%%) and %.1f s in the model,"
                + " %d loader threads", verdict(), waitedSeconds, 100 * waitFraction(), modelSeconds, loaderThreads);
    }
}
