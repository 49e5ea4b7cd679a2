package io.rrsis4j.io.torch;

import io.rrsis4j.InvalidInputException;
import io.rrsis4j.io.files.OutputSet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A weight file of either kind we read, a torch.save checkpoint or safetensors, told apart by their bytes; or a
 * Hugging Face shard index naming several of them ({@link ShardedCheckpoint}).
 */
public final class WeightFiles {
    private WeightFiles() {}

    /** What a Hugging Face model folder holds its weights in, in the order transformers looks for them. */
    private static final String[] FOLDER_FILES = {"model.safetensors", "model.safetensors.index.json",
            "pytorch_model.bin", "pytorch_model.bin.index.json"};

    /**
     * The weights file of a Hugging Face model folder (model.safetensors, else its shard index, else
     * pytorch_model.bin, else its shard index); a file is itself.
     *
     * @throws InvalidInputException when the folder has none of them
     */
    public static Path inFolder(Path dirOrFile) {
        if (!Files.isDirectory(dirOrFile)) {
            return dirOrFile;
        }
        for (String name : FOLDER_FILES) {
            if (Files.isRegularFile(dirOrFile.resolve(name))) {
                return dirOrFile.resolve(name);
            }
        }
        throw new InvalidInputException(dirOrFile, "no model.safetensors or pytorch_model.bin (nor a shard index "
                + "model.safetensors.index.json / pytorch_model.bin.index.json) found");
    }

    /** Whether the file starts as safetensors does: a header length, then a JSON object. */
    public static boolean isSafetensors(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(9);
            return head.length == 9 && head[8] == '{'
                    && ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong() + 8 <= Files.size(file);
        } catch (IOException e) {
            throw new InvalidInputException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * The file's contents (a folder: {@link #inFolder}); a safetensors file comes as a root dict of its tensors.
     *
     * @param withValues false to read only names, dtypes and shapes
     */
    public static TorchCheckpoint open(Path dirOrFile, boolean withValues) {
        Path file = inFolder(dirOrFile);
        if (ShardedCheckpoint.isIndex(file)) {
            return ShardedCheckpoint.open(file, withValues);
        }
        if (!isSafetensors(file)) {
            return TorchCheckpointReader.readCheckpoint(file, withValues);
        }
        Map<String, String> meta = new LinkedHashMap<>();
        Map<String, StoredTensor> tensors = SafetensorsFile.readStored(file, withValues, meta);
        return new TorchCheckpoint("safetensors" + (meta.isEmpty() ? "" : " (metadata " + meta + ")"),
                new LinkedHashMap<Object, Object>(tensors));
    }

    /**
     * The state dict (a folder: {@link #inFolder}), as {@link TorchCheckpointReader#read} or
     * {@link SafetensorsFile#read} give it.
     */
    public static Map<String, TensorData> read(Path dirOrFile) {
        Path file = inFolder(dirOrFile);
        if (ShardedCheckpoint.isIndex(file)) {
            return ShardedCheckpoint.read(file);
        }
        return isSafetensors(file) ? SafetensorsFile.read(file) : TorchCheckpointReader.read(file);
    }

    /**
     * Writes the file's state dict as safetensors (F32 / I64; other dtypes are widened), atomically.
     *
     * @return the tensors written
     */
    public static Map<String, TensorData> convertToSafetensors(Path source, Path target) {
        try (OutputSet outputs = new OutputSet(source)) { // a target that is the source is refused, not written over
            outputs.reserve(target);
            Map<String, TensorData> sd = read(source);
            outputs.write(target, tmp -> SafetensorsFile.write(tmp, sd,
                    Map.of("format", "pt", "source", String.valueOf(source.getFileName()))));
            outputs.commit();
            return sd;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
