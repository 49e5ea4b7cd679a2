package io.rrsis4j.model;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.rrsis4j.InvalidInputException;
import io.rrsis4j.io.SafetensorsFile;
import io.rrsis4j.io.TensorData;
import io.rrsis4j.io.TorchCheckpointReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Imports official Swin (.pth) and HF BERT weights into blocks named by {@link ParameterPaths}. */
public final class PretrainedWeights {
    private static final Pattern SWIN_IGNORED =
            Pattern.compile("(.*relative_position_index|.*attn_mask|head\\..*)");
    private static final Pattern BERT_IGNORED =
            Pattern.compile("(pooler\\..*|embeddings\\.position_ids|cls\\..*)");

    private PretrainedWeights() {}

    /** Official Swin checkpoint ({"model": sd}) into a SwinBackbone; bias tables are resized when windows differ. */
    public static void importSwin(Path pth, Block swin, boolean allowMissing) {
        Map<String, TensorData> src = TorchCheckpointReader.read(pth);
        Map<String, Parameter> params = ParameterPaths.of(swin);
        Map<String, TensorData> kept = new LinkedHashMap<>();
        boolean hasOwnNorms = params.keySet().stream().anyMatch(k -> k.startsWith("norm0."));
        for (Map.Entry<String, TensorData> e : src.entrySet()) {
            String k = e.getKey();
            if (SWIN_IGNORED.matcher(k).matches() || (hasOwnNorms && k.startsWith("norm."))) {
                continue;
            }
            TensorData t = e.getValue();
            Parameter p = params.get(k);
            if (p != null && k.endsWith("relative_position_bias_table")) {
                long rows = p.getArray().getShape().get(0);
                if (rows != t.shape()[0]) {
                    t = resizeBiasTable(t, (int) Math.round(Math.sqrt(rows)));
                }
            }
            kept.put(k, t);
        }
        copyAll(pth, kept, params, allowMissing);
    }

    /** HF BERT: a folder with model.safetensors or pytorch_model.bin, or one of those files; "bert." stripped. */
    public static void importBert(Path dirOrFile, Block bert, boolean allowMissing) {
        Path file = dirOrFile;
        if (Files.isDirectory(dirOrFile)) {
            file = dirOrFile.resolve("model.safetensors");
            if (!Files.isRegularFile(file)) {
                file = dirOrFile.resolve("pytorch_model.bin");
            }
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(dirOrFile, "no model.safetensors or pytorch_model.bin found");
        }
        Map<String, TensorData> src = file.getFileName().toString().endsWith(".safetensors")
                ? SafetensorsFile.read(file) : TorchCheckpointReader.read(file);
        Map<String, TensorData> kept = new LinkedHashMap<>();
        for (Map.Entry<String, TensorData> e : src.entrySet()) {
            String k = e.getKey().startsWith("bert.") ? e.getKey().substring(5) : e.getKey();
            // Old HF checkpoints name LayerNorm parameters gamma/beta.
            k = k.replace("LayerNorm.gamma", "LayerNorm.weight").replace("LayerNorm.beta", "LayerNorm.bias");
            if (!BERT_IGNORED.matcher(k).matches()) {
                kept.put(k, e.getValue());
            }
        }
        copyAll(file, kept, ParameterPaths.of(bert), allowMissing);
    }

    /** Copies source tensors into parameters; one error lists all missing and unexpected names. */
    public static void copyAll(Path file, Map<String, TensorData> src, Map<String, Parameter> params, boolean allowMissing) {
        TreeSet<String> missing = new TreeSet<>(params.keySet());
        missing.removeAll(src.keySet());
        TreeSet<String> unexpected = new TreeSet<>(src.keySet());
        unexpected.removeAll(params.keySet());
        if (!unexpected.isEmpty() || (!allowMissing && !missing.isEmpty())) {
            throw new InvalidInputException(file, "weights do not match the model: missing " + missing
                    + ", unexpected " + unexpected);
        }
        for (Map.Entry<String, TensorData> e : src.entrySet()) {
            ModelCheckpoint.copyInto(file, e.getKey(), e.getValue(), params.get(e.getKey()));
        }
    }

    /**
     * Resizes a (L1*L1, nH) relative position bias table to (L2*L2, nH) with bicubic interpolation
     * (a = -0.75, align_corners = False, edge clamping), as torch's F.interpolate in Swin/LAVT.
     */
    public static TensorData resizeBiasTable(TensorData table, int l2) {
        int rows = (int) table.shape()[0];
        int nh = (int) table.shape()[1];
        int l1 = (int) Math.round(Math.sqrt(rows));
        if (l1 * l1 != rows) {
            throw new IllegalArgumentException("bias table has " + rows + " rows, not a square");
        }
        float[] src = table.floats();
        float[] out = new float[l2 * l2 * nh];
        double scale = (double) l1 / l2;
        for (int y = 0; y < l2; y++) {
            double sy = (y + 0.5) * scale - 0.5;
            int iy = (int) Math.floor(sy);
            double[] wy = cubicWeights(sy - iy);
            for (int x = 0; x < l2; x++) {
                double sx = (x + 0.5) * scale - 0.5;
                int ix = (int) Math.floor(sx);
                double[] wx = cubicWeights(sx - ix);
                for (int h = 0; h < nh; h++) {
                    double v = 0;
                    for (int a = 0; a < 4; a++) {
                        int yy = Math.min(Math.max(iy - 1 + a, 0), l1 - 1);
                        for (int b = 0; b < 4; b++) {
                            int xx = Math.min(Math.max(ix - 1 + b, 0), l1 - 1);
                            v += wy[a] * wx[b] * src[(yy * l1 + xx) * nh + h];
                        }
                    }
                    out[(y * l2 + x) * nh + h] = (float) v;
                }
            }
        }
        return TensorData.ofFloats(new long[] {(long) l2 * l2, nh}, out);
    }

    private static double[] cubicWeights(double t) {
        double a = -0.75;
        return new double[] {cubicFar(t + 1, a), cubicNear(t, a), cubicNear(1 - t, a), cubicFar(2 - t, a)};
    }

    private static double cubicNear(double x, double a) {
        return ((a + 2) * x - (a + 3)) * x * x + 1;
    }

    private static double cubicFar(double x, double a) {
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
    }
}
