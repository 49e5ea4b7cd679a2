package io.rrsis4j.cli;

import io.rrsis4j.InvalidInputException;
import io.rrsis4j.data.text.WordPieceTokenizer;
import io.rrsis4j.model.BtdNetConfig;
import io.rrsis4j.model.weights.PretrainedWeights;
import io.rrsis4j.model.weights.TrainedModel;
import io.rrsis4j.train.TrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options that describe a new training run, shared by {@code train} and {@code ablate}. */
final class TrainOptions {
    @Option(names = "--data", description = "Dataset root.")
    Path data;

    @Option(names = "--format", defaultValue = "rrsisd", description = "rrsisd, refsegrs or grefs (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--config", defaultValue = "micro",
            description = "micro, tiny, small, base, or a BtdNetConfig JSON file (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--swin-weights", description = "Swin checkpoint to start the image encoder from.")
    Path swinWeights;

    @Option(names = "--bert-dir", description = "bert-base-uncased folder (weights and vocab.txt).")
    Path bertDir;

    @Option(names = "--synthetic-vocab", description = "Use the bundled vocabulary even when --bert-dir is given.")
    boolean syntheticVocab;

    @Option(names = "--epochs", description = "Epochs (default: 40 RRSIS-D, 60 RefSegRS).")
    Integer epochs;

    @Option(names = "--batch", description = "Batch size (default: 8).")
    Integer batch;

    @Option(names = "--lr", description = "Base learning rate (default: 3e-5 RRSIS-D, 5e-5 RefSegRS, 5e-4 micro).")
    Double lr;

    @Option(names = "--image-size", description = "Input side in pixels, a multiple of 32 (default: the config's).")
    Integer imageSize;

    @Option(names = "--seed", description = "Random seed (default: 42).")
    Long seed;

    @Option(names = "--checkpoint-every", description = "Steps between checkpoints (default: 500).")
    Integer checkpointEvery;

    @Option(names = "--no-validation", description = "Skip the per-epoch validation.")
    boolean noValidation;

    @Option(names = "--limit", defaultValue = "0", description = "Use only the first N training samples (0 = all).")
    int limit;

    @Option(names = "--val-limit", defaultValue = "0", description = "Validate on at most N samples (0 = all).")
    int valLimit;

    @Option(names = "--generalized", description = "Generalized referring segmentation: also train a target-presence"
            + " head, so that a sentence naming nothing in the image is answered \"no target\" (off in the paper's configs).")
    boolean generalized;

    @Option(names = "--presence-weight", description = "With --generalized: weight of the presence loss (default: "
            + BtdNetConfig.DEFAULT_LAMBDA_PRESENCE + ").")
    Double presenceWeight;

    @Option(names = "--threads", defaultValue = "0",
            description = "Native intra-op threads (default: one per core). Small models on few cores run faster with 1.")
    int threads;

    /** The run these options describe, with the paper's defaults for what they leave out. */
    TrainConfig newConfig() {
        if (data == null) {
            throw new InvalidInputException("--data is required for a new run");
        }
        if (!Files.isDirectory(data)) {
            throw new InvalidInputException(data, "dataset folder not found");
        }
        if (noValidation && valLimit != 0) {
            throw new InvalidInputException("--val-limit has no effect with --no-validation: leave one of them out");
        }
        if (lr != null && !(lr > 0 && lr <= 1)) {
            throw new InvalidInputException("--lr must be in (0, 1] (AdamW diverges above), got " + lr);
        }
        if (limit < 0 || valLimit < 0 || threads < 0 || threads > 1024) {
            throw new InvalidInputException("--limit, --val-limit and --threads must be 0 or more (threads at most 1024), got " + limit + ", "
                    + valLimit + " and " + threads);
        }
        if (imageSize != null && (imageSize < 32 || imageSize > 4096 || imageSize % 32 != 0)) {
            throw new InvalidInputException("--image-size must be a multiple of 32 from 32 to 4096 (the Swin encoder"
                    + " halves it five times), got " + imageSize);
        }
        if (presenceWeight != null && !generalized) {
            throw new InvalidInputException("--presence-weight needs --generalized (the presence head it weighs)");
        }
        if (presenceWeight != null && !(presenceWeight >= 0 && presenceWeight <= 1000)) {
            throw new InvalidInputException("--presence-weight must be in [0, 1000], got " + presenceWeight);
        }
        BtdNetConfig net = BtdNetConfig.named(model);
        if (generalized) {
            net = net.withGeneralized(true, presenceWeight != null ? presenceWeight
                    : net.generalized() ? net.lambdaPresence() : BtdNetConfig.DEFAULT_LAMBDA_PRESENCE);
        }
        String vocab = TrainedModel.SYNTHETIC_VOCAB;
        WordPieceTokenizer tokenizer = WordPieceTokenizer.bundled(net.maxTokens());
        if (bertDir != null && !syntheticVocab) {
            Path vocabFile = PretrainedWeights.bertVocabulary(bertDir);
            tokenizer = WordPieceTokenizer.fromVocabFile(vocabFile, net.maxTokens());
            vocab = vocabFile.toString();
        }
        net = net.withVocabSize(tokenizer.vocabSize());
        if (imageSize != null) {
            net = net.withImageSize(imageSize);
        }
        String name = switch (model) {
            case "micro", "tiny", "small", "base" -> model;
            default -> Path.of(model).getFileName().toString();
        };
        TrainConfig c = TrainConfig.defaults(name, net, data, format);
        c = c.withSchedule(epochs != null ? epochs : c.epochs(), batch != null ? batch : c.batchSize(),
                lr != null ? lr : c.learningRate());
        c = c.withRun(seed != null ? seed : c.seed(), checkpointEvery != null ? checkpointEvery : c.checkpointEvery(),
                !noValidation, limit, valLimit);
        return c.withSources(vocab, swinWeights == null ? null : swinWeights.toString(),
                bertDir == null ? null : bertDir.toString());
    }
}
