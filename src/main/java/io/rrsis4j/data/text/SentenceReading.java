package io.rrsis4j.data.text;

import io.rrsis4j.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * How the model reads a sentence: the words within its token limit, those cut off after it, and those its vocabulary
 * does not know. A sentence with nothing left to look for (no word the vocabulary knows besides stop words and
 * punctuation among the words kept) is refused: the model would still draw a confident mask, guided by no word.
 * Words cut off or unknown are warnings, said with the answer.
 *
 * @param kept the words the model reads (wholly or in part), in order
 * @param dropped the words cut off by the token limit, in order (a word cut in the middle is in {@code kept})
 * @param unknown distinct words the vocabulary does not know (read as [UNK] or spelled letter by letter), among those
 *     kept; punctuation is not listed
 * @param maxTokens the model's token limit, [CLS] and [SEP] included
 */
public record SentenceReading(List<String> kept, List<String> dropped, List<String> unknown, int maxTokens) {
    /** Words shown when a warning names many: the first ones, then a count of the rest. */
    static final int WORDS_SHOWN = 12;

    /** English function words (NLTK's list, less the ones referring expressions use for position: over, under...). */
    static final Set<String> STOP_WORDS = Set.of("a", "an", "the", "this", "that", "these", "those", "it", "its",
            "itself", "they", "them", "their", "theirs", "he", "him", "his", "she", "her", "hers", "we", "us", "our",
            "you", "your", "i", "me", "my", "is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did",
            "doing", "have", "has", "had", "having", "and", "or", "but", "if", "so", "as", "of", "at", "by", "for",
            "with", "to", "from", "in", "on", "into", "onto", "than", "then", "there", "here", "what", "which", "who",
            "whom", "whose", "where", "when", "why", "how", "all", "any", "some", "such", "no", "nor", "not", "only",
            "own", "same", "too", "very", "can", "will", "just", "should", "would", "could", "may", "might", "must",
            "s", "t", "d", "ll", "m", "o", "re", "ve", "y", "about", "again", "also", "each", "both", "other", "more",
            "once", "while", "until", "because", "through", "during", "up", "out", "off");

    /** Whether some kept word names something: known to the vocabulary, and neither a stop word nor punctuation. */
    public boolean namesSomething() {
        return kept.stream().anyMatch(w -> !unknown.contains(w) && !STOP_WORDS.contains(w) && hasLetterOrDigit(w));
    }

    /** Refuses, in one line, a sentence in which the model has nothing to look for. */
    public SentenceReading requireSomethingToFind(String sentence) {
        if (namesSomething()) {
            return this;
        }
        String quoted = "'" + shorten(sentence.strip(), 80) + "'";
        if (!unknown.isEmpty() && kept.stream().allMatch(w -> unknown.contains(w) || isPunctuation(w))) {
            throw new InvalidInputException("the sentence " + quoted + " has no word the model's vocabulary knows ("
                    + "unknown: " + listed(unknown) + "); say in English which object to segment");
        }
        String cut = dropped.isEmpty() ? "" : " within its first " + maxTokens + " tokens";
        throw new InvalidInputException("the sentence " + quoted + " has no word that names something" + cut
                + " (only stop words, punctuation or unknown words): say which object to segment");
    }

    /** A word of punctuation marks only (BERT's basic tokenizer splits each off as its own word). */
    static boolean isPunctuation(String word) {
        return word.codePoints().allMatch(c -> switch (Character.getType(c)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
                    Character.MODIFIER_SYMBOL -> true;
            default -> false;
        });
    }

    private static boolean hasLetterOrDigit(String word) {
        return word.codePoints().anyMatch(Character::isLetterOrDigit);
    }

    /** One line per thing the user should know about how the sentence was read (none for a plain sentence). */
    public List<String> warnings() {
        List<String> lines = new ArrayList<>();
        if (!dropped.isEmpty()) {
            lines.add("the sentence is longer than the model's " + maxTokens + " tokens: the last " + dropped.size()
                    + " word(s) were dropped: " + listed(dropped));
        }
        if (!unknown.isEmpty()) {
            lines.add("word(s) the model's vocabulary does not know (read as [UNK] or letter by letter): "
                    + listed(unknown));
        }
        return lines;
    }

    /** Words quoted and joined; past {@link #WORDS_SHOWN}, the rest counted ("... and 988 more"). */
    static String listed(List<String> words) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(words.size(), WORDS_SHOWN); i++) {
            out.append(i == 0 ? "" : " ").append(words.get(i));
        }
        out.insert(0, '\'').append('\'');
        if (words.size() > WORDS_SHOWN) {
            out.append(" and ").append(words.size() - WORDS_SHOWN).append(" more");
        }
        return out.toString();
    }

    private static String shorten(String text, int chars) {
        return text.codePointCount(0, text.length()) <= chars ? text
                : text.substring(0, text.offsetByCodePoints(0, chars)) + "...";
    }
}
