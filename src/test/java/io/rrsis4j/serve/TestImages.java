package io.rrsis4j.serve;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/** Small synthetic aerial-like scenes: blue background (water) with a red rectangle (a roof). */
final class TestImages {
    static final int WIDTH = 96;
    static final int HEIGHT = 64;
    // the red roof covers x in [20, 50), y in [10, 40)
    static final int ROOF_X = 20;
    static final int ROOF_Y = 10;
    static final int ROOF_W = 30;
    static final int ROOF_H = 30;

    private TestImages() {}

    static BufferedImage scene() {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(20, 40, 220));
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setColor(new Color(230, 20, 20));
        g.fillRect(ROOF_X, ROOF_Y, ROOF_W, ROOF_H);
        g.dispose();
        return image;
    }

    /** The scene with per-pixel noise, so that compressed files are large and a cut lands inside the pixel data. */
    static BufferedImage noisyScene() {
        BufferedImage image = scene();
        java.util.Random random = new java.util.Random(7);
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                image.setRGB(x, y, image.getRGB(x, y) ^ (random.nextInt() & 0x1f1f1f));
            }
        }
        return image;
    }

    static boolean inRoof(int x, int y) {
        return x >= ROOF_X && x < ROOF_X + ROOF_W && y >= ROOF_Y && y < ROOF_Y + ROOF_H;
    }

    static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, format, out)) {
            throw new IOException("no writer for " + format);
        }
        return out.toByteArray();
    }
}
