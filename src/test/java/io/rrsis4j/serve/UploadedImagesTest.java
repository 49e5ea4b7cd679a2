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
}
