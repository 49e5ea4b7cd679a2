package io.rrsis4j.data;

import io.rrsis4j.InvalidInputException;
import io.rrsis4j.io.AtomicFiles;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
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
     * become RGB, alpha is dropped.
     */
    public static BufferedImage read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file, "image file not found");
        }
        BufferedImage img;
        try (InputStream in = Files.newInputStream(file)) {
            img = ImageIO.read(in);
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException(file, "cannot decode image: " + e.getMessage(), e);
        }
        if (img == null) {
            throw new InvalidInputException(file, "not a readable PNG, JPEG or TIFF image");
        }
        return toRgb(img);
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
            throw new InvalidInputException(file, "cannot read image header: " + e.getMessage(), e);
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
