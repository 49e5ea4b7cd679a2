package io.rrsis4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageTransformsTest {
    @TempDir
    Path dir;

    @Test
    void constantImageNormalisesToImagenetValues() {
        BufferedImage img = new BufferedImage(30, 20, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 30; x++) {
                img.setRGB(x, y, (200 << 16) | (100 << 8) | 50);
            }
        }
        float[] chw = ImageTransforms.toNormalizedChw(img, 16);
        assertEquals(3 * 16 * 16, chw.length);
        assertEquals((200 / 255f - 0.485f) / 0.229f, chw[0], 1e-4);
        assertEquals((100 / 255f - 0.456f) / 0.224f, chw[256 + 77], 1e-4);
        assertEquals((50 / 255f - 0.406f) / 0.225f, chw[2 * 256 + 255], 1e-4);
    }

    @Test
    void bilinearMatchesPilOnASmallCase() {
        // 4 x 1 row 0, 100, 200, 255 -> 2 x 1: PIL shrinks by 2 with support 2: out0 = (3*0 + 1*100 ... )
        // centre 1.0, weights for j=0..2: tri((j-1+0.5)/2) = 0.75, 0.75, 0.25 -> (0*0.75 + 100*0.75 + 200*0.25) / 1.75
        BufferedImage img = new BufferedImage(4, 1, BufferedImage.TYPE_INT_RGB);
        int[] v = {0, 100, 200, 255};
        for (int x = 0; x < 4; x++) {
            img.setRGB(x, 0, v[x] << 16);
        }
        BufferedImage out = ImageTransforms.resize(img, 2, 1);
        assertEquals(Math.round((100 * 0.75 + 200 * 0.25) / 1.75), (out.getRGB(0, 0) >> 16) & 255);
        // same size is the identity
        BufferedImage same = ImageTransforms.resize(img, 4, 1);
        for (int x = 0; x < 4; x++) {
            assertEquals(v[x], (same.getRGB(x, 0) >> 16) & 255);
        }
    }

    @Test
    void maskResizeIsNearest() {
        BinaryMask m = new BinaryMask(2, 2, new byte[] {1, 0, 0, 1});
        assertArrayEquals(new byte[] {1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1}, ImageTransforms.maskToSize(m, 4));
    }

    @Test
    void masksAndOverlaysAreWritten() throws Exception {
        BinaryMask m = new BinaryMask(3, 2, new byte[] {1, 0, 0, 0, 1, 1});
        Path png = dir.resolve("m.png");
        MaskImages.writeMask(m, png);
        BufferedImage back = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(255, back.getRaster().getSample(0, 0, 0));
        assertEquals(0, back.getRaster().getSample(1, 0, 0));
        MaskImages.writeProbability(new float[] {0, 0.5f, 1, 0, 0, 0}, 3, 2, dir.resolve("p.png"));
        assertEquals(128, javax.imageio.ImageIO.read(dir.resolve("p.png").toFile()).getRaster().getSample(1, 0, 0));
        BufferedImage img = new BufferedImage(6, 4, BufferedImage.TYPE_INT_RGB);
        BufferedImage over = MaskImages.overlay(img, m);
        assertTrue(((over.getRGB(0, 0) >> 16) & 255) > 100); // tinted (mask resized to 6 x 4)
        assertEquals(0, over.getRGB(5, 0) & 0xFFFFFF);
        MaskImages.writeOverlay(img, m, dir.resolve("o.png"));
        assertEquals(6, Images.read(dir.resolve("o.png")).getWidth());
    }
}
