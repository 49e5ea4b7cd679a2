package io.rrsis4j.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rrsis4j.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sentences as users type them, read by the bundled vocabulary with the reference 20-token limit. */
class SentenceReadingTest {
    private final WordPieceTokenizer tokenizer = WordPieceTokenizer.bundled();

    @Test
    void aPlainSentenceHasNothingToSay() {
        SentenceReading r = tokenizer.read("the red car near the pond");
        assertEquals(List.of(), r.warnings());
        assertEquals(r, r.requireSomethingToFind("the red car near the pond"));
    }

    @Test
    void wordsPastTheTokenLimitAreNamed() {
        String sentence = "the small red car parked on the road next to the large white building near the left "
                + "corner of the lake beside the green tree";
        SentenceReading r = tokenizer.read(sentence).requireSomethingToFind(sentence);
        // [CLS] + 19 pieces: every word of the bundled vocabulary is one piece, so words 20 on are dropped
        assertEquals(19, r.kept().size());
        assertEquals(List.of("the", "lake", "beside", "the", "green", "tree"), r.dropped());
        assertEquals(1, r.warnings().size());
        assertTrue(r.warnings().get(0).contains("the last 6 word(s) were dropped: 'the lake beside the green tree'"),
                r.warnings().get(0));
        // what encode feeds the model is exactly the kept words
        TokenizedSentence t = tokenizer.encode(sentence);
        assertEquals(r.kept().size(), t.wordOfPiece()[t.length() - 1] + 1);
    }

    @Test
    void aThousandCopiesOfOneWordAreCutAndCounted() {
        String sentence = "tank ".repeat(1000);
        SentenceReading r = tokenizer.read(sentence).requireSomethingToFind(sentence);
        assertEquals(981, r.dropped().size());
        String warning = r.warnings().get(0);
        assertTrue(warning.contains("the last 981 word(s) were dropped") && warning.endsWith("and 969 more")
                && warning.length() < 200, warning);
    }

    @Test
    void unknownWordsAreNamedOnceEach() {
        SentenceReading r = tokenizer.read("zeppelin tank zeppelin");
        assertEquals(List.of("zeppelin"), r.unknown());
        assertEquals(List.of("word(s) the model's vocabulary does not know (read as [UNK] or letter by letter): "
                + "'zeppelin'"), r.warnings());
    }

    @Test
    void otherScriptsAndEmojiWithNoKnownWordAreRefused() {
        for (String sentence : List.of("\uD83D\uDE97\uD83C\uDFE0", "\u6cb9\u7f50 \u65c1\u8fb9", "\u043a\u0440\u0430\u0441\u043d\u0430\u044f "
                + "\u043c\u0430\u0448\u0438\u043d\u0430", "\u0627\u0644\u0633\u0642\u0641")) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> tokenizer.read(sentence).requireSomethingToFind(sentence), sentence);
            assertTrue(e.getMessage().contains("no word the model's vocabulary knows") && !e.getMessage().contains("\n"),
                    e.getMessage());
        }
    }

    @Test
    void stopWordsAndPunctuationAloneAreRefused() {
        for (String sentence : List.of("the of and", "the . , the !", "is it there?", "...", "a a a a")) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> tokenizer.read(sentence).requireSomethingToFind(sentence), sentence);
            assertTrue(e.getMessage().contains("has no word that names something"), e.getMessage());
        }
    }

    @Test
    void aNamingWordCutOffByTheLimitLeavesNothingToFind() {
        String sentence = "the ".repeat(25) + "tank";
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> tokenizer.read(sentence).requireSomethingToFind(sentence));
        assertTrue(e.getMessage().contains("within its first 20 tokens"), e.getMessage());
    }

    @Test
    void oneKnownWordAmongUnknownOnesIsEnough() {
        SentenceReading r = tokenizer.read("le tank \uD83D\uDE97").requireSomethingToFind("le tank \uD83D\uDE97");
        assertEquals(List.of("le", "\uD83D\uDE97"), r.unknown());
    }
}
