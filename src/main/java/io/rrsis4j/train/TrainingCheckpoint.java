package io.rrsis4j.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.rrsis4j.InvalidInputException;
import io.rrsis4j.io.files.AtomicFiles;
import io.rrsis4j.io.torch.SafetensorsFile;
import io.rrsis4j.io.torch.TensorData;
import io.rrsis4j.model.BtdNet;
import io.rrsis4j.model.BtdNetConfig;
import io.rrsis4j.model.ParameterPaths;
import io.rrsis4j.model.weights.ModelCheckpoint;
import io.rrsis4j.model.weights.TrainedModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Training checkpoints under RUN_DIR/checkpoints. Each checkpoint is a folder {@code step-NNNNNNNN} holding
 * {@code config.json} (the network's {@link BtdNetConfig}), {@code model.safetensors} (every parameter by its
 * {@link ParameterPaths} path, BatchNorm running statistics included), {@code optimizer.safetensors} (AdamW moments)
 * and {@code state.json} ({@link State}); the first two alone load the model for evaluation and inference.
 *
 * <p>Never half a checkpoint: the files are written into {@code tmp-*}, the folder is renamed into place, and only
 * then the pointer files {@code last} (and {@code best}) are replaced atomically with the folder's name. Folders no
 * pointer names, and {@code tmp-*} leftovers of a killed run, are deleted after each write and ignored when reading.
 */
public final class TrainingCheckpoint {
    public static final String CONFIG = ModelCheckpoint.CONFIG;
    public static final String MODEL = ModelCheckpoint.WEIGHTS;
    public static final String OPTIMIZER = "optimizer.safetensors";
    public static final String STATE = "state.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * Where training stands after the checkpointed step.
     *
     * @param nextStep the global step (0-based) the run continues with
     * @param epoch the epoch of {@code nextStep}
     * @param stepInEpoch {@code nextStep}'s index within its epoch
     * @param optimizerUpdates AdamW updates done (t)
     * @param seed the run's seed; every random choice is derived from (seed, step), see {@link TrainingBatches}
     * @param bestOIoU best validation oIoU so far (-1 before any validation)
     * @param bestStep the step count at which it was reached
     * @param lastLoss the last step's total loss
     */
    public record State(long nextStep, long epoch, long stepInEpoch, long optimizerUpdates, long seed, double bestOIoU,
                        long bestStep, double lastLoss) {}

    private TrainingCheckpoint() {}

    /** Writes a checkpoint and points {@code last} (and {@code best} when {@code best}) at it; returns its folder. */
    public static Path write(Path checkpoints, BtdNet net, AdamW optimizer, State state, boolean best) throws IOException {
        Files.createDirectories(checkpoints);
        Path tmp = AtomicFiles.createTemporaryDirectory(checkpoints, "tmp-");
        try {
            net.config().write(tmp.resolve(CONFIG));
            SafetensorsFile.write(tmp.resolve(MODEL), parameters(net), Map.of());
            SafetensorsFile.write(tmp.resolve(OPTIMIZER), optimizer.state(), Map.of());
            AtomicFiles.write(tmp.resolve(STATE), JSON.writeValueAsBytes(state));
        } catch (IOException | RuntimeException e) {
            // A full disk halfway through: the half checkpoint goes at once (it would hold the space the next one
            // needs); the pointers still name the last complete one.
            try {
                AtomicFiles.deleteTree(tmp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        String name = String.format(Locale.ROOT, "step-%08d", state.nextStep());
        Path target = checkpoints.resolve(name);
        if (Files.exists(target)) { // the same step written again after a resume: the pointer must not name it now
            Optional<String> last = TrainedModel.pointer(checkpoints, TrainedModel.LAST);
            Optional<String> bestName = TrainedModel.pointer(checkpoints, TrainedModel.BEST);
            if (last.filter(name::equals).isPresent() || bestName.filter(name::equals).isPresent()) {
                name = name + "-" + tmp.getFileName().toString().substring(4);
                target = checkpoints.resolve(name);
            } else {
                AtomicFiles.deleteTree(target);
            }
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        AtomicFiles.write(checkpoints.resolve(TrainedModel.LAST), name.getBytes(StandardCharsets.UTF_8));
        if (best) {
            AtomicFiles.write(checkpoints.resolve(TrainedModel.BEST), name.getBytes(StandardCharsets.UTF_8));
        }
        clean(checkpoints);
        return target;
    }

    /** Deletes {@code tmp-*} leftovers and step folders no pointer names. */
    public static void clean(Path checkpoints) throws IOException {
        if (!Files.isDirectory(checkpoints)) {
            return;
        }
        Set<String> keep = new java.util.HashSet<>();
        TrainedModel.pointer(checkpoints, TrainedModel.LAST).ifPresent(keep::add);
        TrainedModel.pointer(checkpoints, TrainedModel.BEST).ifPresent(keep::add);
        try (Stream<Path> dirs = Files.list(checkpoints)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                String n = d.getFileName().toString();
                if (n.startsWith("tmp-") || (n.startsWith("step-") && !keep.contains(n))) {
                    AtomicFiles.deleteTree(d);
                }
            }
        }
    }

    /** Restores parameters and optimizer state into a network built with the checkpoint's config; returns the state. */
    public static State restore(Path folder, BtdNet net, AdamW optimizer) {
        ModelCheckpoint.loadInto(folder, net);
        Path statePath = folder.resolve(STATE);
        State state;
        try {
            state = JSON.readValue(statePath.toFile(), State.class);
        } catch (IOException e) {
            throw new InvalidInputException(statePath, "not a training state: " + e.getMessage(), e);
        }
        optimizer.load(SafetensorsFile.read(folder.resolve(OPTIMIZER)), state.optimizerUpdates());
        return state;
    }

    /** Every parameter as a tensor by path: the model part of a checkpoint, as {@link ModelCheckpoint} writes it. */
    public static Map<String, TensorData> parameters(BtdNet net) {
        return ModelCheckpoint.toTensors(net);
    }
}
