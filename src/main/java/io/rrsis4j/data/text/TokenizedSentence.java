package io.rrsis4j.data.text;

import java.util.List;

/**
 * A sentence as the text encoder sees it: [CLS] word pieces [SEP], truncated to the maximum length
 * (the reference loaders keep the first 20 tokens, so [SEP] may be cut) and padded with id 0.
 *
 * @param ids token ids, length = max tokens, 0 = padding
 * @param attentionMask 1 for real tokens, 0 for padding
 * @param pieces the real tokens as strings, [CLS] and [SEP] included (length = number of ones in attentionMask)
 * @param wordOfPiece for each real token, the index of the sentence word it came from, -1 for [CLS]/[SEP]
 * @param words the sentence's words after the BERT basic tokenizer (lower-cased, punctuation split off)
 */
public record TokenizedSentence(long[] ids, long[] attentionMask, List<String> pieces, int[] wordOfPiece, List<String> words) {
    public int length() {
        return pieces.size();
    }
}
