package io.rrsis4j.serve;

import io.rrsis4j.InvalidInputException;
import io.rrsis4j.io.raster.DisplayBands;
import io.rrsis4j.io.raster.GeoRaster;
import io.rrsis4j.io.raster.StrictImageReading;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes an uploaded PNG, JPEG or TIFF, checking its dimensions from the header before decoding pixels. TIFFs are
 * read as scenes are ({@link GeoRaster}: every GDAL layout and compression, palette colours, wide samples stretched).
 */
public final class UploadedImages {
    private static final Set<String> ACCEPTED = Set.of("png", "jpeg", "tiff");

    static {
        ImageIO.scanForPlugins(); // TIFF reader (TwelveMonkeys) registers itself through the service loader
    }

    private UploadedImages() {}

    /** Called with an image's declared size, within the limits, before its pixels are decoded; throws to refuse. */
    interface Admission {
        void admit(int width, int height);
    }

    public static BufferedImage decode(byte[] bytes, int maxWidth, int maxHeight) {
        return decode(bytes, maxWidth, maxHeight, (width, height) -> { });
    }

    static BufferedImage decode(byte[] bytes, int maxWidth, int maxHeight, Admission admission) {
        if (GeoRaster.startsLikeTiff(bytes)) {
            return decodeTiff(bytes, maxWidth, maxHeight, admission);
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            ImageReader reader = null;
            while (readers.hasNext()) {
                ImageReader candidate = readers.next();
                if (ACCEPTED.contains(candidate.getFormatName().toLowerCase(Locale.ROOT))) {
                    reader = candidate;
                    break;
                }
            }
            if (reader == null) {
                throw new ApiException(415, "image is not a PNG, JPEG or TIFF file");
            }
            try {
                reader.setInput(in, true, true);
                int width;
                int height;
                try {
                    width = reader.getWidth(0);
                    height = reader.getHeight(0);
                } catch (IOException | RuntimeException e) {
                    throw new ApiException(400, "image header is corrupt: " + oneLine(e));
                }
                if (width > maxWidth || height > maxHeight) {
                    throw new ApiException(413, "image is " + width + " x " + height
                            + " pixels; at most " + maxWidth + " x " + maxHeight + " accepted");
                }
                admission.admit(width, height);
                try { // a cut or damaged JPEG is only a decoder warning (rest filled grey): an error here
                    return StrictImageReading.read(reader, null);
                } catch (IOException | RuntimeException e) {
                    throw new ApiException(400, "image data is corrupt: " + oneLine(e));
                }
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new ApiException(400, "image cannot be read: " + oneLine(e));
        }
    }

    private static BufferedImage decodeTiff(byte[] bytes, int maxWidth, int maxHeight, Admission admission) {
        Path file = null;
        try {
            file = Files.createTempFile("upload", ".tif");
            Files.write(file, bytes);
            GeoRaster raster = GeoRaster.open(file);
            if (raster.width() > maxWidth || raster.height() > maxHeight) {
                throw new ApiException(413, "image is " + raster.width() + " x " + raster.height()
                        + " pixels; at most " + maxWidth + " x " + maxHeight + " accepted");
            }
            admission.admit(raster.width(), raster.height());
            return DisplayBands.of(raster, null).readRgb(0, 0, raster.width(), raster.height());
        } catch (InvalidInputException e) {
            String message = e.getMessage();
            String prefix = file + ": ";
            throw new ApiException(400, "image: " + (message.startsWith(prefix) ? message.substring(prefix.length()) : message));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot buffer the uploaded TIFF", e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a temporary file left behind is harmless
                }
            }
        }
    }

    static String oneLine(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : ApiException.oneLine(e.getMessage());
    }
}
