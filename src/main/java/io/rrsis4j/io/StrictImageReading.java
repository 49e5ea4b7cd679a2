package io.rrsis4j.io;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.IIOException;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;

/**
 * Decoding with ImageIO where a damaged file is an error: ImageIO reports a truncated or corrupt JPEG only as a
 * warning and returns the image with the missing part filled grey, which would be segmented as if it were real.
 */
public final class StrictImageReading {
    private StrictImageReading() {}

    /** Reads image 0 from a reader whose input is set; any decoder warning becomes an IIOException. */
    public static BufferedImage read(ImageReader reader, ImageReadParam param) throws IOException {
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        BufferedImage image = reader.read(0, param);
        if (!warnings.isEmpty()) {
            throw new IIOException("image data is truncated or corrupt (" + warnings.get(0) + ")");
        }
        return image;
    }
}
