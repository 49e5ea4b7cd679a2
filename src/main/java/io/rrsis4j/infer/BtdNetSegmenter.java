package io.rrsis4j.infer;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.rrsis4j.InvalidInputException;
import io.rrsis4j.model.runtime.Precision;
import io.rrsis4j.model.runtime.Predictor;
import io.rrsis4j.model.runtime.PresenceRule;
import io.rrsis4j.model.weights.TrainedModel;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@link Segmenter} backed by a trained BTDNet. Inference calls are serialised: one model, one
 * forward at a time (libtorch already uses every core for one batch), so callers batch instead.
 */
public final class BtdNetSegmenter implements Segmenter {
    /** Longest sentence accepted, in characters: far more than 20 WordPiece tokens ever need. */
    public static final int MAX_SENTENCE_CHARS = 1000;

    private final Predictor predictor;
    private final NDManager owned;

    /** @param owned the manager holding the model, closed with this segmenter (null to keep it open) */
    public BtdNetSegmenter(Predictor predictor, NDManager owned) {
        this.predictor = predictor;
        this.owned = owned;
    }

    /**
     * Loads a checkpoint (folder, checkpoints folder or run folder) onto {@code device}, into a manager this
     * segmenter owns.
     */
    public static BtdNetSegmenter load(Path checkpoint, Device device) {
        return load(checkpoint, device, Precision.FP32);
    }

    /** As {@link #load(Path, Device)}, running the forward in {@code precision}. */
    public static BtdNetSegmenter load(Path checkpoint, Device device, Precision precision) {
        return load(checkpoint, device, precision, PresenceRule.defaults());
    }

    /** As {@link #load(Path, Device, Precision)}, answering "no target" by {@code presence} (generalized models). */
    public static BtdNetSegmenter load(Path checkpoint, Device device, Precision precision, PresenceRule presence) {
        NDManager manager = NDManager.newBaseManager(device);
        try {
            return new BtdNetSegmenter(TrainedModel.predictor(checkpoint, manager).inPrecision(precision)
                    .withPresenceRule(presence), manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public Predictor predictor() {
        return predictor;
    }

    @Override
    public List<float[]> targetProbability(List<BufferedImage> images, List<String> sentences) {
        return predict(images, sentences).stream().map(Predictor.ImagePrediction::probability).toList();
    }

    @Override
    public synchronized List<Predictor.ImagePrediction> predict(List<BufferedImage> images, List<String> sentences) {
        if (images.size() != sentences.size()) {
            throw new IllegalArgumentException(images.size() + " images but " + sentences.size() + " sentences");
        }
        for (String s : sentences) {
            sentenceWarnings(s); // a sentence with nothing to look for is refused, whoever calls
        }
        return predictor.predictAtImageSize(images, sentences);
    }

    /** Checks the sentence as {@link #checkSentence} does, then as the model's vocabulary and token limit read it. */
    @Override
    public List<String> sentenceWarnings(String sentence) {
        checkSentence(sentence);
        return predictor.tokenizer().read(sentence).requireSomethingToFind(sentence).warnings();
    }

    /** The text-to-image attention of each BSC stage, per word, over the image. */
    @Override
    public synchronized List<WordMaps.WordMap> wordMaps(BufferedImage image, String sentence) {
        sentenceWarnings(sentence);
        return WordMaps.of(predictor.wordAttention(image, sentence), image.getWidth(), image.getHeight());
    }

    /**
     * Empty, wordless or absurdly long sentences are the user's mistake, said in one line. A sentence without a
     * letter or a digit ("?!", "...") names nothing: the model would see only [CLS] [SEP] and segment at random.
     */
    public static void checkSentence(String sentence) {
        if (sentence == null || sentence.isBlank()) {
            throw new InvalidInputException("the sentence is empty: say which object to segment");
        }
        if (sentence.codePoints().noneMatch(Character::isLetterOrDigit)) {
            throw new InvalidInputException("the sentence '" + sentence.strip() + "' has no word (no letter or digit):"
                    + " say which object to segment");
        }
        if (sentence.length() > MAX_SENTENCE_CHARS) {
            throw new InvalidInputException("the sentence has " + sentence.length() + " characters; at most "
                    + MAX_SENTENCE_CHARS + " are accepted (the model reads its first 20 word pieces)");
        }
    }

    @Override
    public int inputSize() {
        return predictor.inputSize();
    }

    @Override
    public void close() {
        if (owned != null) {
            owned.close();
        }
    }
}
