package io.rrsis4j.serve;

import io.rrsis4j.InvalidInputException;
import io.rrsis4j.data.Images;
import io.rrsis4j.io.raster.DecodedImage;
import io.rrsis4j.io.raster.DisplayBands;
import io.rrsis4j.io.raster.GeoRaster;
import io.rrsis4j.io.raster.ImageOrientation;
import io.rrsis4j.io.raster.StrictImageReading;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Decodes an uploaded image (the formats {@link StrictImageReading} reads, and TIFF), checking its dimensions from the header before decoding pixels. TIFFs are
 * read as scenes are ({@link GeoRaster}: every GDAL layout and compression, palette colours, wide samples stretched).
 */
public final class UploadedImages {
    private UploadedImages() {}

    /** Called with an image's declared size, within the limits, before its pixels are decoded; throws to refuse. */
    interface Admission {
        void admit(int width, int height);
    }

    public static BufferedImage decode(byte[] bytes, int maxWidth, int maxHeight) {
        return decode(bytes, maxWidth, maxHeight, (width, height) -> { }).image();
    }

    /** The upload decoded as files are ({@link Images#decode}), with its notes (EXIF turn, transparency). */
    static DecodedImage decode(byte[] bytes, int maxWidth, int maxHeight, Admission admission) {
        if (GeoRaster.startsLikeTiff(bytes)) {
            return DecodedImage.plain(decodeTiff(bytes, maxWidth, maxHeight, admission));
        }
        try {
            return StrictImageReading.withReader(bytes, reader -> {
                ImageOrientation orientation;
                int width;
                int height;
                try {
                    orientation = ImageOrientation.of(reader);
                    width = reader.getWidth(0);
                    height = reader.getHeight(0);
                } catch (IOException | RuntimeException e) {
                    throw new ApiException(400, "image header is corrupt: " + StrictImageReading.problem(e));
                }
                if (orientation.swapsSides()) {
                    int w = width;
                    width = height;
                    height = w;
                }
                if (width > maxWidth || height > maxHeight) {
                    throw new ApiException(413, "image is " + width + " x " + height
                            + " pixels; at most " + maxWidth + " x " + maxHeight + " accepted");
                }
                admission.admit(width, height);
                try { // a cut or damaged JPEG is only a decoder warning (rest filled grey): an error here
                    return Images.toRgb(StrictImageReading.decode(reader));
                } catch (IOException | RuntimeException e) {
                    throw new ApiException(400, "image data is corrupt: " + StrictImageReading.problem(e));
                }
            });
        } catch (StrictImageReading.UnreadableImage e) {
            throw new ApiException(415, "image: " + e.getMessage());
        } catch (IOException e) {
            throw new ApiException(400, "image cannot be read: " + StrictImageReading.problem(e));
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
