package io.rrsis4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * The first IFD of a classic TIFF, read from the file without loading the pixel data, so that uncompressed
 * stripped rasters can be read window by window straight from disk ({@link GeoRaster}).
 */
final class TiffDirectory {

    final ByteOrder order;
    private final Map<Integer, double[]> numbers = new HashMap<>();
    private final Map<Integer, String> ascii = new HashMap<>();

    private TiffDirectory(ByteOrder order) {
        this.order = order;
    }

    /** Reads the first IFD, or returns null when the file is not a classic TIFF (e.g. BigTIFF). */
    static TiffDirectory read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(8);
            if (ch.read(head, 0) < 8) {
                return null;
            }
            ByteOrder order = head.get(0) == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
            head.order(order);
            if (head.getShort(2) != 42) {
                return null;
            }
            long ifd = head.getInt(4) & 0xFFFFFFFFL;
            ByteBuffer countBuf = ByteBuffer.allocate(2).order(order);
            ch.read(countBuf, ifd);
            int n = countBuf.getShort(0) & 0xFFFF;
            ByteBuffer entries = ByteBuffer.allocate(12 * n).order(order);
            ch.read(entries, ifd + 2);
            TiffDirectory dir = new TiffDirectory(order);
            for (int i = 0; i < n; i++) {
                int base = 12 * i;
                int tag = entries.getShort(base) & 0xFFFF;
                int type = entries.getShort(base + 2) & 0xFFFF;
                long count = entries.getInt(base + 4) & 0xFFFFFFFFL;
                int size = switch (type) {
                    case 1, 2, 6, 7 -> 1;
                    case 3, 8 -> 2;
                    case 4, 9, 11 -> 4;
                    case 5, 10, 12 -> 8;
                    default -> 0;
                };
                if (size == 0 || count > 50_000_000L / size) {
                    continue;
                }
                ByteBuffer value = ByteBuffer.allocate((int) (count * size)).order(order);
                if (count * size <= 4) {
                    value.put(entries.array(), base + 8, (int) (count * size)).flip();
                } else {
                    ch.read(value, entries.getInt(base + 8) & 0xFFFFFFFFL);
                    value.flip();
                }
                if (type == 2) {
                    dir.ascii.put(tag, StandardCharsets.US_ASCII.decode(value).toString());
                    continue;
                }
                double[] v = new double[(int) count];
                for (int k = 0; k < count; k++) {
                    v[k] = switch (type) {
                        case 1, 7 -> value.get() & 0xFF;
                        case 6 -> value.get();
                        case 3 -> value.getShort() & 0xFFFF;
                        case 8 -> value.getShort();
                        case 4 -> value.getInt() & 0xFFFFFFFFL;
                        case 9 -> value.getInt();
                        case 11 -> value.getFloat();
                        case 12 -> value.getDouble();
                        default -> (value.getInt() & 0xFFFFFFFFL) / (double) (value.getInt() & 0xFFFFFFFFL);
                    };
                }
                dir.numbers.put(tag, v);
            }
            return dir;
        }
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
