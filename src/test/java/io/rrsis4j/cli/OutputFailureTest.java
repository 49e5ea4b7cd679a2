package io.rrsis4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rrsis4j.bench.SyntheticGeoScene;
import io.rrsis4j.data.Datasets;
import io.rrsis4j.data.synthetic.SyntheticDatasets;
import io.rrsis4j.io.files.TmpfsMount;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outputs that cannot be written, on real disks: a read-only folder, a file where a folder should be, a disk that
 * fills up mid-write (small tmpfs mounts; skipped where mounting is not permitted). Each run ends with exit code 2
 * and one line naming the path, leaves no file of its own behind (not the outputs written before the one that
 * failed either), loses no earlier good file, and the next run starts cleanly.
 */
class OutputFailureTest {
    @TempDir
    static Path dir;
    static Path checkpoint;
    static Path data;
    static Path image;
    static Path scene;

    @BeforeAll
    static void checkpointAndData() throws Exception {
        checkpoint = MicroCheckpoint.write(dir.resolve("ckpt"));
        data = dir.resolve("data");
        SyntheticDatasets.write(data, Datasets.Format.RRSISD, 20, 64, 3);
        image = data.resolve("images/rrsisd/JPEGImages/00001.jpg");
        scene = dir.resolve("scene.tif");
        SyntheticGeoScene.write(scene, 200);
    }

    @Test
    void aFileWhereTheOutputFolderShouldBe() throws IOException {
        Path file = dir.resolve("a-file");
        Files.writeString(file, "x");
        CliRun run = CliRun.of("segment", "--checkpoint", checkpoint.toString(), "--image", image.toString(),
                "--text", "the car", "--out", file.resolve("mask.png").toString());
        assertOneLineError(run, file + ": is a file where a folder is needed");
        assertEquals("x", Files.readString(file));
    }

    @Test
    void aReadOnlyFolder() throws Exception {
        try (TmpfsMount ro = TmpfsMount.mountOrSkip(dir.resolve("read-only"), "ro,size=64k")) {
            Path out = ro.dir().resolve("mask.png");
            assertOneLineError(CliRun.of("segment", "--checkpoint", checkpoint.toString(), "--image",
                    image.toString(), "--text", "the car", "--out", out.toString()), out + ": Read-only file system");
            Path synth = ro.dir().resolve("set");
            assertOneLineError(CliRun.of("synth", "--out", synth.toString(), "--count", "2", "--size", "32"),
                    synth + ": Read-only file system");
            Path run = ro.dir().resolve("run");
            assertOneLineError(CliRun.of("train", "--data", data.toString(), "--out", run.toString(), "--epochs", "1",
                    "--limit", "2", "--no-progress"), run + ": Read-only file system");
        }
    }

    @Test
    void theGeoJsonFailsAfterTheMaskWasWritten() throws Exception {
        Path mask = dir.resolve("scene-mask.tif");
        try (TmpfsMount disk = TmpfsMount.mountOrSkip(dir.resolve("full-1"), "size=32k")) {
            // a good mask of an earlier run, then a run whose GeoJSON lands on a full disk
            String[] ok = {"segment", "--checkpoint", checkpoint.toString(), "--image", scene.toString(), "--text",
                    "the red storage tank", "--tile", "96", "--overlap", "16", "--out", mask.toString()};
            assertEquals(0, CliRun.of(ok).code());
            byte[] earlier = Files.readAllBytes(mask);
            fill(disk.dir());
            Path geojson = disk.dir().resolve("scene.geojson");
            CliRun run = CliRun.of("segment", "--checkpoint", checkpoint.toString(), "--image", scene.toString(),
                    "--text", "the red storage tank", "--tile", "96", "--overlap", "16", "--threshold", "0.2",
                    "--out", mask.toString(), "--geojson", geojson.toString());
            assertOneLineError(run, geojson + ": No space left on device");
            assertArrayEquals(earlier, Files.readAllBytes(mask), "the earlier mask is neither lost nor replaced");
            assertEquals(List.of(), temporaries(dir), "no temporary mask left beside it");
            assertEquals(List.of(disk.dir().resolve("filler")), list(disk.dir()));
        }
    }

    @Test
    void aListRunFillsTheDiskAfterSomeMasks() throws Exception {
        Path list = dir.resolve("pairs.tsv");
        StringBuilder pairs = new StringBuilder();
        for (int i = 1; i <= 8; i++) {
            pairs.append(data.resolve(String.format("images/rrsisd/JPEGImages/%05d.jpg", i))).append("\tthe car\n");
        }
        Files.writeString(list, pairs);
        try (TmpfsMount disk = TmpfsMount.mountOrSkip(dir.resolve("full-2"), "size=24k")) {
            Path outDir = disk.dir().resolve("masks");
            CliRun run = CliRun.of("segment", "--checkpoint", checkpoint.toString(), "--list", list.toString(),
                    "--out-dir", outDir.toString(), "--batch", "2");
            assertEquals(2, run.code(), run.toString());
            assertEquals(1, run.errorLines().size(), run.toString());
            assertTrue(run.errorLines().get(0).contains("No space left on device")
                    && run.errorLines().get(0).contains(outDir.toString()), run.toString());
            assertEquals(List.of(), list(disk.dir()), "no mask of the failed run, not even the first ones");
            disk.remount("size=1m");
            assertEquals(0, CliRun.of("segment", "--checkpoint", checkpoint.toString(), "--list", list.toString(),
                    "--out-dir", outDir.toString()).code(), "the next run starts cleanly");
            assertEquals(16, list(outDir).size(), "a mask and an overlay per pair");
        }
    }

    @Test
    void synthFillsTheDiskMidWay() throws Exception {
        try (TmpfsMount disk = TmpfsMount.mountOrSkip(dir.resolve("full-3"), "size=128k")) {
            Path set = disk.dir().resolve("set");
            CliRun run = CliRun.of("synth", "--out", set.toString(), "--count", "60", "--size", "64");
            assertEquals(2, run.code(), run.toString());
            assertEquals(1, run.errorLines().size(), run.toString());
            assertTrue(run.errorLines().get(0).contains("No space left on device")
                    && run.errorLines().get(0).contains(set.toString()), run.toString());
            assertEquals(List.of(), list(disk.dir()), "no half set and no temporary folder");
            assertEquals(0, CliRun.of("synth", "--out", set.toString(), "--count", "3", "--size", "32").code(),
                    "the next run starts cleanly");
            assertEquals(3, list(set.resolve("images/rrsisd/JPEGImages")).size());
        }
    }

    private static void assertOneLineError(CliRun run, String line) {
        assertEquals(2, run.code(), run.toString());
        assertEquals(List.of("error: " + line), run.errorLines(), run.toString());
    }

    /** Writes until the disk is full. */
    private static void fill(Path disk) throws IOException {
        try (OutputStream out = Files.newOutputStream(disk.resolve("filler"))) {
            byte[] block = new byte[4096];
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            assertTrue(String.valueOf(full.getMessage()).contains("No space left"), full.toString());
        }
    }

    private static List<Path> temporaries(Path folder) throws IOException {
        return list(folder).stream().filter(p -> p.getFileName().toString().startsWith(".")).toList();
    }

    private static List<Path> list(Path folder) throws IOException {
        try (Stream<Path> all = Files.list(folder)) {
            return all.sorted().toList();
        }
    }
}
