package io.rrsis4j.infer;

import ai.djl.ndarray.NDManager;
import io.rrsis4j.InvalidInputException;
import io.rrsis4j.data.WordPieceTokenizer;
import io.rrsis4j.model.BtdNet;
import io.rrsis4j.model.BtdNetConfig;
import io.rrsis4j.model.ParameterPaths;
import io.rrsis4j.train.TrainingCheckpoint;
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
        BtdNet net = TrainingCheckpoint.loadModel(dir, manager);
        return new Predictor(net, tokenizer(dir, net.config()), manager);
    }

    static WordPieceTokenizer tokenizer(Path dir, BtdNetConfig config) {
        Path vocab = vocabulary(dir);
        WordPieceTokenizer tokenizer = vocab != null
                ? WordPieceTokenizer.fromVocabFile(vocab, config.maxTokens())
                : WordPieceTokenizer.bundled(config.maxTokens());
        if (tokenizer.vocabSize() != config.vocabSize()) {
            throw new InvalidInputException(vocab != null ? vocab : dir, "the vocabulary has "
                    + tokenizer.vocabSize() + " tokens but the model was built for " + config.vocabSize()
                    + (vocab == null ? " (put the training vocab.txt into the checkpoint folder)" : ""));
        }
        return tokenizer;
    }

    /**
     * The vocabulary the model was trained with: {@code vocab.txt} in the checkpoint folder, else the one its
     * training run names (RUN/config.json "vocab"), else null for the bundled synthetic vocabulary.
     */
    static Path vocabulary(Path dir) {
        Path local = dir.resolve(VOCAB);
        if (Files.isRegularFile(local)) {
            return local;
        }
        Path runConfig = runConfig(dir);
        if (runConfig != null) {
            try {
                com.fasterxml.jackson.databind.JsonNode run = new com.fasterxml.jackson.databind.ObjectMapper().readTree(runConfig.toFile());
                String vocab = run.path("vocab").asText("");
                if (!vocab.isEmpty() && !io.rrsis4j.train.TrainConfig.SYNTHETIC_VOCAB.equals(vocab)) {
                    return Path.of(vocab);
                }
            } catch (java.io.IOException e) {
                throw new InvalidInputException(runConfig, "unreadable training configuration: " + e.getMessage(), e);
            }
        }
        return null;
    }

    /** RUN/config.json of a checkpoint at RUN/checkpoints/step-N, or null. */
    static Path runConfig(Path checkpointDir) {
        Path checkpoints = checkpointDir.toAbsolutePath().getParent();
        Path run = checkpoints == null ? null : checkpoints.getParent();
        Path config = run == null ? null : run.resolve("config.json");
        return config != null && Files.isRegularFile(config) ? config : null;
    }

    /**
     * Accepts the checkpoint folder itself, a run's checkpoints folder or a training run folder (then its best,
     * else its last, checkpoint).
     */
    public static Path resolve(Path path) {
        if (!Files.exists(path)) {
            throw new InvalidInputException(path, "checkpoint not found");
        }
        return TrainingCheckpoint.checkpointFolder(path);
    }

    /** What the server reports of a loaded model: its folder, size, training data and configuration. */
    public static io.rrsis4j.serve.ModelInfo describe(Path checkpoint, Segmenter segmenter) {
        Path dir = resolve(checkpoint);
        long parameters = 0;
        java.util.Map<String, Object> configuration = java.util.Map.of();
        if (segmenter instanceof BtdNetSegmenter s) {
            BtdNet net = s.predictor().net();
            for (ai.djl.nn.Parameter p : ParameterPaths.of(net).values()) {
                parameters += p.getArray().size();
            }
            configuration = new com.fasterxml.jackson.databind.ObjectMapper().convertValue(net.config(),
                    new com.fasterxml.jackson.core.type.TypeReference<java.util.Map<String, Object>>() {});
        }
        return new io.rrsis4j.serve.ModelInfo(dir.toString(), parameters, trainedOn(dir), configuration);
    }

    /** The data of the training run the checkpoint came from (RUN/checkpoints/step-N), when it is known. */
    static String trainedOn(Path checkpointDir) {
        Path runConfig = runConfig(checkpointDir);
        if (runConfig != null) {
            try {
                com.fasterxml.jackson.databind.JsonNode run = new com.fasterxml.jackson.databind.ObjectMapper().readTree(runConfig.toFile());
                if (run.has("dataDir") && run.has("format")) {
                    return run.get("format").asText() + " at " + run.get("dataDir").asText();
                }
            } catch (java.io.IOException e) {
                return "unknown (" + runConfig + " unreadable)";
            }
        }
        return "unknown";
    }
}
