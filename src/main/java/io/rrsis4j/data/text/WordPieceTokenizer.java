package io.rrsis4j.data.text;

import ai.djl.modality.nlp.DefaultVocabulary;
import ai.djl.modality.nlp.bert.BertFullTokenizer;
import ai.djl.modality.nlp.preprocess.TextProcessor;
import io.rrsis4j.InvalidInputException;
import io.rrsis4j.io.files.FileErrors;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * BERT uncased WordPiece tokenizer over a {@code vocab.txt} (one token a line, id = line number),
 * as the reference loaders use it: [CLS] + pieces + [SEP], truncated to {@link #maxTokens}, padded with 0.
 */
public final class WordPieceTokenizer {
    /** The reference code's sentence length. */
    public static final int DEFAULT_MAX_TOKENS = 20;
    /** Vocabulary of the synthetic scenes, shipped so that nothing is downloaded. */
    public static final String BUNDLED_VOCAB = "/io/rrsis4j/data/synthetic-vocab.txt";

    private final List<String> tokens;
    private final DefaultVocabulary vocabulary;
    private final BertFullTokenizer tokenizer;
    private final List<TextProcessor> basic = BertFullTokenizer.getPreprocessors(true);
    private final int maxTokens;

    private WordPieceTokenizer(List<String> tokens, int maxTokens, String source) {
        for (String special : List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")) {
            if (!tokens.contains(special)) {
                throw new InvalidInputException(source + ": vocabulary lacks the special token " + special);
            }
        }
        this.tokens = List.copyOf(tokens);
        this.vocabulary = new DefaultVocabulary(this.tokens);
        this.tokenizer = new BertFullTokenizer(vocabulary, true);
        this.maxTokens = maxTokens;
    }

    public static WordPieceTokenizer fromVocabFile(Path vocabTxt) {
        return fromVocabFile(vocabTxt, DEFAULT_MAX_TOKENS);
    }

    public static WordPieceTokenizer fromVocabFile(Path vocabTxt, int maxTokens) {
        FileErrors.requireFile(vocabTxt, "vocabulary file");
        try (InputStream in = Files.newInputStream(vocabTxt)) {
            return new WordPieceTokenizer(readLines(in), maxTokens, vocabTxt.toString());
        } catch (IOException e) {
            throw new InvalidInputException(vocabTxt, "cannot read vocabulary: " + e.getMessage(), e);
        }
    }

    /** The small vocabulary that covers every word the synthetic generator writes. */
    public static WordPieceTokenizer bundled() {
        return bundled(DEFAULT_MAX_TOKENS);
    }

    public static WordPieceTokenizer bundled(int maxTokens) {
        try (InputStream in = WordPieceTokenizer.class.getResourceAsStream(BUNDLED_VOCAB)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + BUNDLED_VOCAB);
            }
            return new WordPieceTokenizer(readLines(in), maxTokens, BUNDLED_VOCAB);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + BUNDLED_VOCAB, e);
        }
    }

    private static List<String> readLines(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                lines.add(line.strip());
            }
        }
        return lines;
    }

    public TokenizedSentence encode(String sentence) {
        List<String> words = words(sentence);
        List<String> pieces = new ArrayList<>();
        List<Integer> wordOf = new ArrayList<>();
        pieces.add("[CLS]");
        wordOf.add(-1);
        for (int w = 0; w < words.size(); w++) {
            for (String piece : tokenizer.tokenize(words.get(w))) {
                pieces.add(piece);
                wordOf.add(w);
            }
        }
        pieces.add("[SEP]");
        wordOf.add(-1);
        int n = Math.min(maxTokens, pieces.size());
        long[] ids = new long[maxTokens];
        long[] attention = new long[maxTokens];
        int[] wordOfPiece = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = vocabulary.getIndex(pieces.get(i));
            attention[i] = 1;
            wordOfPiece[i] = wordOf.get(i);
        }
        return new TokenizedSentence(ids, attention, List.copyOf(pieces.subList(0, n)), wordOfPiece, words);
    }

    /**
     * How the model reads {@code sentence}: which words fit in the {@link #maxTokens} tokens ([CLS] first; [SEP] may be
     * cut, as in {@link #encode}), which are cut off, and which the vocabulary does not know.
     */
    public SentenceReading read(String sentence) {
        List<String> words = words(sentence);
        List<String> kept = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        int position = 1; // after [CLS]
        for (String word : words) {
            List<String> pieces = tokenizer.tokenize(word);
            if (position < maxTokens) {
                kept.add(word);
                if (unknownTo(pieces) && !unknown.contains(word) && !SentenceReading.isPunctuation(word)) {
                    unknown.add(word);
                }
            } else {
                dropped.add(word);
            }
            position += pieces.size();
        }
        return new SentenceReading(kept, dropped, unknown, maxTokens);
    }

    /**
     * Whether a word's pieces show that the vocabulary does not know it: [UNK], or spelled out one character a piece
     * (z ##e ##p ##p ...), which WordPiece falls back to for any Latin word it has no pieces for.
     */
    private static boolean unknownTo(List<String> pieces) {
        return pieces.contains("[UNK]")
                || (pieces.size() > 1 && pieces.stream().allMatch(p -> p.replace("##", "").codePointCount(0,
                        p.replace("##", "").length()) == 1));
    }

    /** The sentence's words after BERT's basic tokenizer: cleaned, lower-cased, punctuation split off. */
    public List<String> words(String sentence) {
        List<String> words = List.of(sentence);
        for (TextProcessor p : basic) {
            words = p.preprocess(words);
        }
        return words;
    }

    public int maxTokens() {
        return maxTokens;
    }

    public int vocabSize() {
        return tokens.size();
    }

    public long id(String token) {
        return vocabulary.getIndex(token);
    }

    public String token(long id) {
        return tokens.get((int) id);
    }

    public long padId() {
        return id("[PAD]");
    }

    public long maskId() {
        return id("[MASK]");
    }
}
