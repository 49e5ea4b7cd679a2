package io.rrsis4j.data.synthetic;

import io.rrsis4j.data.Datasets;
import io.rrsis4j.data.RrsisdReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Synthetic sets are written scene by scene: a set far larger than the heap is written in a small one, and the
 * files are byte for byte those the earlier all-in-memory writers produced (checksums saved before the change).
 */
class SyntheticStreamingTest {
    @TempDir
    Path dir;

    @Test
    void theSameBytesAsTheAllInMemoryWriters() throws IOException {
        SyntheticDatasets.write(dir.resolve("rrsisd"), Datasets.Format.RRSISD, 30, 64, 3);
        assertEquals(expected("synth-rrsisd-30x64-seed3.sha256"), checksums(dir.resolve("rrsisd")));
        SyntheticDatasets.write(dir.resolve("refsegrs"), Datasets.Format.REFSEGRS, 8, 48, 2);
        assertEquals(expected("synth-refsegrs-8x48-seed2.sha256"), checksums(dir.resolve("refsegrs")));
    }

    /**
     * 150 scenes of 256 x 256 px hold about 100 MB of pixels and masks: the old writers, which kept the whole set,
     * die in a 48 MB heap with OutOfMemoryError; streaming needs one scene.
     */
    @Test
    void aSetLargerThanTheHeapIsWrittenInASmallHeap() throws Exception {
        Path out = dir.resolve("big");
        Path log = dir.resolve("synth.log");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx48m",
                "-cp", System.getProperty("java.class.path"), "io.rrsis4j.cli.Main", "synth", "--out", out.toString(),
                "--count", "150", "--size", "256", "--seed", "9");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "synth finished");
        assertEquals(0, p.exitValue(), Files.readString(log));
        try (Stream<Path> images = Files.list(out.resolve("images/rrsisd/JPEGImages"))) {
            assertEquals(150, images.count());
        }
        assertTrue(new RrsisdReader().read(out, "train").size() > 150, "the annotations cover every scene");
    }

    private static List<String> expected(String name) throws IOException {
        try (var in = SyntheticStreamingTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().sorted().toList();
        }
    }

    /**
     * "sha256  ./relative/path" lines, sorted. A TIFF's bytes depend on which ImageIO TIFF writer the class path
     * lists first (the JDK's or TwelveMonkeys'), so TIFFs are compared by their decoded pixels (as numpy's
     * {@code asarray(image).tobytes()}: rows, then pixels, then bands), every other file by its bytes.
     */
    private static List<String> checksums(Path root) throws IOException {
        List<Path> files;
        try (Stream<Path> all = Files.walk(root)) {
            files = all.filter(Files::isRegularFile).toList();
        }
        List<String> lines = new ArrayList<>();
        for (Path f : files) {
            byte[] content = f.toString().endsWith(".tif") ? pixels(f) : Files.readAllBytes(f);
            lines.add(sha256(content) + "  ./" + root.relativize(f).toString().replace('\\', '/'));
        }
        return lines.stream().sorted().toList();
    }

    private static byte[] pixels(Path tif) throws IOException {
        java.awt.image.Raster r = javax.imageio.ImageIO.read(tif.toFile()).getRaster();
        int[] samples = r.getPixels(0, 0, r.getWidth(), r.getHeight(), (int[]) null);
        byte[] bytes = new byte[samples.length];
        for (int i = 0; i < samples.length; i++) {
            bytes[i] = (byte) samples[i];
        }
        return bytes;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
