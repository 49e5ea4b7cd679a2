package io.rrsis4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rrsis4j.InvalidInputException;
import io.rrsis4j.data.synthetic.SyntheticDatasets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.razorvine.pickle.Pickler;
import net.razorvine.pickle.Unpickler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sentence that is empty or white space: training refuses the file in one line, evaluation leaves it out. */
class BlankSentencesTest {
    @TempDir
    Path dir;

    @Test
    void whatCountsAsBlank() {
        assertTrue(BlankSentences.isBlank(""));
        assertTrue(BlankSentences.isBlank(" \t\r\n"));
        assertTrue(BlankSentences.isBlank("\u00a0\u2003\u200b\ufeff")); // no-break, em space, zero-width, BOM
        assertFalse(BlankSentences.isBlank(" . "));
        assertFalse(BlankSentences.isBlank("the tank"));
    }

    @Test
    void rrsisdRefusesForTrainingAndSkipsForEvaluation() throws Exception {
        SyntheticDatasets.write(dir, Datasets.Format.RRSISD, 6, 64, 1);
        Path refs = dir.resolve("rrsisd/refs(unc).p");
        List<?> list = (List<?>) new Unpickler().loads(Files.readAllBytes(refs));
        @SuppressWarnings("unchecked")
        Map<String, Object> first = (Map<String, Object>) list.get(0);
        String split = (String) first.get("split");
        @SuppressWarnings("unchecked")
        Map<String, Object> sentence = (Map<String, Object>) ((List<?>) first.get("sentences")).get(0);
        sentence.put("raw", "   ");
        Files.write(refs, new Pickler().dumps(list));
        int before = new RrsisdReader().read(dir, split, BlankSentences.Policy.SKIP).size();

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Datasets.readSplit(dir, Datasets.Format.RRSISD, split));
        assertEquals(refs, e.file());
        assertTrue(e.getMessage().contains("ref " + first.get("ref_id") + " (sent_id " + sentence.get("sent_id")
                + ") has an empty sentence"), e.getMessage());
        List<ReferringSample> kept = Datasets.readSplit(dir, Datasets.Format.RRSISD, split, BlankSentences.Policy.SKIP);
        assertEquals(before, kept.size());
        assertTrue(kept.stream().noneMatch(s -> s.sentence().isBlank()));
    }

    @Test
    void refSegRsRefusesForTrainingAndSkipsForEvaluation() throws Exception {
        SyntheticDatasets.write(dir, Datasets.Format.REFSEGRS, 4, 48, 2);
        Path phrases = dir.resolve("output_phrase_train.txt");
        List<String> lines = Files.readAllLines(phrases);
        int all = lines.size();
        String index0 = lines.get(0).split(" ")[0];
        String index1 = lines.get(1).split(" ")[0];
        lines.set(0, index0);                       // an index alone
        lines.set(1, index1 + " \u00a0 ");          // an index and white space
        Files.write(phrases, lines);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Datasets.readSplit(dir, Datasets.Format.REFSEGRS, "train"));
        assertTrue(e.getMessage().contains("line 1 (index " + index0 + ") has an empty sentence"), e.getMessage());
        List<ReferringSample> kept = Datasets.readSplit(dir, Datasets.Format.REFSEGRS, "train", BlankSentences.Policy.SKIP);
        assertEquals(all - 2, kept.size());
    }

    @Test
    void maskRegionsCountObjects() {
        BinaryMask m = new BinaryMask(8, 6);
        assertEquals(0, MaskRegions.count(m));
        m.set(6, 5, true); // a speck alone is still one object
        assertEquals(1, MaskRegions.count(m));
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 3; x++) {
                m.set(x, y, true);
            }
        }
        assertEquals(1, MaskRegions.count(m), "a speck beside an object is not another object");
        m.set(3, 3, true); // touches the square at a corner: the same object (8-connected)
        m.set(4, 4, true);
        for (int y = 0; y < 2; y++) {
            m.set(6, y, true);
            m.set(7, y, true);
        }
        assertEquals(2, MaskRegions.count(m));
        ReferringSample fromMask = new ReferringSample("a", "a", Path.of("a.tif"), "x", "", "train", () -> m,
                ReferringSample.TARGETS_FROM_MASK);
        assertEquals(TargetKind.MULTI, fromMask.kindIn(m));
        assertEquals(TargetKind.NONE, fromMask.kindIn(new BinaryMask(8, 6)));
        assertEquals(TargetKind.SINGLE, new ReferringSample("a", "a", Path.of("a.tif"), "x", "", "train", () -> m)
                .kindIn(m), "RRSIS-D style samples say one object whatever the mask");
    }
}
