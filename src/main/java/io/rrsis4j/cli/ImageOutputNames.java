package io.rrsis4j.cli;

import io.rrsis4j.InvalidInputException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * An output whose name says another image format than the one written is refused: PNG bytes in {@code mask.jpg}
 * (or a GeoTIFF in {@code mask.png}) open wrongly or not at all, a silently wrong result. A name without an image
 * extension is the user's choice and kept.
 */
final class ImageOutputNames {
    private static final List<String> IMAGE_EXTENSIONS = List.of("png", "jpg", "jpeg", "tif", "tiff", "gif", "bmp",
            "webp", "jp2");

    private ImageOutputNames() {}

    static void require(Path file, String option, String format, String... extensions) {
        if (file == null) {
            return;
        }
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        if (IMAGE_EXTENSIONS.contains(extension) && !List.of(extensions).contains(extension)) {
            throw new InvalidInputException(option + " " + file + ": writes a " + format + ", so name it ."
                    + String.join(" or .", extensions) + " (not ." + extension + ")");
        }
    }
}
