package io.rrsis4j.data;

import io.rrsis4j.InvalidInputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a reader does with a sentence that is empty or only white space: training refuses the dataset (a sample with
 * nothing to read would teach the model to segment without words), evaluation leaves the sample out and says how
 * many it left out (a benchmark's score should not fail on one bad line, nor count a sentence no model can read).
 */
public final class BlankSentences {
    private static final Logger LOG = LoggerFactory.getLogger(BlankSentences.class);
    /** How many places a warning lists before "...". */
    private static final int LISTED = 5;

    /** The two answers: one line and exit 2, or the sample left out with a counted warning. */
    public enum Policy {
        REFUSE,
        SKIP
    }

    private final Policy policy;
    private final Path file;
    private final List<String> skipped = new ArrayList<>();

    public BlankSentences(Policy policy, Path file) {
        this.policy = policy;
        this.file = file;
    }

    /**
     * Whether a sentence has no visible character: nothing but white space (Unicode's, no-break spaces included) and
     * invisible format characters (zero-width spaces, byte order marks).
     */
    public static boolean isBlank(String sentence) {
        return sentence.codePoints().allMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c)
                || Character.getType(c) == Character.FORMAT);
    }

    /**
     * True when the sentence is to be read; false when it is blank and skipped.
     *
     * @param where the sample in the file's own terms ("ref 12 (sent_id 40)", "line 7 (index 12)")
     * @throws InvalidInputException when it is blank and the policy refuses
     */
    public boolean keep(String sentence, String where) {
        if (!isBlank(sentence)) {
            return true;
        }
        if (policy == Policy.REFUSE) {
            throw new InvalidInputException(file, where + " has an empty sentence (training needs every sentence to"
                    + " have words: remove the sentence or write one)");
        }
        skipped.add(where);
        return false;
    }

    /** The number of samples left out so far. */
    public int skipped() {
        return skipped.size();
    }

    /** Logs one warning naming the file, the count and the first few places, when anything was left out. */
    public void report() {
        if (skipped.isEmpty()) {
            return;
        }
        String places = String.join(", ", skipped.subList(0, Math.min(LISTED, skipped.size())))
                + (skipped.size() > LISTED ? ", ..." : "");
        LOG.warn("{}: left out {} sample{} with an empty sentence ({})", file, skipped.size(),
                skipped.size() == 1 ? "" : "s", places);
    }
}
