package io.rrsis4j.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The machine's own float32 matrix-multiply rate through the engine the model runs on: the ceiling that the
 * model's achieved FLOP rate is compared with.
 */
public final class MatmulRate {
    private MatmulRate() {}

    /**
     * Best of {@code repeats} timed n x n by n x n products (after one warm-up), in GFLOP/s (2 n^3 FLOPs each).
     */
    public static double measure(NDManager parent, Device device, int n, int repeats) {
        try (NDManager m = parent.newSubManager(device)) {
            m.getEngine().setRandomSeed(1);
            NDArray a = m.randomUniform(-1f, 1f, new Shape(n, n));
            NDArray b = m.randomUniform(-1f, 1f, new Shape(n, n));
            double best = Double.MAX_VALUE;
            for (int r = 0; r <= repeats; r++) {
                try (NDManager step = m.newSubManager()) {
                    long t0 = System.nanoTime();
                    NDArray c = a.matMul(b);
                    c.attach(step);
                    c.get(0, 0).getFloat(); // waits for asynchronous devices
                    long t = System.nanoTime() - t0;
                    if (r > 0) {
                        best = Math.min(best, t / 1e9);
                    }
                }
            }
            return 2.0 * n * n * n / best / 1e9;
        }
    }
}
