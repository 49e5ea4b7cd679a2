package io.rrsis4j.io;

import io.rrsis4j.InvalidInputException;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import mil.nga.tiff.FieldTagType;
import mil.nga.tiff.FileDirectory;
import mil.nga.tiff.FileDirectoryEntry;
import mil.nga.tiff.ImageWindow;
import mil.nga.tiff.Rasters;
import mil.nga.tiff.TIFFImage;
import mil.nga.tiff.TiffReader;

/**
 * A scene raster with its georeferencing, read by window. Uncompressed stripped 8/16-bit TIFFs are read straight
 * from disk, one window at a time (memory independent of the scene size). Other TIFFs (compressed, tiled) are
 * read with mil.nga:tiff, which holds the whole file's bytes in memory (a byte[], so files up to ~1-2 GB) but
 * decodes only the strips or tiles a window touches (block cache off). Plain PNG/JPEG (and TIFFs mil.nga cannot read) are decoded whole with ImageIO and carry no
 * georeferencing: identity pixel transform, no CRS.
 */
public final class GeoRaster {

    private final Path file;
    private final int width;
    private final int height;
    private final int bands;
    private final int bitsPerSample;
    private final GeoReferencing geo;
    private final FileDirectory directory;
    private final BufferedImage plain;
    private StripLayout strips;

    /** Where the rows of an uncompressed, stripped, pixel-interleaved TIFF lie in the file. */
    private record StripLayout(long[] offsets, int rowsPerStrip, int bytesPerSample, java.nio.ByteOrder order) {}

    private GeoRaster(Path file, int width, int height, int bands, int bits, GeoReferencing geo,
                      FileDirectory directory, BufferedImage plain) {
        this.file = file;
        this.width = width;
        this.height = height;
        this.bands = bands;
        this.bitsPerSample = bits;
        this.geo = geo;
        this.directory = directory;
        this.plain = plain;
    }

