package io.rrsis4j.io.raster;

import io.rrsis4j.InvalidInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The first IFD (the full-resolution image, also of a COG) of a classic TIFF or a BigTIFF, read from the file
 * without loading the pixel data. Every value is checked to lie inside the file, so a damaged file gives a one-line
 * {@link InvalidInputException} rather than a wrong read.
 */
final class TiffDirectory {

    final ByteOrder order;
    final boolean bigTiff;
    final long fileSize;
    private final Map<Integer, double[]> numbers = new HashMap<>();
    private final Map<Integer, String> ascii = new HashMap<>();

    private TiffDirectory(ByteOrder order, boolean bigTiff, long fileSize) {
        this.order = order;
        this.bigTiff = bigTiff;
        this.fileSize = fileSize;
    }

    /** Reads the first IFD, or returns null when the file does not start like a TIFF. */
    static TiffDirectory read(RasterBytes file) {
        try (RasterBytes.Reader ch = file.open()) {
            long size = file.size();
            int headBytes = (int) Math.min(16, size);
            byte[] headRead = new byte[16];
            ch.readFully(0, headRead, 0, headBytes);
            ByteBuffer head = ByteBuffer.wrap(headRead).position(headBytes);
            if (head.position() < 8 || head.get(0) != head.get(1) || (head.get(0) != 'I' && head.get(0) != 'M')) {
                return null;
            }
            ByteOrder order = head.get(0) == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
            head.order(order);
            int magic = head.getShort(2) & 0xFFFF;
            if (magic != 42 && magic != 43) {
                return null;
            }
            boolean big = magic == 43;
            if (big && (head.position() < 16 || head.getShort(4) != 8)) {
                throw file.problem("BigTIFF header is damaged");
            }
            TiffDirectory dir = new TiffDirectory(order, big, size);
            long ifd = big ? head.getLong(8) : head.getInt(4) & 0xFFFFFFFFL;
            dir.readEntries(file, ch, ifd);
            return dir;
        } catch (IOException e) {
            throw file.problem("cannot read TIFF header: " + e.getMessage(), e);
        }
    }

    private void readEntries(RasterBytes file, RasterBytes.Reader ch, long ifd) throws IOException {
        int countBytes = bigTiff ? 8 : 2;
        int entryBytes = bigTiff ? 20 : 12;
        int inlineBytes = bigTiff ? 8 : 4;
        ByteBuffer countBuf = readAt(file, ch, ifd, countBytes, "directory");
        long n = bigTiff ? countBuf.getLong(0) : countBuf.getShort(0) & 0xFFFF;
        if (n <= 0 || n > 65535 || ifd + countBytes + n * entryBytes > fileSize) {
            throw file.problem("TIFF directory at byte " + ifd + " is damaged");
        }
        ByteBuffer entries = readAt(file, ch, ifd + countBytes, (int) (n * entryBytes), "directory");
        for (int i = 0; i < n; i++) {
            int base = entryBytes * i;
            int tag = entries.getShort(base) & 0xFFFF;
            int type = entries.getShort(base + 2) & 0xFFFF;
            long count = bigTiff ? entries.getLong(base + 4) : entries.getInt(base + 4) & 0xFFFFFFFFL;
            int size = switch (type) {
                case 1, 2, 6, 7 -> 1;
                case 3, 8 -> 2;
                case 4, 9, 11, 13 -> 4;
                case 5, 10, 12, 16, 17, 18 -> 8;
                default -> 0;
            };
            if (size == 0) {
                continue; // unknown type: skipped, as the TIFF specification asks
            }
            if (count < 0 || count > fileSize / size) {
                throw file.problem("TIFF tag " + tag + " claims " + count + " values, more than the file holds");
            }
            int bytes = (int) (count * size);
            int valueAt = base + 4 + (bigTiff ? 8 : 4);
            ByteBuffer value;
            if (bytes <= inlineBytes) {
                value = ByteBuffer.allocate(bytes).order(order);
                value.put(entries.array(), valueAt, bytes).flip();
            } else {
                long offset = bigTiff ? entries.getLong(valueAt) : entries.getInt(valueAt) & 0xFFFFFFFFL;
                value = readAt(file, ch, offset, bytes, "tag " + tag);
            }
            if (type == 2) {
                ascii.put(tag, StandardCharsets.ISO_8859_1.decode(value).toString());
                continue;
            }
            double[] v = new double[(int) count];
            for (int k = 0; k < count; k++) {
                v[k] = switch (type) {
                    case 1, 7 -> value.get() & 0xFF;
                    case 6 -> value.get();
                    case 3 -> value.getShort() & 0xFFFF;
                    case 8 -> value.getShort();
                    case 4, 13 -> value.getInt() & 0xFFFFFFFFL;
                    case 9 -> value.getInt();
                    case 11 -> value.getFloat();
                    case 12 -> value.getDouble();
                    case 16, 18 -> unsigned(value.getLong());
                    case 17 -> value.getLong();
                    default -> rational(value.getInt(), value.getInt(), type == 5);
                };
            }
            numbers.put(tag, v);
        }
    }

    private static double unsigned(long v) {
        return v >= 0 ? v : Double.MAX_VALUE; // an offset past any file: rejected by the bounds checks
    }

    private static double rational(int numerator, int denominator, boolean unsigned) {
        double n = unsigned ? numerator & 0xFFFFFFFFL : numerator;
        double d = unsigned ? denominator & 0xFFFFFFFFL : denominator;
        return d == 0 ? 0 : n / d;
    }

    private ByteBuffer readAt(RasterBytes file, RasterBytes.Reader ch, long offset, int length, String what)
            throws IOException {
        if (offset < 0 || offset + length > fileSize) {
            throw file.problem("TIFF " + what + " lies outside the file (byte " + offset + ")");
        }
        byte[] b = new byte[length];
        try {
            ch.readFully(offset, b, 0, length);
        } catch (java.io.EOFException e) {
            throw file.problem("TIFF " + what + " lies outside the file");
        }
        return ByteBuffer.wrap(b).order(order);
    }

    double[] get(int tag) {
        return numbers.get(tag);
    }

    String ascii(int tag) {
        return ascii.get(tag);
    }

    long first(int tag, long fallback) {
        double[] v = numbers.get(tag);
        return v == null || v.length == 0 ? fallback : (long) v[0];
    }
}
