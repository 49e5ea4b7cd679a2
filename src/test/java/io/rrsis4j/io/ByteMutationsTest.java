package io.rrsis4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rrsis4j.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

class ByteMutationsTest {
    @Test
    void mutationsAreRepeatableAndTheHarnessCatchesForeignExceptions() {
        byte[] valid = "a valid file of some length, long enough to be mutated".getBytes();
        assertArrayEquals(ByteMutations.mutate(valid, 3, 7), ByteMutations.mutate(valid, 3, 7));
        assertEquals(0, ByteMutations.assertOnlyInputErrors("always an input error", valid, 50, 1, 1000, b -> {
            throw new InvalidInputException("bad");
        }));
        assertThrows(AssertionFailedError.class, () -> ByteMutations.assertOnlyInputErrors("index bug", valid, 50, 1,
                1000, b -> {
                    int ignored = b[b.length + 1];
                }));
    }

    /** A case slow every time (a hang, a huge allocation) fails; one slowed once by a busy machine does not. */
    @Test
    void aCaseSlowTwiceInARowFailsAndOneSlowOnceDoesNot() {
        byte[] valid = "a valid file of some length, long enough to be mutated".getBytes();
        AssertionFailedError slow = assertThrows(AssertionFailedError.class, () -> ByteMutations.assertOnlyInputErrors(
                "always slow", valid, 2, 1, 20, b -> Thread.sleep(60)));
        assertTrue(slow.getMessage().contains("case 0: took"), slow.getMessage());
        int[] calls = {0};
        assertEquals(3, ByteMutations.assertOnlyInputErrors("slow once", valid, 3, 1, 20, b -> {
            if (calls[0]++ == 0) {
                Thread.sleep(60);
            }
        }));
        assertEquals(4, calls[0], "the slow case is read again once");
    }
}
