package io.rrsis4j.io.raster;

import io.airlift.compress.zstd.ZstdDecompressor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import mil.nga.tiff.compression.LZWCompression;
import mil.nga.tiff.compression.PackbitsCompression;

/**
 * Samples of a TIFF's first image read block by block (strip or tile), decoding only the blocks a window touches:
 * uncompressed, LZW, Deflate, PackBits and ZSTD; horizontal (2) and floating-point (3) predictors; pixel- and
 * band-interleaved; 1/2/4/8/16/32/64-bit integers (unsigned or signed) and 32/64-bit floats; palette images
 * expanded to RGB as GDAL does. Uncompressed strips are read row by row, so a scene stored as one huge strip still
 * needs memory for the window only. Recently decoded blocks are kept up to {@value #CACHE_BYTES} bytes, since
 * consecutive tile rows of a sliding window overlap.
 */
final class TiffBlocks implements GeoRaster.PixelSource {

    /** A compressed block larger than this is refused rather than decoded whole (GDAL writes 256 x 256 tiles). */
    static final long MAX_BLOCK_BYTES = 256L << 20;
    private static final long CACHE_BYTES = 64L << 20;

    private final RasterBytes file;
    private final long fileSize;
    private final int width;
    private final int height;
    private final SampleFormat format;
    private final int compression;
    private final int predictor;
    private final boolean planar;
    private final boolean tiled;
    private final int samplesPerPixel;
    private final int blockWidth;
    private final int blockHeight;
    /** Rows per stored strip when blocks are single rows of uncompressed strips, else 0. */
    private final int rowsPerStrip;
    private final int blocksAcross;
    private final int blocksDown;
    private final long[] offsets;
    private final long[] byteCounts;
    private final int[][] palette;
    private final ByteOrder sampleOrder;
    private final Map<Long, byte[]> cache = new LinkedHashMap<>(16, 0.75f, true);
    private long cachedBytes;
    /** The decoded bytes of a block that is not in the file (never written to: blocks are only read). */
    private byte[] zeros;

    /** Bit depth, kind and byte order of one sample. */
    record SampleFormat(int bits, int kind, ByteOrder order) {
        static final int UNSIGNED = 1;
        static final int SIGNED = 2;
        static final int FLOAT = 3;
    }

    private TiffBlocks(RasterBytes file, TiffDirectory dir, SampleFormat format, int compression, int predictor,
                       boolean planar, int blockWidth, int blockHeight, int rowsPerStrip, long[] offsets,
                       long[] byteCounts, int[][] palette) {
        this.file = file;
        this.fileSize = dir.fileSize;
        this.width = (int) dir.first(256, 0);
        this.height = (int) dir.first(257, 0);
        this.samplesPerPixel = (int) dir.first(277, 1);
        this.format = format;
        this.compression = compression;
        this.predictor = predictor;
        this.planar = planar;
        this.tiled = dir.get(322) != null;
        this.blockWidth = blockWidth;
        this.blockHeight = blockHeight;
        this.rowsPerStrip = rowsPerStrip;
        this.blocksAcross = ceilDiv(width, blockWidth);
        this.blocksDown = ceilDiv(height, blockHeight);
        this.offsets = offsets;
        this.byteCounts = byteCounts;
        this.palette = palette;
        // the floating-point predictor leaves samples little-endian whatever the file's byte order
        this.sampleOrder = predictor == 3 ? ByteOrder.LITTLE_ENDIAN : dir.order;
    }

