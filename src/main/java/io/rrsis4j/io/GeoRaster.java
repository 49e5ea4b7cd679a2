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
 * A scene raster with its georeferencing, read by window. GeoTIFFs are read with mil.nga:tiff, which holds the
 * file's bytes in memory (a byte[], so files up to ~1-2 GB) but decodes only the strips or tiles a window touches
 * (block cache off). Plain PNG/JPEG (and TIFFs mil.nga cannot read) are decoded whole with ImageIO and carry no
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
