package io.rrsis4j.model.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.rrsis4j.InvalidInputException;
import io.rrsis4j.io.files.AtomicFiles;
import io.rrsis4j.io.files.FileErrors;
import io.rrsis4j.io.torch.SafetensorsFile;
import io.rrsis4j.io.torch.TensorData;
import io.rrsis4j.model.BtdNet;
import io.rrsis4j.model.BtdNetConfig;
import io.rrsis4j.model.ParameterPaths;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Our model checkpoint: a folder with {@code model.safetensors} (every parameter under its
 * {@link ParameterPaths} name, F32) and {@code config.json}. Both files are written atomically.
 */
public final class ModelCheckpoint {
    public static final String WEIGHTS = "model.safetensors";
    public static final String CONFIG = "config.json";

    private ModelCheckpoint() {}

    /** Writes the initialized block's parameters and the config JSON text into {@code dir}. */
    public static void save(Path dir, Block model, String configJson) {
        SafetensorsFile.write(dir.resolve(WEIGHTS), toTensors(model), Map.of("format", "pt"));
        writeTextAtomically(dir.resolve(CONFIG), configJson);
    }

    /** A freshly initialised (untrained) BTDNet of {@code config} as a checkpoint: for speed measurements and tests. */
    public static void saveUntrained(Path dir, BtdNetConfig config) {
        try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager()) {
            BtdNet net = new BtdNet(config);
            net.initialize(manager, DataType.FLOAT32);
            save(dir, net, config.toJson());
        }
    }

    /** The block's parameters as heap tensors, in block order. */
    public static Map<String, TensorData> toTensors(Block model) {
        Map<String, TensorData> out = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : ParameterPaths.of(model).entrySet()) {
            NDArray a = e.getValue().getArray();
            long[] shape = a.getShape().getShape();
            if (a.getDataType() == DataType.INT64) {
                out.put(e.getKey(), TensorData.ofLongs(shape, a.toLongArray()));
            } else {
                out.put(e.getKey(), TensorData.ofFloats(shape, a.toType(DataType.FLOAT32, false).toFloatArray()));
            }
        }
        return out;
    }

    /** Loads {@code dir/model.safetensors} into the initialized block; names and shapes must match exactly. */
    public static void loadInto(Path dir, Block model) {
        Path file = dir.resolve(WEIGHTS);
        FileErrors.requireFile(file, "checkpoint weights");
        Map<String, TensorData> tensors = SafetensorsFile.read(file);
        Map<String, Parameter> params = ParameterPaths.of(model);
        TreeSet<String> missing = new TreeSet<>(params.keySet());
        missing.removeAll(tensors.keySet());
        TreeSet<String> unexpected = new TreeSet<>(tensors.keySet());
        unexpected.removeAll(params.keySet());
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw new InvalidInputException(file, "checkpoint does not match the model: missing " + missing
                    + ", unexpected " + unexpected);
        }
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            copyInto(file, e.getKey(), tensors.get(e.getKey()), e.getValue());
        }
    }

    /** Copies one tensor into a parameter, checking the shape; the message names file, key and both shapes. */
    public static void copyInto(Path file, String key, TensorData t, Parameter p) {
        NDArray a = p.getArray();
        long[] want = a.getShape().getShape();
        if (!Arrays.equals(want, t.shape())) {
            throw new InvalidInputException(file, "parameter " + key + " has shape " + Arrays.toString(t.shape())
                    + " in the file but " + Arrays.toString(want) + " in the model");
        }
        if (t.isFloat()) {
            if (a.getDataType() == DataType.FLOAT32) {
                a.set(FloatBuffer.wrap(t.floats()));
            } else {
                try (NDArray f = a.getManager().create(t.floats(), a.getShape())) {
                    try (NDArray c = f.toType(a.getDataType(), false)) {
                        a.set(c.toByteBuffer());
                    }
                }
            }
        } else {
            try (NDArray l = a.getManager().create(t.longs(), a.getShape())) {
                try (NDArray c = l.toType(a.getDataType(), false)) {
                    a.set(c.toByteBuffer());
                }
            }
        }
    }

    /** The config JSON text saved beside the weights. */
    public static String readConfig(Path dir) {
        Path file = dir.resolve(CONFIG);
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidInputException(file, "cannot read checkpoint config: " + e.getMessage(), e);
        }
    }

    static void writeTextAtomically(Path file, String text) {
        try {
            AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
