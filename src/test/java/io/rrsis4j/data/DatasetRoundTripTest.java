package io.rrsis4j.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rrsis4j.data.synthetic.SyntheticDatasets;
import io.rrsis4j.data.synthetic.SyntheticScene;
import io.rrsis4j.data.synthetic.SyntheticSceneGenerator;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetRoundTripTest {
    @TempDir
    Path dir;

    /** Expected (sentence -> mask) per split, in writing order, from the generator directly. */
    private static Map<String, List<Map.Entry<String, BinaryMask>>> expected(int count, int size, long seed) {
        List<SyntheticScene> scenes = new SyntheticSceneGenerator().generate(count, size, seed);
        Map<String, List<Map.Entry<String, BinaryMask>>> out = new HashMap<>();
        for (int i = 0; i < scenes.size(); i++) {
            for (SyntheticScene.Target t : scenes.get(i).targets()) {
                for (String s : t.sentences()) {
                    out.computeIfAbsent(DatasetSplits.forScene(i), k -> new ArrayList<>()).add(Map.entry(s, t.mask()));
                }
            }
        }
        return out;
    }

    @Test
    void rrsisdRoundTripGivesSameMasksAndSentences() throws Exception {
        Map<String, Integer> written = SyntheticDatasets.write(dir, Datasets.Format.RRSISD, 24, 96, 5);
        Map<String, List<Map.Entry<String, BinaryMask>>> expected = expected(24, 96, 5);
        for (String split : List.of("train", "val", "test")) {
            List<ReferringSample> samples = new RrsisdReader().read(dir, split);
            assertEquals(written.get(split), samples.size());
            List<Map.Entry<String, BinaryMask>> want = expected.get(split);
            assertEquals(want.size(), samples.size());
            for (int i = 0; i < samples.size(); i++) {
                ReferringSample s = samples.get(i);
                assertEquals(want.get(i).getKey(), s.sentence());
                assertEquals(want.get(i).getValue(), s.mask().load(), "mask of " + s.id());
                assertEquals(split, s.split());
                assertTrue(!s.category().isEmpty());
                BufferedImage img = Images.read(s.imagePath());
                assertEquals(96, img.getWidth());
            }
        }
        // all three segmentation encodings are present
        JsonNode coco = new ObjectMapper().readTree(dir.resolve("rrsisd/instances.json").toFile());
        int polygons = 0;
        int strings = 0;
        int lists = 0;
        for (JsonNode a : coco.get("annotations")) {
            JsonNode seg = a.get("segmentation");
            if (seg.isArray()) {
                polygons++;
            } else if (seg.get("counts").isTextual()) {
                strings++;
            } else {
                lists++;
            }
        }
        assertTrue(polygons > 0 && strings > 0 && lists > 0, polygons + " " + strings + " " + lists);
    }

    @Test
    void refSegRsRoundTripGivesSameMasksAndSentences() throws Exception {
        Map<String, Integer> written = SyntheticDatasets.write(dir, Datasets.Format.REFSEGRS, 12, 64, 9);
        Map<String, List<Map.Entry<String, BinaryMask>>> expected = expected(12, 64, 9);
        for (String split : List.of("train", "val", "test")) {
            List<ReferringSample> samples = new RefSegRsReader().read(dir, split);
            assertEquals(written.getOrDefault(split, 0), samples.size());
            List<Map.Entry<String, BinaryMask>> want = expected.getOrDefault(split, List.of());
            for (int i = 0; i < samples.size(); i++) {
                assertEquals(want.get(i).getKey(), samples.get(i).sentence());
                assertEquals(want.get(i).getValue(), samples.get(i).mask().load());
            }
        }
        // the TIFF image is lossless: pixels equal the generated scene's
        SyntheticScene first = new SyntheticSceneGenerator().generate(1, 64, 9).get(0);
        BufferedImage img = Images.read(dir.resolve("images/0.tif"));
        assertEquals(first.image().getRGB(10, 20), img.getRGB(10, 20));
        assertEquals(first.image().getRGB(40, 33), img.getRGB(40, 33));
    }

    @Test
    void listingFiveHundredRrsisdSamplesTakesSeconds() throws Exception {
        Map<String, Integer> written = SyntheticDatasets.write(dir, Datasets.Format.RRSISD, 300, 64, 11);
        long t0 = System.nanoTime();
        List<ReferringSample> train = new RrsisdReader().read(dir, "train");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("listed %d RRSIS-D train samples in %d ms%n", train.size(), ms);
        assertEquals(written.get("train"), train.size());
        assertTrue(train.size() >= 500, "only " + train.size() + " samples");
        assertTrue(ms < 5000, ms + " ms");
        long t1 = System.nanoTime();
        for (ReferringSample s : train.subList(0, 100)) {
            s.mask().load();
        }
        System.out.printf("decoded 100 masks in %d ms%n", (System.nanoTime() - t1) / 1_000_000);
    }

    @Test
    void imageLargerThanItsAnnotationGetsTheMaskResizedToTheFile() throws Exception {
        SyntheticDatasets.write(dir, Datasets.Format.RRSISD, 1, 64, 4);
        ReferringSample s = new RrsisdReader().read(dir, "train").get(0);
        BinaryMask declared = s.mask().load();
        // the released data has a few 800 x 801 files whose annotations say 800 x 800
        Images.write(ImageTransforms.resize(Images.read(s.imagePath()), 64, 65), "jpg", s.imagePath());
        BinaryMask fitted = new RrsisdReader().read(dir, "train").get(0).mask().load();
        assertEquals(64, fitted.width());
        assertEquals(65, fitted.height());
        assertEquals(declared.resizeNearest(64, 65), fitted);
    }

    @Test
    void testSplitIncludesEverySplitNamedTest() {
        assertEquals("test", DatasetSplits.normalize("testA"));
        assertEquals("val", DatasetSplits.normalize("val"));
    }
}
