package io.rrsis4j.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EntityEraserTest {
    private final WordPieceTokenizer tokenizer = WordPieceTokenizer.bundled();
    private final EntityEraser eraser = new EntityEraser(tokenizer);

    private List<String> piecesAt(TokenizedSentence s, List<Integer> positions) {
        return positions.stream().map(p -> s.pieces().get(p)).toList();
    }

    @Test
    void multiWordCategoryIsFoundBeforeItsParts() {
        TokenizedSentence s = tokenizer.encode("The large storage tank next to the ship");
        // [CLS] the large storage tank ... : positions 3 and 4
        assertEquals(List.of(3, 4), eraser.entityPositions(s));
        assertEquals(List.of("storage", "tank"), piecesAt(s, eraser.entityPositions(s)));
        TokenizedSentence court = tokenizer.encode("the tennis court on the left");
        assertEquals(List.of("tennis", "court"), piecesAt(court, eraser.entityPositions(court)));
    }

    @Test
    void pluralsAndSynonymsAreEntities() {
        for (String sentence : List.of("two cars near the road", "the boat in the lake", "a white plane above the river",
                "the house at the top")) {
            TokenizedSentence s = tokenizer.encode(sentence);
            List<String> pieces = piecesAt(s, eraser.entityPositions(s));
            assertEquals(1, pieces.size(), sentence);
            assertTrue(Set.of("cars", "boat", "plane", "house").contains(pieces.get(0)), sentence + " -> " + pieces);
        }
    }

    @Test
    void everySubTokenOfAnUnknownWordIsTaken() {
        // "windmill" is not in the bundled vocabulary: it falls apart into single-letter pieces
        TokenizedSentence s = tokenizer.encode("the windmill near the road");
        List<Integer> pos = eraser.entityPositions(s);
        assertEquals("windmill".length(), pos.size());
        assertEquals(2, pos.get(0));
        assertEquals(List.of("w", "##i", "##n", "##d", "##m", "##i", "##l", "##l"), piecesAt(s, pos));
    }

    @Test
    void fallbackTakesTheLastNounLikeWordBeforeARelation() {
        TokenizedSentence s = tokenizer.encode("the red square object on the left");
        assertEquals(List.of("o", "##b", "##j", "##e", "##c", "##t"), piecesAt(s, eraser.entityPositions(s)));
        TokenizedSentence none = tokenizer.encode("the one on the left");
        assertEquals(List.of(), eraser.entityPositions(none));
    }

    @Test
    void erasureMasksOneToAllEntityTokensAndKeepsTheAttentionMask() {
        TokenizedSentence s = tokenizer.encode("the storage tank near the bridge");
        Set<Integer> counts = new HashSet<>();
        Random random = new Random(7);
        for (int i = 0; i < 50; i++) {
            EntityEraser.ErasedSentence e = eraser.eraseEntityWords(s, random);
            counts.add(e.erasedPositions().length);
            for (int p = 0; p < s.ids().length; p++) {
                boolean erased = e.labels()[p] >= 0;
                assertEquals(erased ? tokenizer.maskId() : s.ids()[p], e.ids()[p]);
                assertEquals(erased ? s.ids()[p] : -1, e.labels()[p]);
                assertTrue(!erased || p == 2 || p == 3, "only the entity tokens are erased");
            }
        }
        assertEquals(Set.of(1, 2), counts);
        assertArrayEquals(new long[] {1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, s.attentionMask());
    }

    @Test
    void worksWithAFullSizedVocabularyFile(@TempDir Path dir) throws Exception {
        Path vocab = dir.resolve("vocab.txt");
        Files.write(vocab, List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "baseball", "field", "is", "to",
                "left", "of", "stadium", "wind", "##mill", "near", "dam"));
        WordPieceTokenizer small = WordPieceTokenizer.fromVocabFile(vocab);
        EntityEraser e = new EntityEraser(small);
        TokenizedSentence s = small.encode("The baseball field is to the left of the stadium");
        assertEquals(List.of(2, 3), e.entityPositions(s));
        TokenizedSentence w = small.encode("the windmill near the dam");
        assertEquals(List.of("wind", "##mill"), piecesAt(w, e.entityPositions(w)));
        EntityEraser.ErasedSentence all = e.eraseEntityWords(w, new Random(1));
        assertTrue(all.erasedPositions().length >= 1);
        assertEquals(4, small.maskId());
    }

    @Test
    void truncatedEntitiesAreNotErased() {
        WordPieceTokenizer short6 = WordPieceTokenizer.bundled(6);
        // [CLS] the red ball on the | cut: "bridge" is beyond 6 tokens and "ball" is not a category
        TokenizedSentence s = short6.encode("the small red thing on the bridge");
        EntityEraser e = new EntityEraser(short6);
        assertTrue(eraser.entityWords(s.words()).contains(6));
        assertTrue(e.entityPositions(s).stream().allMatch(p -> p < 6));
        assertEquals(List.of(), e.entityPositions(s));
    }
}
