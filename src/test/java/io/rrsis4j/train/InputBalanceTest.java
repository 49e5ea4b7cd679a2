package io.rrsis4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InputBalanceTest {
    @Test
    void aRunWaitingMoreThanATenthOfItsTimeIsLoaderBound() {
        assertEquals("model-bound", new InputBalance(0.5, 9.5, 2).verdict());
        assertEquals("loader-bound", new InputBalance(3, 7, 2).verdict());
        assertEquals(0.3, new InputBalance(3, 7, 2).waitFraction(), 1e-9);
        assertTrue(new InputBalance(3, 7, 14).toString().contains("loader-bound, 3.0 s waiting for batches (30%)"));
    }

    @Test
    void loaderThreadsScaleWithTheCores() {
        assertEquals(2, TrainingBatches.threadsFor(1));
        assertEquals(2, TrainingBatches.threadsFor(2)); // this machine's count before: unchanged on small machines
        assertEquals(14, TrainingBatches.threadsFor(16));
    }
}
