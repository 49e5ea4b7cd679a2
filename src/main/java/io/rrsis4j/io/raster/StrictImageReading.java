package io.rrsis4j.io.raster;

import io.rrsis4j.InvalidInputException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
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
 * The one way PNG, JPEG, GIF, BMP and WebP files and uploads are decoded (TIFFs go through {@link GeoRaster}, which
 * uses this for their JPEG tiles). ImageIO with TwelveMonkeys' JPEG reader (CMYK, YCCK, lossless, EXIF) and WebP
 * reader; formats nothing here decodes are named from their bytes ({@link ImageSignatures}). A damaged file is an
 * error: ImageIO reports a truncated or corrupt JPEG only as a warning and returns the image with the missing part
 * filled grey, which would be segmented as if it were real.
 */
public final class StrictImageReading {
    static {
        ImageIO.scanForPlugins(); // TwelveMonkeys' readers register through the service loader of the class path
    }

    private StrictImageReading() {}

    /** What to do with a file's ImageIO reader. */
    @FunctionalInterface
    public interface ReaderUse<T> {
        T apply(ImageReader reader) throws IOException;
    }

    /** Decodes an image file whole, upright as viewers show it; a damaged or unsupported file is a one-line input error. */
    public static DecodedImage decode(Path file) {
        return withReader(file, "cannot decode image", StrictImageReading::decode);
    }

    /** As {@link #decode(Path)}, without the notes. */
    public static BufferedImage read(Path file) {
        return decode(file).image();
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
     * Runs {@code use} on the ImageIO reader of a file (input set, forward only, metadata kept); any failure becomes
     * a one-line input error starting with {@code failure}.
     */
    public static <T> T withReader(Path file, String failure, ReaderUse<T> use) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            return withReader(in, use);
        } catch (UnreadableImage e) {
            throw new InvalidInputException(file, e.getMessage());
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidInputException iie) {
                throw iie;
            }
            throw new InvalidInputException(file, failure + ": " + problem(e), e);
        }
    }

    /** As {@link #withReader(Path, String, ReaderUse)} for bytes held in memory (an upload); IOExceptions pass. */
    public static <T> T withReader(byte[] bytes, ReaderUse<T> use) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            return withReader(in, use);
        }
    }

    /** The stream's format is not one decoded here; the message names it. */
    public static final class UnreadableImage extends IIOException {
        UnreadableImage(String message) {
            super(message);
        }
    }

    private static <T> T withReader(ImageInputStream in, ReaderUse<T> use) throws IOException {
        if (in == null) {
            throw new IIOException("cannot open the image stream");
        }
        in.mark();
        byte[] head = new byte[ImageSignatures.HEAD_BYTES];
        int n = in.read(head);
        in.reset();
        head = java.util.Arrays.copyOf(head, Math.max(n, 0));
        String unsupported = ImageSignatures.unsupported(head);
        if (unsupported != null) {
            throw new UnreadableImage("the file is " + unsupported);
        }
        if (ImageSignatures.isJpeg(head)) {
            String process = ImageSignatures.jpegProcessProblem(in);
            if (process != null) {
                throw new UnreadableImage("the file is " + process);
            }
        }
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            throw new UnreadableImage(n <= 0 ? "the file is empty, not an image"
                    : "not a readable image (PNG, JPEG or TIFF expected; WebP, GIF and BMP are read too)");
        }
        ImageReader reader = readers.next();
        try {
            reader.setInput(in, true, false); // metadata kept: the EXIF orientation is in it
            return use.apply(reader);
        } finally {
            reader.dispose();
        }
    }

    /** Decodes image 0 of a reader whose input is set with metadata: strictly, then turned upright. */
    public static DecodedImage decode(ImageReader reader) throws IOException {
        ImageOrientation orientation = ImageOrientation.of(reader); // before the pixels: the stream only goes forward
        List<String> notes = new ArrayList<>();
        BufferedImage image = read(reader, null, notes);
        if (orientation.note() != null) {
            notes.add(0, orientation.note());
        }
        return new DecodedImage(orientation.apply(image), notes);
    }

    /** A decoder's failure in the user's words: a file that ends early says so rather than "EOFException". */
    public static String problem(Throwable e) {
        if (e instanceof java.io.EOFException || (e.getCause() instanceof java.io.EOFException && e.getMessage() == null)) {
            return "the file ends early (cut off while copying or downloading?)";
        }
        return GeoRaster.oneLine(e);
    }

    /** Reads image 0 from a reader whose input is set; any decoder warning about the data becomes an IIOException. */
    public static BufferedImage read(ImageReader reader, ImageReadParam param) throws IOException {
        return read(reader, param, new ArrayList<>());
    }

    /**
     * As {@link #read(ImageReader, ImageReadParam)}; warnings about the colour profile (a CMYK JPEG without one, a
     * broken one ignored) do not stop the decoding: they are added to {@code notes} in the user's words.
     */
    static BufferedImage read(ImageReader reader, ImageReadParam param, List<String> notes) throws IOException {
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        BufferedImage image = reader.read(0, param);
        for (String warning : warnings) {
            if (!warning.contains("ICC")) {
                throw new IIOException("image data is truncated or corrupt (" + warning + ")");
            }
        }
        if (!warnings.isEmpty()) {
            notes.add("colours converted without a usable ICC colour profile (" + GeoRaster.oneLine(warnings.get(0))
                    + "): they may differ slightly from a colour-managed viewer's");
        }
        return image;
    }
}
