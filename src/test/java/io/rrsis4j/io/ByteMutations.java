package io.rrsis4j.io;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rrsis4j.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Fuzzing for the readers: seeded mutations of a valid file (bit flips, byte overwrites with boundary values,
 * truncation, cut-out and duplicated ranges), each handed to a reader. The rule under test: a reader either
 * returns or throws {@link InvalidInputException} (the one-line error users see); anything else (an
 * IndexOutOfBounds, an OutOfMemoryError, a NegativeArraySize, a hang) is a bug.
 */
public final class ByteMutations {
    /** A reader under test; it may throw anything, the harness judges what. */
    @FunctionalInterface
    public interface Reader {
        void read(byte[] bytes) throws Exception;
    }

    private static final int[] BOUNDARY = {0x00, 0xFF, 0x7F, 0x80, 0x01, 0xFE};

    private ByteMutations() {}

    /** The {@code index}-th mutation of {@code valid} under {@code seed}: the same arguments give the same bytes. */
    public static byte[] mutate(byte[] valid, long seed, int index) {
        SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + index);
        byte[] b = valid.clone();
        int edits = 1 + rng.nextInt(4);
        for (int e = 0; e < edits && b.length > 0; e++) {
            int at = rng.nextInt(b.length);
            switch (rng.nextInt(6)) {
                case 0 -> b[at] ^= (byte) (1 << rng.nextInt(8));
                case 1 -> b[at] = (byte) BOUNDARY[rng.nextInt(BOUNDARY.length)];
                case 2 -> { // a 32-bit field set to a boundary value: lengths, offsets, counts
                    int v = rng.nextBoolean() ? 0x7FFFFFFF : (rng.nextBoolean() ? 0xFFFFFFFF : 0x80000000);
                    for (int k = 0; k < 4 && at + k < b.length; k++) {
                        b[at + k] = (byte) (v >>> (8 * k));
                    }
                }
                case 3 -> b = Arrays.copyOf(b, at); // truncated
                case 4 -> { // a range cut out
                    int len = 1 + rng.nextInt(Math.min(64, b.length - at));
                    byte[] c = new byte[b.length - len];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(b, at + len, c, at, b.length - at - len);
                    b = c;
                }
                default -> { // a range duplicated
                    int len = 1 + rng.nextInt(Math.min(64, b.length - at));
                    byte[] c = new byte[b.length + len];
                    System.arraycopy(b, 0, c, 0, at + len);
                    System.arraycopy(b, at, c, at + len, b.length - at);
                    b = c;
                }
            }
        }
        return b;
    }

    /**
     * Feeds {@code cases} mutations of {@code valid} to {@code reader} and fails naming the first few cases that
     * threw anything but {@link InvalidInputException}, or took more than {@code maxMillisPerCase} twice in a row.
     *
     * @return how many cases the reader accepted (returned normally): a check that mutations are not all fatal
     */
    public static int assertOnlyInputErrors(String what, byte[] valid, int cases, long seed, long maxMillisPerCase,
                                            Reader reader) {
        List<String> bad = new ArrayList<>();
        int accepted = 0;
        for (int i = 0; i < cases; i++) {
            byte[] mutated = mutate(valid, seed, i);
            long start = System.nanoTime();
            String outcome = outcome(reader, mutated);
            long millis = (System.nanoTime() - start) / 1_000_000;
            if (millis > maxMillisPerCase) {
                // a hang or a huge allocation is slow every time; a machine busy with other work only now and then
                long again = System.nanoTime();
                outcome(reader, mutated);
                long retry = (System.nanoTime() - again) / 1_000_000;
                if (retry > maxMillisPerCase) {
                    bad.add("case " + i + ": took " + millis + " ms, then " + retry + " ms");
                }
            }
            if (outcome == null) {
                accepted++;
            } else if (!outcome.isEmpty()) {
                bad.add("case " + i + ": " + outcome);
            }
            if (bad.size() >= 5) {
                break;
            }
        }
        assertTrue(bad.isEmpty(), what + " (seed " + seed + "): " + String.join("; ", bad));
        return accepted;
    }

    /** null when the reader accepted the bytes, "" for a one-line input error, else what went wrong. */
    private static String outcome(Reader reader, byte[] bytes) {
        try {
            reader.read(bytes);
            return null;
        } catch (InvalidInputException expected) {
            String message = expected.getMessage();
            return message == null || message.isBlank() || message.contains("\n")
                    ? "input error not on one line: " + message : "";
        } catch (Throwable t) {
            return t.toString();
        }
    }
}
