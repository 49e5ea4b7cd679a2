package io.rrsis4j.data.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rrsis4j.InvalidInputException;
import io.rrsis4j.data.BinaryMask;
import io.rrsis4j.data.DatasetSplits;
import io.rrsis4j.data.Datasets;
import io.rrsis4j.data.ReferringSample;
import io.rrsis4j.data.TargetKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Multi-target and no-target sentences of the synthetic generator, and the layouts that hold them. */
class GeneralizedSyntheticTest {
    private static final int SIZE = 96;
    private static List<SyntheticScene> scenes;

    @BeforeAll
    static void generate() {
        scenes = new SyntheticSceneGenerator(3, 3, 0.2, 0.2).generate(80, SIZE, 11);
    }

    @Test
    void theSharesOfSentencesAreThoseAskedFor() {
        Map<TargetKind, Integer> sentences = new EnumMap<>(TargetKind.class);
        for (SyntheticScene s : scenes) {
            for (SyntheticScene.Target t : s.targets()) {
                sentences.merge(TargetKind.of(t.objects()), t.sentences().size(), Integer::sum);
            }
        }
        double total = sentences.values().stream().mapToInt(Integer::intValue).sum();
        assertEquals(0.2, sentences.get(TargetKind.MULTI) / total, 0.04, sentences.toString());
        assertEquals(0.2, sentences.get(TargetKind.NONE) / total, 0.04, sentences.toString());
    }

    @Test
    void aMultiTargetMaskIsEveryObjectItsSentenceNames() {
        GeneralizedExpressionWriter writer = new GeneralizedExpressionWriter(SIZE);
        ExpressionWriter words = new ExpressionWriter(SIZE);
        int checked = 0;
        for (SyntheticScene s : scenes) {
            for (GeneralizedExpressionWriter.MultiTarget m : writer.multiTargets(s.objects(), new SplittableRandom(3))) {
                assertTrue(m.objects().size() >= 2, m.sentence());
                assertEquals(m.objects(), m.description().matching(s.objects(), words, SIZE), m.sentence());
                String q = m.description().quantifier();
                assertTrue(!q.equals("both") && !q.equals("the two") || m.objects().size() == 2, m.sentence());
                assertTrue(!q.equals("the three") || m.objects().size() == 3, m.sentence());
                checked++;
            }
            for (SyntheticScene.Target t : s.targets()) {
                if (t.objects() >= 2) {
                    BinaryMask union = new BinaryMask(SIZE, SIZE);
                    int inside = 0;
                    for (SceneObject o : s.objects()) {
                        if (o.area() > 0 && covers(t.mask(), o.mask())) {
                            or(union, o.mask());
                            inside++;
                        }
                    }
                    assertEquals(t.objects(), inside, t.sentences().toString());
                    assertEquals(union, t.mask(), "the mask is the union of the objects named: " + t.sentences());
                }
            }
        }
        assertTrue(checked > 50, "multi-target descriptions checked: " + checked);
    }

    @Test
    void noTargetSentencesNameNothingAndMostDifferFromAnObjectByOneAttribute() {
        GeneralizedExpressionWriter writer = new GeneralizedExpressionWriter(SIZE);
        ExpressionWriter words = new ExpressionWriter(SIZE);
        SplittableRandom rng = new SplittableRandom(17);
        Map<GeneralizedExpressionWriter.Change, Integer> changes = new EnumMap<>(GeneralizedExpressionWriter.Change.class);
        int made = 0;
        for (SyntheticScene s : scenes) {
            for (int k = 0; k < 3; k++) {
                Optional<GeneralizedExpressionWriter.NoTarget> nt = writer.noTarget(s.objects(), rng);
                if (nt.isEmpty()) {
                    continue;
                }
                GeneralizedExpressionWriter.NoTarget n = nt.get();
                made++;
                changes.merge(n.change(), 1, Integer::sum);
                assertEquals(List.of(), n.description().matching(s.objects(), words, SIZE), n.sentence());
                if (n.change() == GeneralizedExpressionWriter.Change.ABSENT_CATEGORY) {
                    String c = n.description().category();
                    assertTrue(s.objects().stream().noneMatch(o -> o.category().equals(c)), n.sentence());
                    continue;
                }
                // a road crosses the image: no place or relation of it is clearly wrong
                if ("road".equals(n.description().category())) {
                    assertTrue(n.change() != GeneralizedExpressionWriter.Change.POSITION
                            && n.change() != GeneralizedExpressionWriter.Change.RELATION, n.sentence());
                }
                // the near miss is there and fits the sentence it was made from ...
                assertTrue(n.original().matching(s.objects(), words, SIZE).contains(n.nearMiss()), n.sentence());
                // ... which differs from the no-target one in exactly one attribute
                List<Object> a = n.original().attributes();
                List<Object> b = n.description().attributes();
                int differ = 0;
                for (int i = 0; i < a.size(); i++) {
                    differ += java.util.Objects.equals(a.get(i), b.get(i)) ? 0 : 1;
                }
                assertEquals(1, differ, n.original().text() + " -> " + n.sentence());
                assertEquals(n.original().noun(), n.description().noun());
            }
        }
        int absent = changes.getOrDefault(GeneralizedExpressionWriter.Change.ABSENT_CATEGORY, 0);
        assertTrue(made > 200, "no-target sentences made: " + made);
        assertTrue(absent < 0.35 * made, "an absent category only sometimes: " + changes);
        for (GeneralizedExpressionWriter.Change c : List.of(GeneralizedExpressionWriter.Change.COLOUR,
                GeneralizedExpressionWriter.Change.POSITION, GeneralizedExpressionWriter.Change.RELATION)) {
            assertTrue(changes.getOrDefault(c, 0) > 0.1 * made, "every kind of change occurs: " + changes);
        }
    }

