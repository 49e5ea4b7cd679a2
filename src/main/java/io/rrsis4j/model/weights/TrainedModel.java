package io.rrsis4j.model.weights;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.rrsis4j.InvalidInputException;
import io.rrsis4j.data.text.WordPieceTokenizer;
import io.rrsis4j.model.BtdNet;
import io.rrsis4j.model.BtdNetConfig;
import io.rrsis4j.model.runtime.Predictor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A model checkpoint folder as evaluate, segment and serve read it: {@code config.json} (the BtdNetConfig),
 * {@code model.safetensors} (every parameter by its PyTorch-style path) and, when the model was trained on a
 * vocabulary other than the bundled synthetic one, {@code vocab.txt}.
 */
public final class TrainedModel {
    public static final String VOCAB = "vocab.txt";
    /** The vocabulary name a training run records when it used the bundled synthetic vocabulary. */
    public static final String SYNTHETIC_VOCAB = "synthetic";
    /** Pointer files in a run's checkpoints folder naming its newest and its best checkpoint. */
    public static final String LAST = "last";
    public static final String BEST = "best";

    private TrainedModel() {}

    /** Loads the checkpoint's network and tokenizer with parameters in {@code manager}. */
    public static Predictor predictor(Path checkpointDir, NDManager manager) {
        Path dir = resolve(checkpointDir);
        BtdNet net = loadModel(dir, manager);
        return new Predictor(net, tokenizer(dir, net.config()), manager);
    }

    /** The checkpoint's tokenizer alone, no weights loaded: to check sentences before a job starts. */
    public static WordPieceTokenizer tokenizer(Path checkpointDir) {
        Path dir = resolve(checkpointDir);
        return tokenizer(dir, BtdNetConfig.read(checkpointFolder(dir).resolve(ModelCheckpoint.CONFIG)));
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
                if (!vocab.isEmpty() && !SYNTHETIC_VOCAB.equals(vocab)) {
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
        return checkpointFolder(path);
    }

    /** The data of the training run the checkpoint came from (RUN/checkpoints/step-N), when it is known. */
    public static String trainedOn(Path checkpointDir) {
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

    /**
     * Loads a network for evaluation or inference from a checkpoint folder (config.json + model.safetensors), a
     * checkpoints folder, or a run folder (then {@code best} if there is one, else {@code last}).
     */
    public static BtdNet loadModel(Path dir, NDManager manager) {
        Path folder = checkpointFolder(dir);
        BtdNet net = new BtdNet(BtdNetConfig.read(folder.resolve(ModelCheckpoint.CONFIG)));
        net.initialize(manager, DataType.FLOAT32);
        ModelCheckpoint.loadInto(folder, net);
        return net;
    }

    /** The checkpoint folder {@code dir} stands for (see {@link #loadModel}). */
    public static Path checkpointFolder(Path dir) {
        if (Files.isRegularFile(dir.resolve(ModelCheckpoint.CONFIG)) && Files.exists(dir.resolve(ModelCheckpoint.WEIGHTS))) {
            return dir;
        }
        Path checkpoints = Files.isDirectory(dir.resolve("checkpoints")) ? dir.resolve("checkpoints") : dir;
        return resolve(checkpoints, BEST).or(() -> resolve(checkpoints, LAST))
                .orElseThrow(() -> new InvalidInputException(dir, "no checkpoint here (expected " + ModelCheckpoint.CONFIG + " and "
                        + ModelCheckpoint.WEIGHTS + ", or a run folder with checkpoints/last)"));
    }

    /** The folder a pointer ({@link #LAST} or {@link #BEST}) names, if there is one. */
    public static Optional<Path> resolve(Path checkpoints, String which) {
        return pointer(checkpoints, which).map(checkpoints::resolve).filter(Files::isDirectory);
    }

    /** The step folder name a pointer file holds, if there is one. */
    public static Optional<String> pointer(Path checkpoints, String which) {
        Path p = checkpoints.resolve(which);
        if (!Files.isRegularFile(p)) {
            return Optional.empty();
        }
        try {
            String name = Files.readString(p).trim();
            if (!name.matches("step-[0-9A-Za-z-]+")) {
                throw new InvalidInputException(p, "checkpoint pointer does not name a step folder: '" + name + "'");
            }
            return Optional.of(name);
        } catch (IOException e) {
            throw new InvalidInputException(p, "cannot read checkpoint pointer", e);
        }
    }
}
