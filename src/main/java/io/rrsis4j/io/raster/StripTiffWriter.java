package io.rrsis4j.io.raster;

import io.rrsis4j.io.files.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Streaming writer of an uncompressed, stripped, pixel-interleaved (Geo)TIFF: rows are appended one at a time and
 * only one strip is buffered, so memory stays bounded whatever the raster size (mil.nga:tiff's writer needs the
 * whole raster in memory). The IFD with the georeferencing tags is written after the strips. The file is written
 * to a temporary file beside the target and moved into place on {@link #close()}. Pixel data over
 * {@value #BIG_TIFF_ABOVE_BYTES} bytes (a mask of a scene over ~4 gigapixels) is written as BigTIFF, as GDAL does.
 */
public final class StripTiffWriter implements AutoCloseable {

    private static final int TARGET_STRIP_BYTES = 256 * 1024;
    /** Classic TIFF offsets are 32-bit: leave room for the directory after the strips. */
    static final long BIG_TIFF_ABOVE_BYTES = 4_000_000_000L;

    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final int width;
    private final int height;
    private final int bands;
    private final int bitsPerSample;
    private final GeoReferencing geo;
    private final int rowBytes;
    private final int rowsPerStrip;
    private final ByteBuffer strip;
    private final boolean bigTiff;
    private final List<Long> stripOffsets = new ArrayList<>();
    private final List<Long> stripByteCounts = new ArrayList<>();
    private int rowsWritten;
    private boolean closed;

    public StripTiffWriter(Path target, int width, int height, int bands, int bitsPerSample, GeoReferencing geo) {
        this(target, width, height, bands, bitsPerSample, geo,
                (long) width * height * bands * (bitsPerSample / 8) > BIG_TIFF_ABOVE_BYTES);
    }

    StripTiffWriter(Path target, int width, int height, int bands, int bitsPerSample, GeoReferencing geo,
                    boolean bigTiff) {
        if (bitsPerSample != 8 && bitsPerSample != 16) {
            throw new IllegalArgumentException("bits per sample must be 8 or 16: " + bitsPerSample);
        }
        this.target = target.toAbsolutePath();
        this.width = width;
        this.height = height;
        this.bands = bands;
        this.bitsPerSample = bitsPerSample;
        this.geo = geo == null ? GeoReferencing.none() : geo;
        this.bigTiff = bigTiff;
        this.rowBytes = width * bands * (bitsPerSample / 8);
        this.rowsPerStrip = Math.max(1, Math.min(height, TARGET_STRIP_BYTES / Math.max(1, rowBytes)));
        this.strip = ByteBuffer.allocate(rowsPerStrip * rowBytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            Path dir = this.target.getParent();
            Files.createDirectories(dir);
            this.temp = AtomicFiles.createTemporary(dir, "." + this.target.getFileName(), ".part");
            this.channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            ByteBuffer header = ByteBuffer.allocate(bigTiff ? 16 : 8).order(ByteOrder.LITTLE_ENDIAN);
            header.put((byte) 'I').put((byte) 'I');
            if (bigTiff) {
                header.putShort((short) 43).putShort((short) 8).putShort((short) 0).putLong(0);
            } else {
                header.putShort((short) 42).putInt(0);
            }
            header.flip();
            channel.write(header);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + target, e);
        }
    }

    public int rowsPerStrip() {
        return rowsPerStrip;
    }

    /** Appends one 8-bit row, pixel-interleaved: width * bands bytes. */
    public void writeRow(byte[] row) {
        if (bitsPerSample != 8 || row.length != rowBytes) {
            throw new IllegalArgumentException("row must hold " + width * bands + " 8-bit samples");
        }
        checkRow();
        strip.put(row);
        rowDone();
    }

    /** Appends one 16-bit row, pixel-interleaved: width * bands unsigned samples. */
    public void writeRow(short[] row) {
        if (bitsPerSample != 16 || row.length * 2 != rowBytes) {
            throw new IllegalArgumentException("row must hold " + width * bands + " 16-bit samples");
        }
        checkRow();
        for (short s : row) {
            strip.putShort(s);
        }
        rowDone();
    }

    private void checkRow() {
        if (rowsWritten >= height) {
            throw new IllegalStateException("all " + height + " rows already written");
        }
    }

    private void rowDone() {
        rowsWritten++;
        if (!strip.hasRemaining() || rowsWritten == height) {
            flushStrip();
        }
    }

    private void flushStrip() {
        try {
            strip.flip();
            stripOffsets.add(channel.position());
            stripByteCounts.add((long) strip.remaining());
            while (strip.hasRemaining()) {
                channel.write(strip);
            }
            strip.clear();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    /** Writes the IFD and moves the finished file into place; all rows must have been written. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (rowsWritten != height) {
                channel.close();
                Files.deleteIfExists(temp);
                throw new IllegalStateException("only " + rowsWritten + " of " + height + " rows written to " + target);
            }
            writeDirectory();
            channel.close();
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot finish " + target, e);
        }
    }

    private void writeDirectory() throws IOException {
        List<Entry> entries = new ArrayList<>();
        boolean rgb = bands == 3 && bitsPerSample == 8;
        entries.add(Entry.longs(256, width));
        entries.add(Entry.longs(257, height));
        entries.add(Entry.shorts(258, repeat(bitsPerSample, bands)));
        entries.add(Entry.shorts(259, 1));
        entries.add(Entry.shorts(262, rgb ? 2 : 1));
        entries.add(bigTiff ? Entry.long8s(273, toLongArray(stripOffsets)) : Entry.longs(273, toLongArray(stripOffsets)));
        entries.add(Entry.shorts(277, bands));
        entries.add(Entry.longs(278, rowsPerStrip));
        entries.add(bigTiff ? Entry.long8s(279, toLongArray(stripByteCounts))
                : Entry.longs(279, toLongArray(stripByteCounts)));
        entries.add(Entry.shorts(284, 1));
        if (!rgb && bands > 1) {
            entries.add(Entry.shorts(338, new int[bands - 1]));
        } else if (rgb && bands > 3) {
            entries.add(Entry.shorts(338, new int[bands - 3]));
        }
        entries.add(Entry.shorts(339, repeat(1, bands)));
        if (geo.modelPixelScale() != null) {
            entries.add(Entry.doubles(33550, geo.modelPixelScale()));
        }
        if (geo.modelTiepoint() != null) {
            entries.add(Entry.doubles(33922, geo.modelTiepoint()));
        }
        if (geo.modelTransformation() != null) {
            entries.add(Entry.doubles(34264, geo.modelTransformation()));
        }
        if (geo.geoKeyDirectory() != null) {
            entries.add(Entry.shorts(34735, geo.geoKeyDirectory().stream().mapToInt(Integer::intValue).toArray()));
        }
        if (geo.geoDoubleParams() != null) {
            entries.add(Entry.doubles(34736, geo.geoDoubleParams()));
        }
        if (geo.geoAsciiParams() != null) {
            entries.add(Entry.ascii(34737, geo.geoAsciiParams()));
        }

        long ifdOffset = align(channel.position());
        int inlineBytes = bigTiff ? 8 : 4;
        int ifdSize = bigTiff ? 8 + 20 * entries.size() + 8 : 2 + 12 * entries.size() + 4;
        long valuesOffset = ifdOffset + ifdSize;
        ByteBuffer ifd = ByteBuffer.allocate(ifdSize).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer values = ByteBuffer.allocate(entries.stream().mapToInt(e -> e.data.length + 1).sum())
                .order(ByteOrder.LITTLE_ENDIAN);
        if (bigTiff) {
            ifd.putLong(entries.size());
        } else {
            ifd.putShort((short) entries.size());
        }
        for (Entry e : entries) {
            ifd.putShort((short) e.tag).putShort((short) e.type);
            if (bigTiff) {
                ifd.putLong(e.count);
            } else {
                ifd.putInt(e.count);
            }
            if (e.data.length <= inlineBytes) {
                byte[] inline = new byte[inlineBytes];
                System.arraycopy(e.data, 0, inline, 0, e.data.length);
                ifd.put(inline);
            } else {
                if (values.position() % 2 == 1) {
                    values.put((byte) 0);
                }
                long at = valuesOffset + values.position();
                if (bigTiff) {
                    ifd.putLong(at);
                } else {
                    ifd.putInt(checkedOffset(at));
                }
                values.put(e.data);
            }
        }
        if (bigTiff) {
            ifd.putLong(0);
        } else {
            ifd.putInt(0);
        }
        ifd.flip();
        values.flip();
        channel.position(ifdOffset);
        while (ifd.hasRemaining()) {
            channel.write(ifd);
        }
        while (values.hasRemaining()) {
            channel.write(values);
        }
        ByteBuffer pointer = ByteBuffer.allocate(bigTiff ? 8 : 4).order(ByteOrder.LITTLE_ENDIAN);
        if (bigTiff) {
            pointer.putLong(ifdOffset);
        } else {
            pointer.putInt(checkedOffset(ifdOffset));
        }
        channel.write(pointer.flip(), bigTiff ? 8 : 4);
    }

    private int checkedOffset(long offset) {
        if (offset > 0xFFFFFFFFL) {
            throw new IllegalStateException("classic TIFF limited to 4 GiB: " + target);
        }
        return (int) offset;
    }

    private static long align(long position) {
        return position + (position % 2);
    }

    private static int[] repeat(int value, int n) {
        int[] out = new int[n];
        java.util.Arrays.fill(out, value);
        return out;
    }

    private static long[] toLongArray(List<Long> list) {
        return list.stream().mapToLong(Long::longValue).toArray();
    }

    /** One IFD entry with its value bytes (little-endian). */
    private record Entry(int tag, int type, int count, byte[] data) {
        static Entry shorts(int tag, int... v) {
            ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            for (int x : v) {
                b.putShort((short) x);
            }
            return new Entry(tag, 3, v.length, b.array());
        }

        static Entry longs(int tag, long... v) {
            ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            for (long x : v) {
                b.putInt((int) x);
            }
            return new Entry(tag, 4, v.length, b.array());
        }

        static Entry long8s(int tag, long... v) {
            ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            for (long x : v) {
                b.putLong(x);
            }
            return new Entry(tag, 16, v.length, b.array());
        }

        static Entry doubles(int tag, List<Double> v) {
            ByteBuffer b = ByteBuffer.allocate(8 * v.size()).order(ByteOrder.LITTLE_ENDIAN);
            for (double x : v) {
                b.putDouble(x);
            }
            return new Entry(tag, 12, v.size(), b.array());
        }

        static Entry ascii(int tag, String s) {
            byte[] text = (s.endsWith("\0") ? s : s + "\0").getBytes(StandardCharsets.US_ASCII);
            return new Entry(tag, 2, text.length, text);
        }
    }
}
