package io.rrsis4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rrsis4j.data.Datasets;
import io.rrsis4j.data.Images;
import io.rrsis4j.infer.Gallery;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code demo --quiet} on a handful of scenes (one short epoch): the results and nothing else on stdout, no progress
 * on stderr; the gallery (one cell per held-out image, up to 12, with the training curve below), the word maps and
 * the curve written, every file with the permissions the umask gives a new file.
 */
class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void quietDemoWritesTheGalleryAndWordMaps() throws Exception {
        Path out = dir.resolve("demo");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.run("demo", "--out", out.toString(), "--scenes", "20", "--epochs", "1", "--quiet"));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        String printed = stdout.toString(StandardCharsets.UTF_8);
        assertFalse(printed.contains("1/4") || printed.contains("wrote synthetic"), printed);
        assertTrue(printed.contains("3/4 held-out test scenes") && printed.contains("oIoU"), printed);
        // the demo's scenes are generalized: GRES's table follows the classic one
        assertTrue(printed.contains("gIoU") && printed.contains("N-acc"), printed);
        assertTrue(io.rrsis4j.train.TrainConfig.read(out.resolve("run/config.json")).model().generalized(),
                "the demo trains with the presence head");
        assertFalse(stderr.toString(StandardCharsets.UTF_8).contains("train "), stderr.toString(StandardCharsets.UTF_8));

        long images = Datasets.read(out.resolve("synthetic-grefs"), Datasets.Format.GREFS, "test").stream()
                .map(s -> s.imageId()).distinct().count();
        Matcher m = Pattern.compile("4/4 gallery of (\\d+) held-out scenes").matcher(printed);
        assertTrue(m.find(), printed);
        int cells = Integer.parseInt(m.group(1));
        assertEquals(Math.min(12, images), cells);
        BufferedImage gallery = Images.read(out.resolve("gallery.png"));
        BufferedImage curve = Images.read(out.resolve("training-curve.png"));
        assertEquals(8 + Gallery.COLUMNS * (192 + 8), gallery.getWidth());
        int rows = (cells + Gallery.COLUMNS - 1) / Gallery.COLUMNS;
        assertTrue(gallery.getHeight() > rows * 192 + curve.getHeight() * (gallery.getWidth() - 16) / curve.getWidth(),
                gallery.getWidth() + " x " + gallery.getHeight());
        assertTrue(Files.isRegularFile(out.resolve("word-maps/contact-sheet.png")));

        // One or the other: a usage error before any work.
        System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            assertEquals(2, Main.run("demo", "--out", out.toString(), "--quiet", "--verbose"));
        } finally {
            System.setErr(oldErr);
        }

        Path plain = Files.createFile(dir.resolve("plain"));
        try (Stream<Path> files = Files.walk(out)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(f), f.toString());
            }
        }
    }
}
