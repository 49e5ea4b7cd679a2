package io.rrsis4j.data;

import io.rrsis4j.io.files.AtomicFiles;
import io.rrsis4j.io.files.FileErrors;
import io.rrsis4j.io.raster.DisplayBands;
import io.rrsis4j.io.raster.GeoRaster;
import io.rrsis4j.io.raster.StrictImageReading;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Reads and writes PNG, JPEG and TIFF images (TIFFs read by {@link GeoRaster}, written through TwelveMonkeys). */
public final class Images {
    private Images() {}

    /**
     * Reads an image as TYPE_3BYTE_BGR (or TYPE_INT_RGB when it decodes so); grey and palette images
     * become RGB, alpha is dropped. TIFFs are read as {@link GeoRaster} reads scenes (every GDAL layout and
     * compression; palette colours; bands 1-3, wider samples stretched as {@link DisplayBands} does). A truncated or
     * corrupt PNG/JPEG is an input error, not an image with a grey remainder.
     */
    public static BufferedImage read(Path file) {
        FileErrors.requireFile(file, "image file");
        if (GeoRaster.isTiff(file)) {
            GeoRaster raster = GeoRaster.open(file);
            if ((long) raster.width() * raster.height() * 3 > Integer.MAX_VALUE) { // beyond one Java image's bytes
                throw new io.rrsis4j.InvalidInputException(file, raster.width() + " x " + raster.height()
                        + " pixels is too large for one image; segment it as a scene with --tile");
            }
            return DisplayBands.of(raster, null).readRgb(0, 0, raster.width(), raster.height());
        }
        BufferedImage img = StrictImageReading.read(file);
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
        FileErrors.requireFile(file, "image file");
        return StrictImageReading.withReader(file, "cannot read image header",
                reader -> new int[] {reader.getWidth(0), reader.getHeight(0)});
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
