package io.rrsis4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class UploadedImagesTest {

    @Test
    void truncatedJpegUploadIsRefusedWith400() throws Exception {
        byte[] jpeg = Files.readAllBytes(Path.of("src/test/resources/geotiff/scene.jpg"));
        assertEquals(96, UploadedImages.decode(jpeg, 4096, 4096).getWidth());
        ApiException error = assertThrows(ApiException.class,
                () -> UploadedImages.decode(Arrays.copyOf(jpeg, jpeg.length * 2 / 3), 4096, 4096));
        assertEquals(400, error.status());
        assertTrue(error.getMessage().contains("truncated"), error.getMessage());
    }

    @Test
    void tiffUploadsAreReadInEveryGdalLayout() throws Exception {
        Path dir = Path.of("src/test/resources/geotiff");
        int reference = UploadedImages.decode(Files.readAllBytes(dir.resolve("strip_none.tif")), 4096, 4096).getRGB(62, 30);
        for (String name : new String[] {"bigtiff_tiled_zstd.tif", "strip_lzw.tif", "cog_deflate.tif"}) {
            assertEquals(reference, UploadedImages.decode(Files.readAllBytes(dir.resolve(name)), 4096, 4096).getRGB(62, 30), name);
        }
        int palette = UploadedImages.decode(Files.readAllBytes(dir.resolve("palette.tif")), 4096, 4096).getRGB(62, 30);
        assertEquals(UploadedImages.decode(Files.readAllBytes(dir.resolve("palette_as_rgb.tif")), 4096, 4096).getRGB(62, 30), palette);
        ApiException refused = assertThrows(ApiException.class,
                () -> UploadedImages.decode(Files.readAllBytes(dir.resolve("refused_lerc.tif")), 4096, 4096));
        assertEquals(400, refused.status());
        assertTrue(refused.getMessage().startsWith("image: TIFF compression LERC"), refused.getMessage());
        assertEquals(413, assertThrows(ApiException.class,
                () -> UploadedImages.decode(Files.readAllBytes(dir.resolve("strip_none.tif")), 50, 50)).status());
    }
}
