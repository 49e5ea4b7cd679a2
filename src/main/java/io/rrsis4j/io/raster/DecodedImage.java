package io.rrsis4j.io.raster;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A decoded image as viewers show it (EXIF orientation applied), with what the user should be told about how it was
 * read ("rotated 90 degrees clockwise as its EXIF orientation says"), one line each; none for a plain image.
 */
public record DecodedImage(BufferedImage image, List<String> notes) {
    public DecodedImage {
        notes = List.copyOf(notes);
    }

    public static DecodedImage plain(BufferedImage image) {
        return new DecodedImage(image, List.of());
    }
}
