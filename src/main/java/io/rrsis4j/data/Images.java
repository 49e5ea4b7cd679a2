package io.rrsis4j.data;

import io.rrsis4j.io.files.AtomicFiles;
import io.rrsis4j.io.files.FileErrors;
import io.rrsis4j.io.raster.DecodedImage;
import io.rrsis4j.io.raster.DisplayBands;
import io.rrsis4j.io.raster.GeoRaster;
import io.rrsis4j.io.raster.ImageOrientation;
import io.rrsis4j.io.raster.StrictImageReading;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Reads and writes PNG, JPEG and TIFF images (TIFFs read by {@link GeoRaster}, written through TwelveMonkeys). */
public final class Images {
    private Images() {}

    /**
     * Reads an image as TYPE_3BYTE_BGR (or TYPE_INT_RGB when it decodes so); grey and palette images
     * become RGB. TIFFs are read as {@link GeoRaster} reads scenes (every GDAL layout and
     * compression; palette colours; bands 1-3, wider samples stretched as {@link DisplayBands} does). A truncated or
     * corrupt PNG/JPEG is an input error, not an image with a grey remainder. Upright as viewers show it.
     */
    public static BufferedImage read(Path file) {
        return decode(file).image();
    }

    /** As {@link #read(Path)}, with what the user should be told about how it was read (EXIF turn, transparency). */
    public static DecodedImage decode(Path file) {
        FileErrors.requireFile(file, "image file");
        if (GeoRaster.isTiff(file)) {
            GeoRaster raster = GeoRaster.open(file);
            if ((long) raster.width() * raster.height() * 3 > Integer.MAX_VALUE) { // beyond one Java image's bytes
                throw new io.rrsis4j.InvalidInputException(file, raster.width() + " x " + raster.height()
                        + " pixels is too large for one image; segment it as a scene with --tile");
            }
            return DecodedImage.plain(DisplayBands.of(raster, null).readRgb(0, 0, raster.width(), raster.height()));
        }
        return toRgb(StrictImageReading.decode(file));
    }

    /**
     * The decoded image in RGB ({@link #toRgb(BufferedImage)}); transparent pixels are read as if on black, and
     * said so.
     */
    public static DecodedImage toRgb(DecodedImage decoded) {
        List<String> notes = new ArrayList<>(decoded.notes());
        double transparent = transparentFraction(decoded.image());
        if (transparent > 0) {
            notes.add(String.format(Locale.ROOT, "%.1f%% of the image is transparent or partly so; it is read as "
                    + "drawn on black", 100 * transparent));
        }
        return new DecodedImage(toRgb(decoded.image()), notes);
    }

    /** Share of pixels with alpha below opaque (0 for images without alpha). */
    static double transparentFraction(BufferedImage image) {
        if (!image.getColorModel().hasAlpha()) {
            return 0;
        }
        WritableRaster alpha = image.getAlphaRaster();
        if (alpha == null) { // palette with a transparent entry
            IndexColorModel palette = (IndexColorModel) image.getColorModel();
            int[] indices = image.getRaster().getSamples(0, 0, image.getWidth(), image.getHeight(), 0, (int[]) null);
            long count = java.util.Arrays.stream(indices).filter(i -> palette.getAlpha(i) < 255).count();
            return (double) count / indices.length;
        }
        int opaque = (1 << alpha.getSampleModel().getSampleSize(0)) - 1;
        long count = 0;
        int[] row = new int[image.getWidth()];
        for (int y = 0; y < image.getHeight(); y++) {
            alpha.getSamples(0, y, image.getWidth(), 1, 0, row);
            for (int a : row) {
                count += a < opaque ? 1 : 0;
            }
        }
        return (double) count / ((long) image.getWidth() * image.getHeight());
    }

    /** The image as TYPE_3BYTE_BGR or TYPE_INT_RGB; other types are converted. */
    public static BufferedImage toRgb(BufferedImage img) {
        int type = img.getType();
        if (type == BufferedImage.TYPE_3BYTE_BGR || type == BufferedImage.TYPE_INT_RGB) {
            return img;
        }
        BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        if (img.getColorModel().getNumColorComponents() == 1 && !(img.getColorModel() instanceof IndexColorModel)
                && img.getColorModel().hasAlpha()) {
            return greyWithAlphaOnBlack(img, rgb);
        }
        Graphics2D g = rgb.createGraphics();
        g.drawImage(img, 0, 0, null);
        g.dispose();
        return rgb;
    }

    /**
     * Grey + alpha (PNG colour type 4) drawn on black. Java2D's drawing would take the grey values as linear light
     * (its grey colour space has gamma 1) and brighten them: a PNG's grey is already display grey, as in every viewer.
     */
    private static BufferedImage greyWithAlphaOnBlack(BufferedImage img, BufferedImage rgb) {
        Raster in = img.getRaster();
        double greyMax = (1 << img.getColorModel().getComponentSize(0)) - 1;
        double alphaMax = (1 << img.getColorModel().getComponentSize(1)) - 1;
        int w = img.getWidth();
        int[] grey = new int[w];
        int[] alpha = new int[w];
        int[] out = new int[w * 3];
        WritableRaster target = rgb.getRaster();
        for (int y = 0; y < img.getHeight(); y++) {
            in.getSamples(0, y, w, 1, 0, grey);
            in.getSamples(0, y, w, 1, 1, alpha);
            for (int x = 0; x < w; x++) {
                int v = (int) Math.round(255 * (grey[x] / greyMax) * (alpha[x] / alphaMax));
                out[3 * x] = v;
                out[3 * x + 1] = v;
                out[3 * x + 2] = v;
            }
            target.setPixels(0, y, w, 1, out);
        }
        return rgb;
    }

    /** Width and height from the file header, without decoding the pixels. */
    public static int[] size(Path file) {
        FileErrors.requireFile(file, "image file");
        return StrictImageReading.withReader(file, "cannot read image header", reader -> {
            boolean turned = ImageOrientation.of(reader).swapsSides(); // upright, as read() returns it
            int w = reader.getWidth(0);
            int h = reader.getHeight(0);
            return turned ? new int[] {h, w} : new int[] {w, h};
        });
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
