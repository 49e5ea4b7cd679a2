package io.rrsis4j.infer;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rrsis4j.InvalidInputException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one place sentences are checked (the CLI, the server and the library all pass through it). */
class SentenceCheckTest {

    @ParameterizedTest
    @ValueSource(strings = {"?!...", "   ", "\t\n", "--- !!! ---", "\u2026\u00bf?", "(( ))", "\u3002\uff01"})
    void aSentenceWithoutAWordIsRefused(String sentence) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> BtdNetSegmenter.checkSentence(sentence));
        assertTrue(e.getMessage().contains("sentence") && !e.getMessage().contains("\n"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"the car", "car!", "the 2nd tank", "7", "\u6cb9\u7f50", "la voiture \u00e0 gauche"})
    void aSentenceWithALetterOrDigitIsAccepted(String sentence) {
        assertDoesNotThrow(() -> BtdNetSegmenter.checkSentence(sentence));
    }
}
