package io.rrsis4j.io.raster;

import io.rrsis4j.InvalidInputException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decoding with ImageIO where a damaged file is an error: ImageIO reports a truncated or corrupt JPEG only as a
 * warning and returns the image with the missing part filled grey, which would be segmented as if it were real.
 */
public final class StrictImageReading {
    private StrictImageReading() {}

    /** What to do with a file's ImageIO reader. */
    @FunctionalInterface
    public interface ReaderUse<T> {
        T apply(ImageReader reader) throws IOException;
    }

    /** Decodes a PNG/JPEG (any format ImageIO reads) whole; a damaged file is a one-line input error. */
    public static BufferedImage read(Path file) {
        return withReader(file, "cannot decode image", reader -> read(reader, null));
    }

    /** Plain images larger than this are not decoded from cluster storage (they would be decoded whole anyway). */
    static final long MAX_REMOTE_PLAIN_BYTES = 1L << 30;

    /**
     * Decodes a PNG/JPEG whole wherever its bytes are: a local file as {@link #read(Path)}, other bytes read once
     * into memory (a plain image has no blocks to read by window).
     */
    static BufferedImage read(RasterBytes bytes) {
        if (bytes.localFile() != null) {
            return read(bytes.localFile());
        }
        byte[] data;
        try (RasterBytes.Reader reader = bytes.open()) {
            long size = bytes.size();
            if (size > MAX_REMOTE_PLAIN_BYTES) {
                throw bytes.problem("a plain image of " + (size >> 20) + " MiB is too large to read from cluster"
                        + " storage (convert it to a tiled GeoTIFF: gdal_translate -co TILED=YES)");
            }
            data = new byte[(int) size];
            reader.readFully(0, data, 0, data.length);
        } catch (IOException e) {
            throw bytes.problem("cannot read image: " + GeoRaster.oneLine(e), e);
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(data))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw bytes.problem("not a readable image (TIFF, PNG or JPEG expected)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return read(reader, null);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidInputException iie) {
                throw iie;
            }
            throw bytes.problem("cannot decode image: " + GeoRaster.oneLine(e), e);
        }
    }

    /**
     * Runs {@code use} on the ImageIO reader of a file (input set, forward only); any failure becomes a one-line
     * input error starting with {@code failure}.
     */
    public static <T> T withReader(Path file, String failure, ReaderUse<T> use) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new InvalidInputException(file, "not a readable image (TIFF, PNG or JPEG expected)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return use.apply(reader);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidInputException iie) {
                throw iie;
            }
            throw new InvalidInputException(file, failure + ": " + GeoRaster.oneLine(e), e);
        }
    }

    /** Reads image 0 from a reader whose input is set; any decoder warning becomes an IIOException. */
    public static BufferedImage read(ImageReader reader, ImageReadParam param) throws IOException {
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        BufferedImage image = reader.read(0, param);
        if (!warnings.isEmpty()) {
            throw new IIOException("image data is truncated or corrupt (" + warnings.get(0) + ")");
        }
        return image;
    }
}