    /** Checks the directory describes a layout this reader decodes; one-line errors for the rest. */
    static TiffBlocks open(RasterBytes file, TiffDirectory dir, int width, int height, int compression, int samplesPerPixel,
                           SampleFormat format) {
        int predictor = (int) dir.first(317, 1);
        boolean planar = dir.first(284, 1) == 2 && samplesPerPixel > 1;
        if (predictor < 1 || predictor > 3 || (predictor == 2 && format.bits() % 8 != 0)
                || (predictor == 3 && format.kind() != SampleFormat.FLOAT)) {
            throw file.problem("TIFF predictor " + predictor + " does not fit "
                    + format.bits() + "-bit samples");
        }
        boolean tiled = dir.get(322) != null;
        int blockWidth = tiled ? (int) dir.first(322, 0) : width;
        int blockHeight = tiled ? (int) dir.first(323, 0) : (int) Math.min(height, dir.first(278, height));
        if (blockWidth <= 0 || blockHeight <= 0) {
            throw file.problem("TIFF tile or strip size is not positive");
        }
        double[] offsetTag = dir.get(tiled ? 324 : 273);
        double[] countTag = dir.get(tiled ? 325 : 279);
        long blocks = (long) ceilDiv(width, blockWidth) * ceilDiv(height, blockHeight) * (planar ? samplesPerPixel : 1);
        if (offsetTag == null || offsetTag.length < blocks) {
            throw file.problem("TIFF has " + (offsetTag == null ? 0 : offsetTag.length)
                    + " strip/tile offsets, its size needs " + blocks);
        }
        if (compression != 1 && (countTag == null || countTag.length < blocks)) {
            throw file.problem("compressed TIFF lacks the byte counts of its strips/tiles");
        }
        long sppInBlock = planar ? 1 : samplesPerPixel;
        long blockBytes = blockHeight * ((blockWidth * sppInBlock * format.bits() + 7) / 8);
        if (compression != 1 && blockBytes > MAX_BLOCK_BYTES) {
            throw file.problem("TIFF strips/tiles of " + (blockBytes >> 20) + " MiB are too large to"
                    + " decode (rewrite it tiled: gdal_translate -co TILED=YES)");
        }
        long[] offsets = Arrays.stream(offsetTag).mapToLong(v -> (long) v).toArray();
        long[] counts = countTag == null ? null : Arrays.stream(countTag).mapToLong(v -> (long) v).toArray();
        int rowsPerStrip = 0;
        if (compression == 1 && !tiled) {
            rowsPerStrip = blockHeight; // uncompressed strips: each row is a block of its own
            blockHeight = 1;
        }
        int photometric = (int) dir.first(262, 1);
        int[][] palette = photometric == 3 ? palette(file, dir, format) : null;
        if (palette == null && samplesPerPixel == 1 && format.kind() == SampleFormat.UNSIGNED
                && ((format.bits() == 1 && photometric == 1) || (format.bits() <= 8 && photometric == 0))) {
            palette = greyRamp(format.bits(), photometric == 0);
        }
        return new TiffBlocks(file, dir, format, compression, predictor, planar, blockWidth, blockHeight,
                rowsPerStrip, offsets, counts, palette);
    }

