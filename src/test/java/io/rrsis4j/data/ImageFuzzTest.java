package io.rrsis4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rrsis4j.InvalidInputException;
import io.rrsis4j.io.ByteMutations;
import io.rrsis4j.io.raster.GeoRaster;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PNG and JPEG files written by GDAL (src/test/scripts/make_gdal_fixtures.sh), mutated: {@link Images#read} and
 * {@link GeoRaster#open} give an image or the one-line input error. A truncated JPEG, which ImageIO only warns about
 * and fills grey, is an error.
 */
class ImageFuzzTest {

    static final Path FIXTURES = Path.of("src/test/resources/geotiff");

    @TempDir
    Path dir;

    @Test
    void truncatedJpegIsAnInputErrorNotAGreyImage() throws Exception {
        byte[] jpeg = Files.readAllBytes(FIXTURES.resolve("scene.jpg"));
        Path whole = dir.resolve("whole.jpg");
        Files.write(whole, jpeg);
        BufferedImage image = Images.read(whole);
        assertEquals(96, image.getWidth());
        Path cut = dir.resolve("cut.jpg");
        Files.write(cut, Arrays.copyOf(jpeg, jpeg.length * 2 / 3));
        InvalidInputException error = assertThrows(InvalidInputException.class, () -> Images.read(cut));
        assertTrue(error.getMessage().contains("truncated"), error.getMessage());
        assertFalse(error.getMessage().contains("\n"));
        assertThrows(InvalidInputException.class, () -> GeoRaster.open(cut));
        Path cutPng = dir.resolve("cut.png");
        byte[] png = Files.readAllBytes(FIXTURES.resolve("scene.png"));
        Files.write(cutPng, Arrays.copyOf(png, png.length / 2));
        assertThrows(InvalidInputException.class, () -> Images.read(cutPng));
    }

    @Test
    void mutatedPngAndJpegGiveImagesOrOneLineErrors() throws Exception {
        for (String name : new String[] {"scene.png", "scene.jpg"}) {
            byte[] valid = Files.readAllBytes(FIXTURES.resolve(name));
            Path file = dir.resolve("mutated-" + name);
            ByteMutations.assertOnlyInputErrors(name, valid, 600, 1312L + name.length(), 2000, bytes -> {
                Files.write(file, bytes);
                Images.read(file);
                GeoRaster raster = GeoRaster.open(file);
                raster.readSamples(0, 0, raster.width(), raster.height(), new int[] {0});
            });
        }
    }
}
