package io.rrsis4j.infer;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.rrsis4j.InvalidInputException;
import io.rrsis4j.data.WordPieceTokenizer;
import io.rrsis4j.model.BtdNet;
import io.rrsis4j.model.BtdNetConfig;
import io.rrsis4j.model.ModelCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model checkpoint folder as evaluate, segment and serve read it: {@code config.json} (the BtdNetConfig),
 * {@code model.safetensors} (every parameter by its PyTorch-style path) and, when the model was trained on a
 * vocabulary other than the bundled synthetic one, {@code vocab.txt}.
 */
public final class TrainedModel {
    public static final String VOCAB = "vocab.txt";

    private TrainedModel() {}

    /** Loads the checkpoint into a new manager owned by the returned segmenter. */
    public static BtdNetSegmenter load(Path checkpointDir) {
        Path dir = resolve(checkpointDir);
        NDManager manager = NDManager.newBaseManager();
        try {
            return new BtdNetSegmenter(predictor(dir, manager), manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Loads the checkpoint's network and tokenizer with parameters in {@code manager}. */
    public static Predictor predictor(Path checkpointDir, NDManager manager) {
        Path dir = resolve(checkpointDir);
        BtdNetConfig config = BtdNetConfig.read(dir.resolve(ModelCheckpoint.CONFIG));
        BtdNet net = new BtdNet(config);
        net.initialize(manager, DataType.FLOAT32);
        ModelCheckpoint.loadInto(dir, net);
        return new Predictor(net, tokenizer(dir, config), manager);
    }

    static WordPieceTokenizer tokenizer(Path dir, BtdNetConfig config) {
        Path vocab = dir.resolve(VOCAB);
        WordPieceTokenizer tokenizer = Files.isRegularFile(vocab)
                ? WordPieceTokenizer.fromVocabFile(vocab, config.maxTokens())
                : WordPieceTokenizer.bundled(config.maxTokens());
        if (tokenizer.vocabSize() != config.vocabSize()) {
            throw new InvalidInputException(Files.isRegularFile(vocab) ? vocab : dir, "the vocabulary has "
                    + tokenizer.vocabSize() + " tokens but the model was built for " + config.vocabSize());
        }
        return tokenizer;
    }

    /** Accepts the checkpoint folder itself or a training run folder (then its best, else last, checkpoint). */
    public static Path resolve(Path path) {
        if (Files.isRegularFile(path.resolve(ModelCheckpoint.CONFIG))) {
            return path;
        }
        for (String candidate : new String[] {"best", "last", "checkpoints/best", "checkpoints/last"}) {
            if (Files.isRegularFile(path.resolve(candidate).resolve(ModelCheckpoint.CONFIG))) {
                return path.resolve(candidate);
            }
        }
        if (!Files.exists(path)) {
            throw new InvalidInputException(path, "checkpoint not found");
        }
        throw new InvalidInputException(path, "not a model checkpoint: no " + ModelCheckpoint.CONFIG
                + " here nor in best/ or last/");
    }
}
