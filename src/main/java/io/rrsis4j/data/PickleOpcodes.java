package io.rrsis4j.data;

import io.rrsis4j.InvalidInputException;
import java.nio.file.Path;

/**
 * Walks a pickle's opcodes (as Python's pickletools.genops does) before it is unpickled, refusing what the
 * unpickler would choke on in a worse way: an unknown opcode, a length field past the end of the file (a corrupt
 * length would make it allocate gigabytes or wait for bytes that never come), nesting deeper than any dataset
 * needs, or no STOP at the end.
 */
final class PickleOpcodes {
    /** Deeper MARKs than this are not a list of refs but a crafted or corrupt file (and would overflow the stack). */
    static final int MAX_MARK_DEPTH = 64;

    private PickleOpcodes() {}

    static void check(Path file, byte[] b) {
        int p = 0;
        int marks = 0;
        while (p < b.length) {
            int op = b[p] & 0xFF;
            int at = p++;
            int argument = switch (op) {
                // no argument
                case '(' -> {
                    if (++marks > MAX_MARK_DEPTH) {
                        throw new InvalidInputException(file, "not a readable Python pickle: nested deeper than "
                                + MAX_MARK_DEPTH + " at byte " + at);
                    }
                    yield 0;
                }
                case '.' -> -1;
                case 'e', 'u', 't', 'l', 'd', '1', 0x90, 0x91, 'o' -> { // these pop the items back to the MARK
                    marks = Math.max(0, marks - 1);
                    yield 0;
                }
                case '0', '2', 'N', 0x88, 0x89, 'a', 'b', '}', ']', ')', 'R', 's',
                        0x85, 0x86, 0x87, 0x81, 0x92, 0x93, 0x94, 'Q', 0x8f, 0x97, 0x98 -> 0;
                // fixed-size arguments
                case 'K', 'q', 'h', 0x80, 0x82 -> 1;
                case 'M', 0x83 -> 2;
                case 'J', 'r', 'j', 0x84 -> 4;
                case 'G', 0x95 -> 8;
                // length-prefixed data
                case 'U', 0x8c, 'C', 0x8a -> 1 + unsigned(b, p, 1, file, at);
                case 'T', 'X', 'B', 0x8b -> 4 + unsigned(b, p, 4, file, at);
                case 0x8d, 0x8e, 0x96 -> 8 + unsigned(b, p, 8, file, at);
                // newline-terminated text
                case 'I', 'L', 'S', 'V', 'F', 'p', 'g', 'P' -> line(b, p, file, at);
                case 'c', 'i' -> {
                    if (op == 'i') {
                        marks = Math.max(0, marks - 1);
                    }
                    int first = line(b, p, file, at);
                    yield first + line(b, p + first, file, at);
                }
                default -> throw new InvalidInputException(file, String.format(
                        "not a readable Python pickle: unknown opcode 0x%02x at byte %d", op, at));
            };
            if (argument < 0) {
                return; // STOP
            }
            if (argument > b.length - p) {
                throw new InvalidInputException(file, "not a readable Python pickle: opcode at byte " + at
                        + " needs " + argument + " bytes but the file ends after " + (b.length - p));
            }
            p += argument;
        }
        throw new InvalidInputException(file, "not a readable Python pickle: truncated (no STOP opcode)");
    }

    /** A little-endian length of {@code size} bytes; lengths past an int are past the end of any file we read. */
    private static int unsigned(byte[] b, int p, int size, Path file, int at) {
        if (size > b.length - p) {
            throw new InvalidInputException(file, "not a readable Python pickle: truncated at byte " + at);
        }
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = (v << 8) | (b[p + i] & 0xFF);
        }
        if (v < 0 || v > Integer.MAX_VALUE - 16) {
            throw new InvalidInputException(file, "not a readable Python pickle: length " + Long.toUnsignedString(v)
                    + " at byte " + at);
        }
        return (int) v;
    }

    /** Bytes up to and including the next newline. */
    private static int line(byte[] b, int p, Path file, int at) {
        for (int i = p; i < b.length; i++) {
            if (b[i] == '\n') {
                return i - p + 1;
            }
        }
        throw new InvalidInputException(file, "not a readable Python pickle: unterminated text at byte " + at);
    }
}
