package io.rrsis4j.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.rrsis4j.InvalidInputException;
import io.rrsis4j.data.Datasets;
import io.rrsis4j.io.files.AtomicFiles;
import io.rrsis4j.io.files.FileErrors;
import io.rrsis4j.model.BtdNetConfig;
import io.rrsis4j.model.weights.TrainedModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Everything a training run depends on, stored as RUN_DIR/config.json so a run can be resumed and repeated
 * (BTDNET.md "Total loss and training" for the defaults).
 *
 * @param modelName the model factory it came from ("micro", "tiny", "small", "base") or the JSON file's name
 * @param model the network's configuration, embedded so the run does not depend on the file it came from
 * @param dataDir dataset root
 * @param format "rrsisd" or "refsegrs"
 * @param vocab "synthetic" for the bundled vocabulary, or a vocab.txt path (bert-base-uncased's)
 * @param epochs passes over the training samples (40 RRSIS-D, 60 RefSegRS)
 * @param batchSize samples per update (8)
 * @param learningRate base rate of the polynomial schedule (3e-5 RRSIS-D, 5e-5 RefSegRS with pretrained encoders;
 *     training micro from scratch needs about 5e-4)
 * @param weightDecay AdamW decay of matrices and kernels (0.01), see {@link AdamW#decays}
 * @param polyPower power of the per-iteration polynomial decay (0.9)
 * @param seed seeds initialisation, data order, augmentation, erasure and dropout
 * @param occlusionShare share of training samples that get black boxes (0.2, RMSIN)
 * @param occlusionMinBoxes fewest boxes (20)
 * @param occlusionMaxBoxes most boxes (60)
 * @param occlusionBoxSize box side at a 480 input (32); scaled with the input size
 * @param swinWeights optional Swin checkpoint (.pth) to start the image encoder from, or null ({@link PretrainedEncoders})
 * @param bertDir optional bert-base-uncased folder to start the text encoder from, or null
 * @param checkpointEvery steps between checkpoints (the end of each epoch always writes one)
 * @param validateEachEpoch evaluate on the val split after each epoch and keep the best checkpoint by oIoU
 * @param limit use only the first N training samples (0 = all), for quick runs
 * @param validationLimit evaluate on at most N val samples (0 = all)
 * @param loaderThreads threads that read and augment samples ahead of the model (0: all cores but two, at least 2)
 * @param prefetchBatches ready batches kept ahead of the model
 */
public record TrainConfig(
        String modelName,
        BtdNetConfig model,
        String dataDir,
        String format,
        String vocab,
        int epochs,
        int batchSize,
        double learningRate,
        double weightDecay,
        double polyPower,
        long seed,
        double occlusionShare,
        int occlusionMinBoxes,
        int occlusionMaxBoxes,
        int occlusionBoxSize,
        String swinWeights,
        String bertDir,
        int checkpointEvery,
        boolean validateEachEpoch,
        int limit,
        int validationLimit,
        int loaderThreads,
        int prefetchBatches) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public TrainConfig {
        Datasets.Format.parse(format);
        if (epochs <= 0 || batchSize <= 0 || learningRate <= 0 || checkpointEvery <= 0) {
            throw new InvalidInputException("epochs, batch size, learning rate and checkpoint interval must be positive");
        }
        if (occlusionMinBoxes > occlusionMaxBoxes) {
            throw new InvalidInputException("occlusionMinBoxes > occlusionMaxBoxes");
        }
    }

    /** The paper's recipe for a dataset (rates by format, or 5e-4 for micro trained from scratch). */
    public static TrainConfig defaults(String modelName, BtdNetConfig model, Path dataDir, String format) {
        Datasets.Format f = Datasets.Format.parse(format);
        boolean refsegrs = f == Datasets.Format.REFSEGRS;
        double lr = "micro".equals(modelName) ? 5e-4 : refsegrs ? 5e-5 : 3e-5;
        return new TrainConfig(modelName, model, dataDir.toString(), f.name().toLowerCase(), TrainedModel.SYNTHETIC_VOCAB,
                refsegrs ? 60 : 40, 8, lr, 0.01, 0.9, 42, 0.2, 20, 60, 32, null, null, 500, true, 0, 0, 0, 4);
    }

    public Datasets.Format datasetFormat() {
        return Datasets.Format.parse(format);
    }

    public TrainConfig withModel(BtdNetConfig m) {
        return new TrainConfig(modelName, m, dataDir, format, vocab, epochs, batchSize, learningRate, weightDecay, polyPower,
                seed, occlusionShare, occlusionMinBoxes, occlusionMaxBoxes, occlusionBoxSize, swinWeights, bertDir,
                checkpointEvery, validateEachEpoch, limit, validationLimit, loaderThreads, prefetchBatches);
    }

    public TrainConfig withSchedule(int epochs, int batchSize, double learningRate) {
        return new TrainConfig(modelName, model, dataDir, format, vocab, epochs, batchSize, learningRate, weightDecay, polyPower,
                seed, occlusionShare, occlusionMinBoxes, occlusionMaxBoxes, occlusionBoxSize, swinWeights, bertDir,
                checkpointEvery, validateEachEpoch, limit, validationLimit, loaderThreads, prefetchBatches);
    }

    public TrainConfig withRun(long seed, int checkpointEvery, boolean validateEachEpoch, int limit, int validationLimit) {
        return new TrainConfig(modelName, model, dataDir, format, vocab, epochs, batchSize, learningRate, weightDecay, polyPower,
                seed, occlusionShare, occlusionMinBoxes, occlusionMaxBoxes, occlusionBoxSize, swinWeights, bertDir,
                checkpointEvery, validateEachEpoch, limit, validationLimit, loaderThreads, prefetchBatches);
    }

    public TrainConfig withSources(String vocab, String swinWeights, String bertDir) {
        return new TrainConfig(modelName, model, dataDir, format, vocab, epochs, batchSize, learningRate, weightDecay, polyPower,
                seed, occlusionShare, occlusionMinBoxes, occlusionMaxBoxes, occlusionBoxSize, swinWeights, bertDir,
                checkpointEvery, validateEachEpoch, limit, validationLimit, loaderThreads, prefetchBatches);
    }

    public TrainConfig withOcclusion(double share) {
        return new TrainConfig(modelName, model, dataDir, format, vocab, epochs, batchSize, learningRate, weightDecay, polyPower,
                seed, share, occlusionMinBoxes, occlusionMaxBoxes, occlusionBoxSize, swinWeights, bertDir,
                checkpointEvery, validateEachEpoch, limit, validationLimit, loaderThreads, prefetchBatches);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise the training configuration", e);
        }
    }

    public void write(Path file) throws IOException {
        AtomicFiles.write(file, toJson().getBytes(StandardCharsets.UTF_8));
    }

    public static TrainConfig read(Path file) {
        FileErrors.requireFile(file, "training configuration");
        try {
            return JSON.readValue(file.toFile(), TrainConfig.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidInputException(file, "not a training configuration: " + e.getMessage(), e);
        }
    }
}
