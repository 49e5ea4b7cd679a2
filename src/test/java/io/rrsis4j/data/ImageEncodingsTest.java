package io.rrsis4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rrsis4j.InvalidInputException;
import io.rrsis4j.io.raster.DecodedImage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images as cameras, phones, print and web tools write them (src/test/scripts/make_image_fixtures.sh: ImageMagick,
 * libjpeg-turbo's cjpeg, exiftool, Pillow, cwebp) decode to what ImageMagick decodes, upright as every viewer shows
 * them, or are refused in one line naming their format.
 */
class ImageEncodingsTest {
    /** Per channel: JPEG decoders round their inverse DCTs and colour conversions differently. */
    private static final int JPEG_TOLERANCE = 12;
    private static final int[][] SAMPLES = {{8, 8}, {40, 8}, {8, 24}, {40, 24}};

    static Path fixture(String name) {
        try {
            return Path.of(ImageEncodingsTest.class.getResource("/encodings/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyReadableEncodingDecodesAsImageMagickDecodesIt() throws IOException {
        List<String> lines = Files.readAllLines(fixture("expected-by-imagemagick.txt"));
        assertTrue(lines.size() >= 20, "fixtures: " + lines.size());
        List<String> wrong = new ArrayList<>();
        for (String line : lines) {
            String[] fields = line.split(" ");
            BufferedImage image = Images.read(fixture(fields[0]));
            if (image.getWidth() != 48 || image.getHeight() != 32) {
                wrong.add(fields[0] + ": " + image.getWidth() + " x " + image.getHeight() + ", not 48 x 32 upright");
                continue;
            }
            int tolerance = fields[0].endsWith(".png") ? 1 : JPEG_TOLERANCE;
            for (int s = 0; s < SAMPLES.length; s++) {
                String[] rgb = fields[s + 1].split(",");
                int pixel = image.getRGB(SAMPLES[s][0], SAMPLES[s][1]);
                int[] got = {(pixel >> 16) & 0xFF, (pixel >> 8) & 0xFF, pixel & 0xFF};
                for (int c = 0; c < 3; c++) {
                    if (Math.abs(got[c] - Integer.parseInt(rgb[c])) > tolerance) {
                        wrong.add(String.format("%s at %d,%d: %d,%d,%d, ImageMagick %s", fields[0], SAMPLES[s][0],
                                SAMPLES[s][1], got[0], got[1], got[2], fields[s + 1]));
                        break;
                    }
                }
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void exifOrientationIsAppliedAndSaid() {
        for (int n = 1; n <= 8; n++) {
            Path file = fixture("orientation-" + n + ".jpg");
            DecodedImage decoded = Images.decode(file);
            assertArrayEquals(new int[] {48, 32}, Images.size(file), "header size upright, orientation " + n);
            if (n == 1) {
                assertEquals(List.of(), decoded.notes());
            } else {
                assertEquals(1, decoded.notes().size(), "orientation " + n);
                assertTrue(decoded.notes().get(0).contains("EXIF orientation (" + n + ")"), decoded.notes().get(0));
            }
        }
    }

    @Test
    void transparencyIsReadOnBlackAndSaid() {
        for (String name : List.of("grey-alpha.png", "grey-alpha16.png", "palette-transparent.png", "lossless-alpha.webp")) {
            List<String> notes = Images.decode(fixture(name)).notes();
            assertEquals(1, notes.size(), name + ": " + notes);
            assertTrue(notes.get(0).startsWith("50.0% of the image is transparent"), name + ": " + notes.get(0));
        }
        for (String name : List.of("rgba16.png", "rgb-transparent-colour.png")) {
            List<String> notes = Images.decode(fixture(name)).notes();
            assertEquals(1, notes.size(), name + ": " + notes);
            assertTrue(notes.get(0).startsWith(name.startsWith("rgba") ? "50.0%" : "25.0%"), name + ": " + notes.get(0));
        }
        assertEquals(List.of(), Images.decode(fixture("rgb16.png")).notes());
    }

    @Test
    void formatsWithoutADecoderAreNamedInOneLine() {
        Map<String, String> named = Map.of("arithmetic.jpg", "arithmetic-coded JPEG (SOF9)",
                "phone.heic", "HEIF/HEIC", "avif.avif", "AVIF", "jpeg2000.jp2", "JPEG 2000",
                "codestream.j2k", "JPEG 2000", "photoshop.psd", "Photoshop");
        named.forEach((file, format) -> {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> Images.read(fixture(file)), file);
            assertTrue(e.getMessage().contains(format) && e.getMessage().contains(file) && !e.getMessage().contains("\n"),
                    e.getMessage());
        });
    }

    @Test
    void anUnsupportedFormatIsNamedWhateverTheFileIsCalled(@TempDir Path dir) throws IOException {
        Path disguised = dir.resolve("photo.jpg");
        Files.copy(fixture("phone.heic"), disguised);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Images.size(disguised));
        assertTrue(e.getMessage().contains("HEIF/HEIC"), e.getMessage());
        for (String name : List.of("lossy.webp", "progressive.jpg", "orientation-6.jpg", "interlaced.png")) {
            byte[] whole = Files.readAllBytes(fixture(name));
            Path cut = Files.write(dir.resolve("cut-" + name), java.util.Arrays.copyOf(whole, whole.length / 2));
            String message = assertThrows(InvalidInputException.class, () -> Images.read(cut), name).getMessage();
            assertTrue(!message.contains("Exception") && !message.contains("\n") && message.contains(cut.toString()),
                    message);
        }
        Path empty = Files.write(dir.resolve("empty.png"), new byte[0]);
        assertTrue(assertThrows(InvalidInputException.class, () -> Images.read(empty)).getMessage().contains("empty"));
    }
}
