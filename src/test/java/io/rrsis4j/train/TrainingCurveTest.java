package io.rrsis4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rrsis4j.data.Images;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingCurveTest {

    @Test
    void drawsLossAndValidationCurvesFromTheLog(@TempDir Path dir) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int step = 1; step <= 50; step++) {
            lines.add("{\"step\":" + step + ",\"loss\":" + (2.0 / step) + ",\"lr\":0.001}");
            if (step % 10 == 0) {
                lines.add("{\"step\":" + step + ",\"val_oIoU\":" + (step * 1.5) + "}");
            }
        }
        Path log = dir.resolve("log.jsonl");
        Files.write(log, lines);
        Path png = dir.resolve("curve.png");
        TrainingCurve.write(log, png);
        BufferedImage img = Images.read(png);
        assertEquals(1120, img.getWidth());
        assertTrue(countColoured(img, 0, 560, c -> (c & 0xFF) > 150 && ((c >> 16) & 0xFF) < 80) > 100, "blue loss line");
        assertTrue(countColoured(img, 560, 1120, c -> ((c >> 16) & 0xFF) > 180 && ((c >> 8) & 0xFF) < 90) > 50, "red oIoU line");
    }

    @Test
    void smoothingIsAnExponentialMovingAverage() {
        List<double[]> s = TrainingCurve.smooth(List.of(new double[] {1, 10}, new double[] {2, 0}), 0.9);
        assertEquals(10, s.get(0)[1], 1e-12);
        assertEquals(9, s.get(1)[1], 1e-12);
    }

    private static int countColoured(BufferedImage img, int x0, int x1, java.util.function.IntPredicate colour) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = x0; x < x1; x++) {
                if (colour.test(img.getRGB(x, y) & 0xFFFFFF)) {
                    n++;
                }
            }
        }
        return n;
    }
}
