package io.rrsis4j.io.raster;

import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.util.Locale;
import javax.imageio.stream.ImageInputStream;

/**
 * Names a file's format from its first bytes, for the formats no reader here decodes: the user is told "HEIC" rather
 * than "not a readable image", whatever the file's name says. Also finds the JPEG coding process (SOFn marker):
 * arithmetic-coded and hierarchical JPEGs have no Java decoder.
 */
public final class ImageSignatures {
    /** Bytes to look at: enough for every signature below. */
    public static final int HEAD_BYTES = 64;

    private ImageSignatures() {}

    /**
     * The format of a file starting with {@code head}, when it is one this program cannot decode, with what to do;
     * null for the formats it reads (PNG, JPEG, TIFF, GIF, BMP, WebP) and for bytes it does not recognise.
     */
    public static String unsupported(byte[] head) {
        String ftyp = isoBrand(head);
        if (ftyp != null) {
            return switch (ftyp) {
                case "heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1" ->
                        "a HEIF/HEIC image (as iPhones save photos), which no Java image reader decodes; export it as JPEG or PNG";
                case "avif", "avis" -> "an AVIF image, which no Java image reader decodes; convert it to PNG or JPEG";
                case "jxl " -> "a JPEG XL image, which no Java image reader decodes; convert it to PNG or JPEG";
                case "jp2 ", "jpx ", "jpm " -> "a JPEG 2000 image, which is not supported; convert it to PNG or GeoTIFF "
                        + "(gdal_translate -of GTiff keeps its georeferencing)";
                default -> "an ISO media file (brand '" + ftyp.strip() + "'), not an image this program reads";
            };
        }
        if (startsWith(head, 0, 0x00, 0x00, 0x00, 0x0C, 'j', 'P', ' ', ' ') || startsWith(head, 0, 0xFF, 0x4F, 0xFF, 0x51)) {
            return "a JPEG 2000 image, which is not supported; convert it to PNG or GeoTIFF (gdal_translate -of GTiff "
                    + "keeps its georeferencing)";
        }
        if (startsWith(head, 0, 0x00, 0x00, 0x00, 0x0C, 'J', 'X', 'L', ' ') || startsWith(head, 0, 0xFF, 0x0A)) {
            return "a JPEG XL image, which no Java image reader decodes; convert it to PNG or JPEG";
        }
        if (isJpeg(head)) {
            return null; // its coding process is checked by jpegProcessProblem
        }
        if (startsWith(head, 0, '%', 'P', 'D', 'F')) {
            return "a PDF document, not an image; export the page as PNG";
        }
        if (startsWith(head, 0, '8', 'B', 'P', 'S')) {
            return "a Photoshop (PSD) file; export it as PNG or TIFF";
        }
        if (startsWith(head, 0, 'I', 'I', 0xBC)) {
            return "a JPEG XR (HD Photo) image, which is not supported; convert it to PNG or JPEG";
        }
        if (startsWith(head, 0, 0x00, 0x00, 0x01, 0x00) || startsWith(head, 0, 0x00, 0x00, 0x02, 0x00)) {
            return "a Windows icon (ICO/CUR) file, not an image this program reads";
        }
        String text = new String(head, 0, Math.min(head.length, HEAD_BYTES), StandardCharsets.ISO_8859_1)
                .stripLeading().toLowerCase(Locale.ROOT);
        if (text.startsWith("<svg") || (text.startsWith("<?xml") && text.contains("<svg"))) {
            return "an SVG drawing, not a raster image; render it to PNG first";
        }
        if (text.startsWith("<!doctype html") || text.startsWith("<html")) {
            return "an HTML page, not an image (was it saved from a web page instead of the image link?)";
        }
        return null;
    }

    /** The major brand of an ISO base media file ({@code ....ftypBRND}), or null. */
    private static String isoBrand(byte[] head) {
        if (head.length < 12 || !startsWith(head, 4, 'f', 't', 'y', 'p')) {
            return null;
        }
        return new String(head, 8, 4, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    }

    public static boolean isJpeg(byte[] head) {
        return startsWith(head, 0, 0xFF, 0xD8, 0xFF);
    }

    /**
     * Why a JPEG's coding process cannot be decoded (arithmetic coding: SOF9-11, SOF13-15; hierarchical: SOF5-7),
     * or null when it can (baseline, extended, progressive, lossless) or no frame header is found. Walks the marker
     * segments from the stream's position, which is restored.
     */
    public static String jpegProcessProblem(ImageInputStream in) throws IOException {
        in.mark();
        try {
            in.skipBytes(2); // SOI
            for (int segments = 0; segments < 10_000; segments++) {
                int b = in.read();
                if (b != 0xFF) {
                    return null; // not a marker where one must be: the decoder will say what is wrong
                }
                int marker = in.read();
                while (marker == 0xFF) {
                    marker = in.read(); // fill bytes
                }
                if (marker < 0 || marker == 0xDA || marker == 0xD9) {
                    return null; // end of the headers without a frame header: left to the decoder
                }
                if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                    int sof = marker - 0xC0;
                    if (sof >= 9) {
                        return "an arithmetic-coded JPEG (SOF" + sof + "), which no Java JPEG decoder reads; "
                                + "re-encode it with Huffman coding: jpegtran -optimize IN.jpg > OUT.jpg";
                    }
                    if (sof >= 5) {
                        return "a hierarchical JPEG (SOF" + sof + "), which no Java JPEG decoder reads; convert it to PNG";
                    }
                    return null;
                }
                if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                    continue; // markers without a length
                }
                int length = in.readUnsignedShort();
                if (length < 2) {
                    return null;
                }
                in.skipBytes(length - 2);
            }
            return null;
        } catch (java.io.EOFException e) {
            return null;
        } finally {
            in.reset();
        }
    }

    private static boolean startsWith(byte[] head, int offset, int... signature) {
        if (head.length < offset + signature.length) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            if ((head[offset + i] & 0xFF) != signature[i]) {
                return false;
            }
        }
        return true;
    }
}
