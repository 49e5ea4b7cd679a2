package io.rrsis4j.data;

import io.rrsis4j.InvalidInputException;
import io.rrsis4j.io.AtomicFiles;
import io.rrsis4j.io.DisplayBands;
import io.rrsis4j.io.GeoRaster;
import io.rrsis4j.io.StrictImageReading;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/** Reads and writes PNG, JPEG and TIFF images (TIFF through the TwelveMonkeys ImageIO plugin). */
public final class Images {
    private Images() {}

    /**
     * Reads an image as TYPE_3BYTE_BGR (or TYPE_INT_RGB when it decodes so); grey and palette images
     * become RGB, alpha is dropped. TIFFs are read as {@link GeoRaster} reads scenes (every GDAL layout and
     * compression; palette colours; bands 1-3, wider samples stretched as {@link DisplayBands} does). A truncated or
     * corrupt PNG/JPEG is an input error, not an image with a grey remainder.
     */
    public static BufferedImage read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file, "image file not found");
        }
        if (isTiff(file)) {
            GeoRaster raster = GeoRaster.open(file);
            return DisplayBands.of(raster, null).readRgb(0, 0, raster.width(), raster.height());
        }
        BufferedImage img;
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new InvalidInputException(file, "not a readable PNG, JPEG or TIFF image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                img = StrictImageReading.read(reader, null);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidInputException iie) {
                throw iie;
            }
            throw new InvalidInputException(file, "cannot decode image: " + oneLine(e), e);
        }
        return toRgb(img);
    }

    private static boolean isTiff(Path file) {
        try (var in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4);
            return head.length == 4 && ((head[0] == 'I' && head[1] == 'I' && (head[2] == 42 || head[2] == 43) && head[3] == 0)
                    || (head[0] == 'M' && head[1] == 'M' && head[2] == 0 && (head[3] == 42 || head[3] == 43)));
        } catch (IOException e) {
            throw new InvalidInputException(file, "cannot read image: " + oneLine(e), e);
        }
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replaceAll("\\s+", " ").strip();
    }

    /** The image as TYPE_3BYTE_BGR or TYPE_INT_RGB; other types are converted. */
    public static BufferedImage toRgb(BufferedImage img) {
        int type = img.getType();
        if (type == BufferedImage.TYPE_3BYTE_BGR || type == BufferedImage.TYPE_INT_RGB) {
            return img;
        }
        BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = rgb.createGraphics();
        g.drawImage(img, 0, 0, null);
        g.dispose();
        return rgb;
    }

    /** Width and height from the file header, without decoding the pixels. */
    public static int[] size(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file, "image file not found");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new InvalidInputException(file, "not a readable PNG, JPEG or TIFF image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                return new int[] {reader.getWidth(0), reader.getHeight(0)};
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidInputException iie) {
                throw iie;
            }
            throw new InvalidInputException(file, "cannot read image header: " + oneLine(e), e);
        }
    }

    /** Writes an image in the format named by the extension (png, jpg, tif), atomically. */
    public static void write(BufferedImage img, String format, Path file) throws IOException {
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(img, format, out)) {
                throw new IOException("no ImageIO writer for " + format);
            }
        });
    }
}
