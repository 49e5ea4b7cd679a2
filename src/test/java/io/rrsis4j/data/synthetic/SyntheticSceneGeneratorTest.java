package io.rrsis4j.data.synthetic;

import io.rrsis4j.data.Images;
import io.rrsis4j.data.MaskImages;
import io.rrsis4j.data.text.TokenizedSentence;
import io.rrsis4j.data.text.WordPieceTokenizer;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticSceneGeneratorTest {
    static final int SIZE = 128;
    static List<SyntheticScene> scenes;

    @BeforeAll
    static void generate() {
        long t0 = System.nanoTime();
        scenes = new SyntheticSceneGenerator().generate(200, SIZE, 42);
        System.out.printf("generated 200 scenes of %d px in %d ms%n", SIZE, (System.nanoTime() - t0) / 1_000_000);
    }

    @Test
    void sameSeedGivesSameScenesAndOtherSeedDiffers() {
        List<SyntheticScene> again = new SyntheticSceneGenerator().generate(5, SIZE, 42);
        List<SyntheticScene> other = new SyntheticSceneGenerator().generate(5, SIZE, 43);
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(rgb(scenes.get(i).image()), rgb(again.get(i).image()));
            assertEquals(sentences(scenes.get(i)), sentences(again.get(i)));
            assertEquals(scenes.get(i).targets().get(0).mask(), again.get(i).targets().get(0).mask());
        }
        assertFalse(java.util.Arrays.equals(rgb(scenes.get(0).image()), rgb(other.get(0).image())));
    }

    @Test
    void scenesHoldDistractorsAndLargeDisjointTargets() {
        int shared = 0;
        int targets = 0;
        double minShare = 1;
        for (SyntheticScene s : scenes) {
            assertTrue(s.objects().size() >= 3 && s.objects().size() <= 8, "objects: " + s.objects().size());
            assertFalse(s.targets().isEmpty());
            // masks of different objects never overlap
            int[] owners = new int[SIZE * SIZE];
            for (SceneObject o : s.objects()) {
                byte[] px = o.mask().pixels();
                for (int i = 0; i < px.length; i++) {
                    owners[i] += px[i];
                }
            }
            for (int c : owners) {
                assertTrue(c <= 1);
            }
            for (SyntheticScene.Target t : s.targets()) {
                targets++;
                minShare = Math.min(minShare, t.mask().count() / (double) (SIZE * SIZE));
                long sameCategory = s.objects().stream().filter(o -> o.category().equals(t.category())).count();
                if (sameCategory > 1) {
                    shared++;
                }
                assertTrue(t.sentences().size() >= 1 && t.sentences().size() <= 3);
            }
        }
        System.out.printf("%d targets, %.0f%% share their category with a distractor, smallest target %.2f%% of the image%n",
                targets, 100.0 * shared / targets, 100 * minShare);
        assertTrue(minShare > 0.012, "smallest target " + minShare);
        assertTrue(shared > 0.4 * targets, "targets sharing a category: " + shared + " of " + targets);
    }

    /** Text-blind guesses (the largest object, or one object at random) must fall clearly short of a text-aware one. */
    @Test
    void ignoringTheSentenceDoesClearlyWorse() {
        double largestHits = 0;
        double randomHits = 0;
        int n = 0;
        for (SyntheticScene s : scenes) {
            SceneObject largest = s.objects().stream().max(java.util.Comparator.comparingInt(SceneObject::area)).get();
            for (SyntheticScene.Target t : s.targets()) {
                n++;
                largestHits += largest.mask().equals(t.mask()) ? 1 : 0;
                randomHits += 1.0 / s.objects().size();
            }
        }
        System.out.printf("text-blind: largest object is the target %.1f%%, random object %.1f%%%n",
                100 * largestHits / n, 100 * randomHits / n);
        assertTrue(largestHits / n < 0.45, "largest object: " + largestHits / n);
        assertTrue(randomHits / n < 0.3, "random object: " + randomHits / n);
    }

    @Test
    void everySentenceFitsOnlyItsTargetByCategoryWords() {
        // a sentence names its target's category (or a synonym) first
        for (SyntheticScene s : scenes) {
            for (SyntheticScene.Target t : s.targets()) {
                for (String sentence : t.sentences()) {
                    assertTrue(sentence.startsWith("the "), sentence);
                    boolean named = ExpressionWriter.NOUNS.get(t.category()).stream().anyMatch(sentence::contains);
                    assertTrue(named, sentence + " does not name " + t.category());
                }
            }
        }
    }

    @Test
    void noGeneratedSentenceTokenisesToUnknown() {
        WordPieceTokenizer tok = WordPieceTokenizer.bundled();
        long unk = tok.id("[UNK]");
        for (SyntheticScene s : scenes) {
            for (SyntheticScene.Target t : s.targets()) {
                for (String sentence : t.sentences()) {
                    TokenizedSentence ts = tok.encode(sentence);
                    for (int i = 0; i < ts.length(); i++) {
                        assertTrue(ts.ids()[i] != unk, sentence + " has an unknown word: " + ts.pieces());
                    }
                    assertEquals("[SEP]", ts.pieces().get(ts.length() - 1), "sentence cut at 20 tokens: " + sentence);
                }
            }
        }
    }

    @Test
    void bundledVocabularyIsTheGeneratedOne() throws Exception {
        List<String> lines;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                getClass().getResourceAsStream(WordPieceTokenizer.BUNDLED_VOCAB), StandardCharsets.UTF_8))) {
            lines = r.lines().collect(Collectors.toList());
        }
        assertEquals(ExpressionWriter.vocabularyFile(), lines, "regenerate synthetic-vocab.txt from ExpressionWriter.vocabularyFile()");
        assertEquals("[PAD]", lines.get(0));
        Set<String> unique = new HashSet<>(lines);
        assertEquals(lines.size(), unique.size(), "duplicate tokens");
    }

    @Test
    void writesSomeSampleScenesForAVisualCheck() throws Exception {
        String dir = System.getProperty("rrsis4j.sceneDump");
        if (dir == null) {
            return; // run with -Drrsis4j.sceneDump=/tmp/scenes to look at the scenes
        }
        for (int i = 0; i < 8; i++) {
            SyntheticScene s = scenes.get(i);
            Images.write(s.image(), "png", java.nio.file.Path.of(dir, i + ".png"));
            MaskImages.writeOverlay(s.image(), s.targets().get(0).mask(), java.nio.file.Path.of(dir, i + "_target.png"));
            System.out.println(i + ": " + s.targets().get(0).category() + " " + s.targets().get(0).sentences());
        }
    }

    static int[] rgb(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    static List<List<String>> sentences(SyntheticScene s) {
        return s.targets().stream().map(SyntheticScene.Target::sentences).toList();
    }
}
