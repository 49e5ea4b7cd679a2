package io.rrsis4j.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.rrsis4j.data.BinaryMask;
import io.rrsis4j.data.Images;
import io.rrsis4j.data.text.WordPieceTokenizer;
import io.rrsis4j.model.BtdNet;
import io.rrsis4j.model.BtdNetConfig;
import io.rrsis4j.model.WordAttention;
import io.rrsis4j.model.runtime.Predictor;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Word maps of a (micro, untrained) BTDNet: four stages at 1/4..1/32 of the input, one map per word with its pieces
 * merged and [CLS]/[SEP] left out, each upsampled to the image and summing to 1; pictures per word and a contact
 * sheet, written with the umask's permissions; the target ratio of a map.
 */
class WordMapsTest {
    @TempDir
    Path dir;

    @Test
    void mapsPerWordOverTheImageAndTheirPictures() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            BtdNetConfig config = BtdNetConfig.micro();
            BtdNet net = new BtdNet(config);
            net.initialize(m, DataType.FLOAT32);
            WordPieceTokenizer tokenizer = WordPieceTokenizer.bundled(config.maxTokens());
            Predictor predictor = new Predictor(net, tokenizer, m);
            BufferedImage image = new BufferedImage(150, 110, BufferedImage.TYPE_INT_RGB);
            image.getGraphics().fillRect(20, 30, 40, 20);
            String sentence = "the white vehicle parked at the top";

            WordAttention attention = predictor.wordAttention(image, sentence);
            int s = config.imageSize();
            assertEquals(List.of(s / 4, s / 8, s / 16, s / 32),
                    attention.stages().stream().map(WordAttention.Stage::height).toList());
            assertEquals(attention.sentence().length(), attention.stages().get(0).maps().length);

            List<WordMaps.WordMap> maps = new BtdNetSegmenter(predictor, null).wordMaps(image, sentence);
            assertEquals(tokenizer.words(sentence), maps.stream().map(WordMaps.WordMap::word).toList());
            for (WordMaps.WordMap map : maps) {
                assertEquals(4, map.stages().size());
                assertEquals(150 * 110, map.mean().length);
                assertEquals(1.0, sum(map.mean()), 1e-3);
                assertEquals(1.0, sum(map.stages().get(3)), 1e-3);
            }

            List<Path> files = WordMaps.write(image, maps, dir.resolve("explain"));
            assertEquals(maps.size() + 1, files.size());
            assertEquals(dir.resolve("explain/03-vehicle.png"), files.get(2));
            assertEquals("a_b__", WordMaps.fileName("a/b.."));
            BufferedImage one = Images.read(files.get(2));
            BufferedImage sheet = Images.read(files.get(files.size() - 1));
            assertEquals(one.getWidth(), sheet.getWidth());
            assertEquals(maps.size() * one.getHeight(), sheet.getHeight());
            assertTrue(one.getWidth() > 5 * WordMaps.PANEL && one.getHeight() > WordMaps.PANEL * 110 / 150);
            Path plain = Files.createFile(dir.resolve("plain"));
            assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(files.get(0)));
            assertTrue(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.get(0))).startsWith("rw-"));
        }
    }

    @Test
    void upsamplingKeepsAConstantMapAndTheRatioComparesMassWithArea() {
        float[] flat = WordMaps.upsample(new float[] {2, 2, 2, 2, 2, 2}, 3, 2, 7, 5);
        for (float v : flat) {
            assertEquals(2f, v, 1e-6);
        }
        float[] ramp = WordMaps.upsample(new float[] {0, 1}, 2, 1, 4, 1);
        assertEquals(List.of(0f, 0.25f, 0.75f, 1f), List.of(ramp[0], ramp[1], ramp[2], ramp[3]));

        BinaryMask quarter = new BinaryMask(4, 1, new byte[] {1, 0, 0, 0});
        assertEquals(1.0, WordMaps.targetRatio(new float[] {0.25f, 0.25f, 0.25f, 0.25f}, quarter), 1e-6);
        assertEquals(4.0, WordMaps.targetRatio(new float[] {1, 0, 0, 0}, quarter), 1e-6);
        assertEquals(0.0, WordMaps.targetRatio(new float[] {0, 1, 0, 0}, quarter), 1e-6);
        assertTrue(Double.isNaN(WordMaps.targetRatio(new float[4], new BinaryMask(4, 1))));
    }

    private static double sum(float[] a) {
        double s = 0;
        for (float v : a) {
            s += v;
        }
        return s;
    }
}