    public static GeoRaster open(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file, "image file not found");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".tif") || name.endsWith(".tiff")) {
            GeoRaster direct = openUncompressedStrips(file);
            if (direct != null) {
                return direct;
            }
            try {
                TIFFImage tiff = TiffReader.readTiff(file.toFile(), false);
                FileDirectory dir = tiff.getFileDirectory();
                int bits = dir.getMaxBitsPerSample();
                if (bits != 8 && bits != 16) {
                    throw new InvalidInputException(file, "only 8- and 16-bit samples are supported, found " + bits);
                }
                GeoReferencing geo = new GeoReferencing(
                        doubles(dir, FieldTagType.ModelPixelScale),
                        doubles(dir, FieldTagType.ModelTiepoint),
                        doubles(dir, FieldTagType.ModelTransformation),
                        integers(dir, FieldTagType.GeoKeyDirectory),
                        doubles(dir, FieldTagType.GeoDoubleParams),
                        asciiParams(dir));
                return new GeoRaster(file, dir.getImageWidth().intValue(), dir.getImageHeight().intValue(),
                        dir.getSamplesPerPixel(), bits, geo, dir, null);
            } catch (InvalidInputException e) {
                throw e;
            } catch (RuntimeException | IOException e) {
                // fall through to ImageIO (TwelveMonkeys) for TIFF variants mil.nga cannot decode
            }
        }
        try {
            BufferedImage image = ImageIO.read(file.toFile());
            if (image == null) {
                throw new InvalidInputException(file, "not a readable image (TIFF, PNG or JPEG expected)");
            }
            Raster r = image.getRaster();
            return new GeoRaster(file, image.getWidth(), image.getHeight(), r.getNumBands(),
                    r.getSampleModel().getSampleSize(0) > 8 ? 16 : 8, GeoReferencing.none(), null, image);
        } catch (IOException e) {
            throw new InvalidInputException(file, "cannot read image: " + e.getMessage(), e);
        }
    }

    /**
     * Uncompressed, stripped, chunky 8/16-bit unsigned TIFFs (what {@link StripTiffWriter} writes, and many GDAL
     * outputs) are read straight from disk, row by row, holding no more than the requested window. Null when the
     * file has another layout (compressed, tiled, planar, float...): then mil.nga:tiff reads it.
     */
    private static GeoRaster openUncompressedStrips(Path file) {
        TiffDirectory dir;
        try {
            dir = TiffDirectory.read(file);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (dir == null || dir.first(259, 1) != 1 || dir.first(284, 1) != 1 || dir.get(322) != null
                || dir.get(273) == null || dir.get(256) == null || dir.get(257) == null
                || (dir.get(339) != null && java.util.Arrays.stream(dir.get(339)).anyMatch(v -> v != 1))) {
            return null;
        }
        double[] bits = dir.get(258) == null ? new double[] {1} : dir.get(258);
        int b = (int) bits[0];
        if ((b != 8 && b != 16) || java.util.Arrays.stream(bits).anyMatch(v -> v != b)) {
            return null;
        }
        int width = (int) dir.first(256, 0);
        int height = (int) dir.first(257, 0);
        int bands = (int) dir.first(277, 1);
        long[] offsets = java.util.Arrays.stream(dir.get(273)).mapToLong(v -> (long) v).toArray();
        int rowsPerStrip = (int) Math.min(height, dir.first(278, height));
        if (offsets.length < (height + rowsPerStrip - 1) / rowsPerStrip) {
            throw new InvalidInputException(file, "TIFF has fewer strips than its rows need");
        }
        GeoReferencing geo = new GeoReferencing(list(dir.get(33550)), list(dir.get(33922)),
                list(dir.get(34264)), dir.get(34735) == null ? null
                        : java.util.Arrays.stream(dir.get(34735)).mapToObj(v -> (int) v).toList(),
                list(dir.get(34736)), dir.ascii(34737));
        GeoRaster raster = new GeoRaster(file, width, height, bands, b, geo, null, null);
        raster.strips = new StripLayout(offsets, rowsPerStrip, b / 8, dir.order);
        return raster;
    }

    private static List<Double> list(double[] v) {
        return v == null ? null : java.util.Arrays.stream(v).boxed().toList();
    }

    private int[][] readStrips(int x, int y, int w, int h, int[] bandIndices, int[][] out) {
        int bps = strips.bytesPerSample();
        int pixelBytes = bands * bps;
        java.nio.ByteBuffer row = java.nio.ByteBuffer.allocate(w * pixelBytes).order(strips.order());
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
            for (int r = 0; r < h; r++) {
                int yy = y + r;
                long pos = strips.offsets()[yy / strips.rowsPerStrip()]
                        + (long) (yy % strips.rowsPerStrip()) * width * pixelBytes + (long) x * pixelBytes;
                row.clear();
                while (row.hasRemaining()) {
                    if (ch.read(row, pos + row.position()) < 0) {
                        throw new InvalidInputException(file, "file ends inside row " + yy);
                    }
                }
                for (int i = 0; i < bandIndices.length; i++) {
                    int[] dst = out[i];
                    int base = r * w;
                    int off = bandIndices[i] * bps;
                    for (int c = 0; c < w; c++) {
                        int at = c * pixelBytes + off;
                        dst[base + c] = bps == 1 ? row.get(at) & 0xFF : row.getShort(at) & 0xFFFF;
                    }
                }
            }
        } catch (IOException e) {
            throw new InvalidInputException(file, "cannot read window: " + e.getMessage(), e);
        }
        return out;
    }

    /** Tag values as a list; mil.nga gives a bare value instead of a list when the count is 1. */
    private static List<Number> numbers(FileDirectory dir, FieldTagType tag) {
        FileDirectoryEntry entry = dir.get(tag);
        if (entry == null) {
            return null;
        }
        Object v = entry.getValues();
        if (v instanceof List<?> list) {
            return list.stream().map(o -> (Number) o).toList();
        }
        return List.of((Number) v);
    }

    private static List<Double> doubles(FileDirectory dir, FieldTagType tag) {
        List<Number> n = numbers(dir, tag);
        return n == null ? null : n.stream().map(Number::doubleValue).toList();
    }

    private static List<Integer> integers(FileDirectory dir, FieldTagType tag) {
        List<Number> n = numbers(dir, tag);
        return n == null ? null : n.stream().map(Number::intValue).toList();
    }

    private static String asciiParams(FileDirectory dir) {
        Object entry = dir.get(FieldTagType.GeoAsciiParams) == null ? null
                : dir.get(FieldTagType.GeoAsciiParams).getValues();
        if (entry instanceof List<?> list) {
            return list.isEmpty() ? null : String.valueOf(list.get(0));
        }
        return entry == null ? null : entry.toString();
    }

    public Path file() {
        return file;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int bands() {
        return bands;
    }

    public int bitsPerSample() {
        return bitsPerSample;
    }

    public GeoReferencing geo() {
        return geo;
    }

    /**
     * Samples of a window, one array per requested band (0-based band indices), row-major (index y * w + x),
     * unsigned values (0-255 or 0-65535).
     */
    public int[][] readWindow(int x, int y, int w, int h, int[] bandIndices) {
        if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > width || y + h > height) {
            throw new IllegalArgumentException("window " + x + "," + y + " " + w + "x" + h + " outside "
                    + width + "x" + height);
        }
        for (int b : bandIndices) {
            if (b < 0 || b >= bands) {
                throw new InvalidInputException(file, "band " + (b + 1) + " requested but the image has " + bands);
            }
        }
        int[][] out = new int[bandIndices.length][w * h];
        if (plain != null) {
            Raster r = plain.getRaster();
            for (int i = 0; i < bandIndices.length; i++) {
                r.getSamples(x, y, w, h, bandIndices[i], out[i]);
            }
            return out;
        }
        if (strips != null) {
            return readStrips(x, y, w, h, bandIndices, out);
        }
        Rasters rasters;
        try {
            rasters = directory.readRasters(new ImageWindow(x, y, x + w, y + h), bandIndices, true, false);
        } catch (RuntimeException e) {
            throw new InvalidInputException(file, "cannot decode window: " + e.getMessage(), e);
        }
        ByteBuffer[] samples = rasters.getSampleValues();
        for (int i = 0; i < bandIndices.length; i++) {
            ByteBuffer buf = samples[i].duplicate().order(samples[i].order());
            buf.rewind();
            int[] dst = out[i];
            if (rasters.getFieldTypes()[i].getBytes() == 1) {
                for (int p = 0; p < dst.length; p++) {
                    dst[p] = buf.get() & 0xFF;
                }
            } else {
                for (int p = 0; p < dst.length; p++) {
                    dst[p] = buf.getShort() & 0xFFFF;
                }
            }
        }
        return out;
    }
}
