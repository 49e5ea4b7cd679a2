package io.rrsis4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
