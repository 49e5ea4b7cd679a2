package io.rrsis4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rrsis4j.data.Datasets;
import io.rrsis4j.data.synthetic.SyntheticDatasets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An output named like one of the run's inputs (the mask written over its own image, through another spelling or a
 * link too) is refused before any work, and the input keeps its bytes; and list files as editors save them (a byte
 * order mark, CRLF, blank lines, a TAB inside the sentence) are read as the user meant.
 */
class OutputOverInputTest {
    @TempDir
    static Path dir;
    static Path checkpoint;
    static Path image;
    static byte[] imageBytes;

    @BeforeAll
    static void checkpointAndImage() throws Exception {
        checkpoint = MicroCheckpoint.write(dir.resolve("ckpt"));
        SyntheticDatasets.write(dir.resolve("data"), Datasets.Format.RRSISD, 3, 64, 5);
        image = dir.resolve("scene.png"); // a PNG, as a mask is: the name alone does not give the clash away
        javax.imageio.ImageIO.write(javax.imageio.ImageIO.read(dir.resolve("data/images/rrsisd/JPEGImages/00001.jpg")
                .toFile()), "png", image.toFile());
        imageBytes = Files.readAllBytes(image);
        Files.createSymbolicLink(dir.resolve("link.png"), image);
    }

    private static void assertRefusedAndKept(Path input, String... args) throws Exception {
        byte[] before = Files.readAllBytes(input);
        CliRun run = CliRun.of(args);
        assertEquals(2, run.code(), run.toString());
        List<String> lines = run.errorLines();
        assertEquals(1, lines.size(), run.toString());
        assertTrue(lines.get(0).contains("is also an input"), lines.get(0));
        assertArrayEquals(before, Files.readAllBytes(input), "the input is kept");
    }

    @Test
    void maskOverItsOwnImage() throws Exception {
        assertRefusedAndKept(image, "segment", "--checkpoint", checkpoint.toString(), "--image", image.toString(),
                "--text", "the car", "--out", image.toString());
    }

    @Test
    void overlayOverTheImageThroughALink() throws Exception {
        Path mask = dir.resolve("mask.png");
        assertRefusedAndKept(image, "segment", "--checkpoint", checkpoint.toString(), "--image",
                dir.resolve("link.png").toString(), "--text", "the car", "--out", mask.toString(),
                "--overlay", dir.resolve("./scene.png").toString());
        assertFalse(Files.exists(mask), "no mask either: the outputs are all or none");
    }

    @Test
    void tiledMaskOverTheScene() throws Exception {
        Path scene = dir.resolve("scene.tif"); // written by GDAL (src/test/scripts/make_gdal_fixtures.sh)
        Files.copy(Path.of("src/test/resources/geotiff/cog_deflate.tif"), scene);
        assertRefusedAndKept(scene, "segment", "--checkpoint", checkpoint.toString(), "--image", scene.toString(),
                "--text", "the car", "--out", scene.toString(), "--tile", "64", "--overlap", "16");
    }

    @Test
    void listImageWhereAMaskGoes() throws Exception {
        Path out = dir.resolve("masks");
        Files.createDirectories(out);
        Path named = out.resolve("0000-mask.png");
        Files.write(named, imageBytes);
        Path list = dir.resolve("pairs.tsv");
        Files.writeString(list, "masks/0000-mask.png\tthe car\n");
        assertRefusedAndKept(named, "segment", "--checkpoint", checkpoint.toString(), "--list", list.toString(),
                "--out-dir", out.toString());
    }

    @Test
    void convertedWeightsOverTheirSource() throws Exception {
        Path pth = dir.resolve("swin-mini.pth"); // written by torch.save (src/test/resources/fixtures)
        Files.copy(Path.of("src/test/resources/fixtures/swin-mini.pth"), pth);
        assertRefusedAndKept(pth, "weights", "convert", pth.toString(), "--out", pth.toString());
    }

    @Test
    void listAsEditorsSaveIt() throws Exception {
        Path list = dir.resolve("lists/windows.tsv");
        Files.createDirectories(list.getParent());
        Files.copy(image, dir.resolve("lists/a.png"));
        Files.writeString(list, "\uFEFFa.png\tthe car\r\n\r\n   \r\n# a comment\r\n" + image + "\tthe\tred car \r\n");
        SegmentCommand.Pairs pairs = SegmentCommand.readList(list);
        assertEquals(List.of(dir.resolve("lists/a.png").toAbsolutePath(), image), pairs.images(),
                "a relative image is taken from the list's folder; the byte order mark is not part of its name");
        assertEquals(List.of("the car", "the\tred car"), pairs.sentences());
    }
}