    @Test
    void generatedNoTargetSentencesAreNewAndTheirMasksEmpty() {
        for (SyntheticScene s : scenes) {
            Set<String> singles = new HashSet<>();
            s.targets().stream().filter(t -> t.objects() == 1).forEach(t -> singles.addAll(t.sentences()));
            for (SyntheticScene.Target t : s.targets()) {
                if (t.objects() == 0) {
                    assertEquals(0, t.mask().count());
                    t.sentences().forEach(x -> assertFalse(singles.contains(x), x));
                }
            }
        }
    }

    @Test
    void withoutSharesScenesHaveSingleTargetsOnly() {
        for (SyntheticScene s : new SyntheticSceneGenerator().generate(10, SIZE, 11)) {
            assertTrue(s.targets().stream().allMatch(t -> t.objects() == 1));
        }
    }

    @Test
    void grefsRoundTripGivesEverySentenceItsMaskAndKind(@TempDir Path root) throws Exception {
        int count = 12;
        SyntheticDatasets.write(root, Datasets.Format.GREFS, count, 64, 4, 0.2, 0.2);
        Iterator<SyntheticScene> again = new SyntheticSceneGenerator(3, 3, 0.2, 0.2).oneByOne(count, 64, 4);
        Map<String, List<Object[]>> written = new java.util.HashMap<>();
        for (int i = 0; again.hasNext(); i++) {
            SyntheticScene s = again.next();
            for (SyntheticScene.Target t : s.targets()) {
                for (String sentence : t.sentences()) {
                    written.computeIfAbsent(DatasetSplits.forScene(i), k -> new ArrayList<>())
                            .add(new Object[] {sentence, t.mask(), t.objects()});
                }
            }
        }
        int kinds = 0;
        for (String split : List.of("train", "val", "test")) {
            List<ReferringSample> read = Datasets.read(root, Datasets.Format.GREFS, split);
            List<Object[]> want = written.getOrDefault(split, List.of());
            assertEquals(want.size(), read.size(), split);
            for (int i = 0; i < read.size(); i++) {
                assertEquals(want.get(i)[0], read.get(i).sentence());
                assertEquals(want.get(i)[1], read.get(i).mask().load(), read.get(i).sentence());
                assertEquals(want.get(i)[2], read.get(i).targets(), read.get(i).sentence());
                kinds |= 1 << TargetKind.of(read.get(i).targets()).ordinal();
            }
        }
        assertEquals(7, kinds, "single, multi and no-target samples written and read");
    }

    @Test
    void refSegRsHoldsThemAsEmptyAndSeveralObjectMasks(@TempDir Path root) throws Exception {
        SyntheticDatasets.write(root, Datasets.Format.REFSEGRS, 10, 64, 4, 0.25, 0.25);
        Map<TargetKind, Integer> kinds = new EnumMap<>(TargetKind.class);
        for (ReferringSample s : Datasets.read(root, Datasets.Format.REFSEGRS, "train")) {
            assertEquals(ReferringSample.TARGETS_FROM_MASK, s.targets());
            kinds.merge(s.kindIn(s.mask().load()), 1, Integer::sum);
        }
        assertTrue(kinds.getOrDefault(TargetKind.NONE, 0) > 0 && kinds.getOrDefault(TargetKind.MULTI, 0) > 0, kinds.toString());
    }

    @Test
    void rrsisdCannotHoldThemAndSaysSo(@TempDir Path root) {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> SyntheticDatasets.write(root.resolve("x"), Datasets.Format.RRSISD, 2, 64, 1, 0.2, 0));
        assertTrue(e.getMessage().contains("--multi and --no-target need --format grefs or refsegrs"), e.getMessage());
        assertThrows(InvalidInputException.class,
                () -> SyntheticDatasets.write(root.resolve("y"), Datasets.Format.GREFS, 2, 64, 1, 0.6, 0.5));
    }

    private static boolean covers(BinaryMask whole, BinaryMask part) {
        for (int i = 0; i < part.pixels().length; i++) {
            if (part.pixels()[i] != 0 && whole.pixels()[i] == 0) {
                return false;
            }
        }
        return true;
    }

    private static void or(BinaryMask into, BinaryMask m) {
        for (int i = 0; i < m.pixels().length; i++) {
            into.pixels()[i] |= m.pixels()[i];
        }
    }
}