    /**
     * The colour map as 8-bit RGB, scaled like GDAL: by 257 when every entry is a multiple of 257, unchanged when
     * all fit in 8 bits (writers that forgot to scale), else by 256.
     */
    private static int[][] palette(RasterBytes file, TiffDirectory dir, SampleFormat format) {
        double[] map = dir.get(320);
        int entries = 1 << format.bits();
        if (format.kind() != SampleFormat.UNSIGNED || format.bits() > 16 || (int) dir.first(277, 1) != 1
                || map == null || map.length < 3 * entries) {
            throw file.problem("TIFF palette image has no usable colour map");
        }
        boolean by257 = Arrays.stream(map, 0, 3 * entries).allMatch(v -> v % 257 == 0);
        boolean eightBit = Arrays.stream(map, 0, 3 * entries).allMatch(v -> v <= 255);
        int[][] rgb = new int[3][entries];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < entries; i++) {
                int v = (int) map[c * entries + i];
                rgb[c][i] = by257 ? v / 257 : eightBit ? v : v >> 8;
            }
        }
        return rgb;
    }

    /**
     * The colour table GDAL gives a band it shows as a palette: a 1-bit band as black and white, and a min-is-white
     * band of up to 8 bits as the inverted grey ramp 255 * (n - 1 - i) / (n - 1).
     */
    private static int[][] greyRamp(int bits, boolean minIsWhite) {
        int n = 1 << bits;
        int[] grey = new int[n];
        for (int i = 0; i < n; i++) {
            grey[i] = 255 * (minIsWhite ? n - 1 - i : i) / (n - 1);
        }
        return new int[][] {grey, grey, grey};
    }

    /** Whether samples are palette indices shown as their 8-bit RGB colours. */
    boolean expandsPalette() {
        return palette != null;
    }

    @Override
    public int bands() {
        return palette != null ? 3 : samplesPerPixel;
    }

    @Override
    public float[][] read(int x, int y, int w, int h, int[] bandIndices) {
        float[][] out = new float[bandIndices.length][w * h];
        int sppInBlock = planar ? 1 : samplesPerPixel;
        try (RasterBytes.Reader ch = file.open()) {
            for (int by = y / blockHeight; by <= (y + h - 1) / blockHeight; by++) {
                for (int bx = x / blockWidth; bx <= (x + w - 1) / blockWidth; bx++) {
                    int x0 = Math.max(x, bx * blockWidth);
                    int x1 = Math.min(x + w, Math.min(width, (bx + 1) * blockWidth));
                    int y0 = Math.max(y, by * blockHeight);
                    int y1 = Math.min(y + h, Math.min(height, (by + 1) * blockHeight));
                    for (int i = 0; i < bandIndices.length; i++) {
                        int band = palette != null ? 0 : bandIndices[i];
                        int plane = planar ? band : 0;
                        byte[] data = block(ch, plane, bx, by);
                        int sample = planar ? 0 : band;
                        int[] colours = palette == null ? null : palette[bandIndices[i]];
                        long rowBits = rowBytes(sppInBlock) * 8L;
                        for (int yy = y0; yy < y1; yy++) {
                            int dst = (yy - y) * w + (x0 - x);
                            long rowStart = (yy - by * blockHeight) * rowBits;
                            if (format.bits() == 8 && format.kind() == SampleFormat.UNSIGNED && colours == null) {
                                // the common case, without the general sample decoding
                                int at = (int) (rowStart >>> 3) + (x0 - bx * blockWidth) * sppInBlock + sample;
                                float[] o = out[i];
                                for (int xx = x0; xx < x1; xx++, at += sppInBlock) {
                                    o[dst++] = data[at] & 0xFF;
                                }
                                continue;
                            }
                            for (int xx = x0; xx < x1; xx++) {
                                long bit = rowStart + ((long) (xx - bx * blockWidth) * sppInBlock + sample) * format.bits();
                                float v = sample(data, bit);
                                out[i][dst++] = colours == null ? v : colours[(int) v];
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw file.problem("cannot read TIFF: " + e.getMessage(), e);
        }
        return out;
    }

    private long rowBytes(int sppInBlock) {
        return ((long) blockWidth * sppInBlock * format.bits() + 7) / 8;
    }

    private float sample(byte[] d, long bit) {
        int bits = format.bits();
        int at = (int) (bit >>> 3);
        boolean little = sampleOrder == ByteOrder.LITTLE_ENDIAN;
        switch (bits) {
            case 8 -> {
                return format.kind() == SampleFormat.SIGNED ? d[at] : d[at] & 0xFF;
            }
            case 16 -> {
                int v = little ? (d[at] & 0xFF) | (d[at + 1] & 0xFF) << 8 : (d[at] & 0xFF) << 8 | (d[at + 1] & 0xFF);
                return format.kind() == SampleFormat.SIGNED ? (short) v : v;
            }
            case 32 -> {
                int v = ByteBuffer.wrap(d, at, 4).order(sampleOrder).getInt();
                return switch (format.kind()) {
                    case SampleFormat.FLOAT -> Float.intBitsToFloat(v);
                    case SampleFormat.SIGNED -> v;
                    default -> v & 0xFFFFFFFFL;
                };
            }
            case 64 -> {
                long v = ByteBuffer.wrap(d, at, 8).order(sampleOrder).getLong();
                return switch (format.kind()) {
                    case SampleFormat.FLOAT -> (float) Double.longBitsToDouble(v);
                    case SampleFormat.SIGNED -> v;
                    default -> v >= 0 ? v : (float) (v >>> 1) * 2f;
                };
            }
            default -> {
                // 1 to 31 bits packed most significant bit first, whatever the byte order (GDAL's NBITS)
                int shift = (int) (bit & 7);
                int span = (shift + bits + 7) / 8;
                long window = 0;
                for (int k = 0; k < span; k++) {
                    window = window << 8 | (d[at + k] & 0xFF);
                }
                return (window >>> (span * 8 - shift - bits)) & ((1L << bits) - 1);
            }
        }
    }

    /** Decoded bytes of one block (after decompression and predictor), from the cache when recently used. */
    private byte[] block(RasterBytes.Reader ch, int plane, int bx, int by) throws IOException {
        long index = ((long) plane * blocksDown + by) * blocksAcross + bx;
        byte[] data = cache.get(index);
        if (data != null) {
            return data;
        }
        int sppInBlock = planar ? 1 : samplesPerPixel;
        long rowBytes = rowBytes(sppInBlock);
        int rows = tiled ? blockHeight : Math.min(blockHeight, height - by * blockHeight);
        int expected = (int) (rows * rowBytes);
        int storedBlock = rowsPerStrip > 0 ? plane * ceilDiv(height, rowsPerStrip) + by / rowsPerStrip : (int) index;
        if (offsets[storedBlock] == 0 && byteCounts != null && byteCounts[storedBlock] == 0) {
            // a block GDAL never wrote (SPARSE_OK=TRUE): no bytes in the file, read as zeros as GDAL reads it; not
            // the file's first bytes (its header) taken for pixels. One zero block serves them all, outside the
            // cache: caching each uncounted grew the cache without bound over a large sparse scene
            if (zeros == null || zeros.length != expected) {
                zeros = new byte[expected];
            }
            return zeros;
        }
        long offset;
        long length;
        if (rowsPerStrip > 0) {
            int stripsDown = ceilDiv(height, rowsPerStrip);
            offset = offsets[plane * stripsDown + by / rowsPerStrip] + (by % rowsPerStrip) * rowBytes;
            length = expected;
        } else {
            int stored = (int) index;
            offset = offsets[stored];
            length = compression == 1 ? expected : byteCounts[stored];
        }
        if (offset < 0 || length < 0 || offset + length > fileSize) {
            throw file.problem("TIFF strip/tile " + index + " lies outside the file");
        }
        byte[] raw = new byte[(int) length];
        try {
            ch.readFully(offset, raw, 0, raw.length);
        } catch (java.io.EOFException e) {
            throw file.problem("TIFF strip/tile " + index + " lies outside the file");
        }
        data = decompress(raw, expected, index);
        if (data.length < expected) {
            throw file.problem("TIFF strip/tile " + index + " decodes to " + data.length
                    + " bytes, its pixels need " + expected);
        }
        if (predictor == 2) {
            undoHorizontalDifferencing(data, rows, (int) rowBytes, sppInBlock);
        } else if (predictor == 3) {
            undoFloatingPointPredictor(data, rows, (int) rowBytes, sppInBlock);
        }
        cache.put(index, data);
        cachedBytes += data.length;
        var eldest = cache.entrySet().iterator();
        while (cachedBytes > CACHE_BYTES && cache.size() > 1) {
            cachedBytes -= eldest.next().getValue().length;
            eldest.remove();
        }
        return data;
    }

    private byte[] decompress(byte[] raw, int expected, long index) {
        try {
            return switch (compression) {
                case 1 -> raw;
                case 5 -> new LZWCompression().decode(raw, sampleOrder);
                case 8, 32946 -> inflate(raw, expected);
                case 32773 -> new PackbitsCompression().decode(raw, sampleOrder);
                case 50000 -> unzstd(raw, expected);
                default -> throw new IllegalStateException("compression " + compression);
            };
        } catch (RuntimeException | DataFormatException e) {
            throw file.problem("TIFF strip/tile " + index + " is corrupt ("
                    + GeoRaster.compressionName(compression) + "): " + GeoRaster.oneLine(e), e);
        }
    }

    /** Inflates up to {@code expected} bytes, growing the output as data comes (a damaged size claims nothing). */
    private static byte[] inflate(byte[] raw, int expected) throws DataFormatException {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(raw);
            byte[] out = new byte[Math.min(expected, Math.max(4096, 4 * raw.length))];
            int n = 0;
            while (n < expected && !inflater.finished()) {
                if (n == out.length) {
                    out = Arrays.copyOf(out, (int) Math.min(expected, 2L * out.length));
                }
                int got = inflater.inflate(out, n, out.length - n);
                if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                n += got;
            }
            return n == out.length ? out : Arrays.copyOf(out, n);
        } finally {
            inflater.end();
        }
    }

    private static byte[] unzstd(byte[] raw, int expected) {
        long declared = ZstdDecompressor.getDecompressedSize(raw, 0, raw.length);
        if (declared >= 0 && declared < expected) {
            return new byte[0]; // too short for the block's pixels: reported as such by the caller
        }
        byte[] out = new byte[expected];
        int n = new ZstdDecompressor().decompress(raw, 0, raw.length, out, 0, expected);
        return n == expected ? out : Arrays.copyOf(out, n);
    }

    private void undoHorizontalDifferencing(byte[] d, int rows, int rowBytes, int spp) {
        int bytes = format.bits() / 8;
        ByteBuffer b = ByteBuffer.wrap(d).order(sampleOrder);
        for (int r = 0; r < rows; r++) {
            int row = r * rowBytes;
            for (int i = spp; i < blockWidth * spp; i++) {
                int at = row + i * bytes;
                int prev = at - spp * bytes;
                switch (bytes) {
                    case 1 -> d[at] += d[prev];
                    case 2 -> b.putShort(at, (short) (b.getShort(at) + b.getShort(prev)));
                    case 4 -> b.putInt(at, b.getInt(at) + b.getInt(prev));
                    default -> b.putLong(at, b.getLong(at) + b.getLong(prev));
                }
            }
        }
    }

    /** TIFF Technical Note 3: bytes differenced with stride spp, then split into planes, most significant first. */
    private void undoFloatingPointPredictor(byte[] d, int rows, int rowBytes, int spp) {
        int bytes = format.bits() / 8;
        int samples = blockWidth * spp;
        byte[] tmp = new byte[samples * bytes];
        for (int r = 0; r < rows; r++) {
            int row = r * rowBytes;
            for (int i = spp; i < samples * bytes; i++) {
                d[row + i] += d[row + i - spp];
            }
            System.arraycopy(d, row, tmp, 0, tmp.length);
            for (int s = 0; s < samples; s++) {
                for (int k = 0; k < bytes; k++) {
                    d[row + s * bytes + k] = tmp[(bytes - k - 1) * samples + s];
                }
            }
        }
    }

    private static int ceilDiv(int a, int b) {
        return (int) (((long) a + b - 1) / b);
    }
}
