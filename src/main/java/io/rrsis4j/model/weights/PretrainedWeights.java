package io.rrsis4j.model.weights;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.rrsis4j.InvalidInputException;
import io.rrsis4j.io.torch.TensorData;
import io.rrsis4j.io.torch.WeightFiles;
import io.rrsis4j.model.BertEncoder;
import io.rrsis4j.model.ParameterPaths;
import io.rrsis4j.model.SwinBackbone;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Imports official Swin (.pth) and HF BERT weights into blocks named by {@link ParameterPaths}. */
public final class PretrainedWeights {
    private static final Pattern SWIN_IGNORED =
            Pattern.compile("(.*relative_position_index|.*attn_mask|head\\..*)");
    private static final Pattern BERT_IGNORED =
            Pattern.compile("(pooler\\..*|embeddings\\.position_ids|cls\\..*)");

    private PretrainedWeights() {}

    /** Stage output norms norm0..norm3 are new in a dense-prediction backbone (LAVT, mmseg); no release has them. */
    private static final Pattern SWIN_OUTPUT_NORM = Pattern.compile("norm[0-9]+\\..*");

    /**
     * Imports an official Swin checkpoint (microsoft/Swin-Transformer release: {"model": sd}, names as
     * {@link SwinBackbone}'s, optional "module."/"backbone." prefixes; any torch.save format, or the file converted
     * to safetensors) into a {@link SwinBackbone}.
     *
     * <p>Skipped source entries: the buffers {@code *relative_position_index} and {@code *attn_mask} (rebuilt by
     * the block for its own window and input), the classifier {@code head.*}, and the final {@code norm.*} when the
     * backbone has its per-stage output norms {@code norm0..norm3}. Those output norms are never in a release and
     * keep their initial values (weight 1, bias 0) even when {@code allowMissing} is false, as LAVT does.
     *
     * <p>Window resizing rule: every {@code relative_position_bias_table} of shape ((2S-1)^2, nH) from a checkpoint
     * with window S is resized to the block's ((2W-1)^2, nH) when W differs (e.g. the 224/window-7 releases into the
     * window-12 model of the paper) by bicubic interpolation, a = -0.75, align_corners false, edge clamping, as
     * torch.nn.functional.interpolate(mode="bicubic") in the Swin/LAVT fine-tuning code; see
     * {@link #resizeBiasTable}. All other shapes must match exactly.
     *
     * @param allowMissing when false, any block parameter other than norm0..norm3 absent from the file is an error
     * @throws InvalidInputException naming the file and listing missing and unexpected names or a shape mismatch
     */
    public static void importSwin(Path pth, Block swin, boolean allowMissing) {
        Map<String, TensorData> src = WeightFiles.read(pth);
        Map<String, Parameter> params = ParameterPaths.of(swin);
        Map<String, TensorData> kept = new LinkedHashMap<>();
        boolean hasOwnNorms = params.keySet().stream().anyMatch(k -> k.startsWith("norm0."));
        for (Map.Entry<String, TensorData> e : src.entrySet()) {
            String k = swinName(e.getKey(), hasOwnNorms);
            if (k == null) {
                continue;
            }
            TensorData t = e.getValue();
            Parameter p = params.get(k);
            if (p != null && k.endsWith("relative_position_bias_table") && t.shape().length == 2) {
                long rows = p.getArray().getShape().get(0);
                if (rows != t.shape()[0]) {
                    t = resizeBiasTable(t, (int) Math.round(Math.sqrt(rows)));
                }
            }
            kept.put(k, t);
        }
        Map<String, Parameter> expected = new LinkedHashMap<>(params);
        if (!allowMissing) {
            expected.keySet().removeIf(k -> SWIN_OUTPUT_NORM.matcher(k).matches() && !kept.containsKey(k));
        }
        copyAll(pth, kept, expected, allowMissing);
    }

    /**
     * The {@code vocab.txt} of a Hugging Face BERT folder, so that text is tokenized with the vocabulary the
     * imported embeddings were trained on (e.g. {@code WordPieceTokenizer.fromVocabFile(bertVocabulary(dir))}).
     *
     * @throws InvalidInputException when the folder has no vocab.txt
     */
    public static Path bertVocabulary(Path dir) {
        Path vocab = Files.isDirectory(dir) ? dir.resolve("vocab.txt") : dir.resolveSibling("vocab.txt");
        if (!Files.isRegularFile(vocab)) {
            throw new InvalidInputException(dir, "no vocab.txt next to the BERT weights; the tokenizer must use the"
                    + " vocabulary the weights were trained with");
        }
        return vocab;
    }

    /**
     * Imports Hugging Face BERT weights into a {@link BertEncoder}: a folder with model.safetensors (preferred) or
     * pytorch_model.bin (torch.save, zip or legacy format), or one of those files. "bert." is stripped, old LayerNorm
     * gamma/beta names are renamed, and pooler.*, cls.* and embeddings.position_ids are skipped. Pair it with
     * {@link #bertVocabulary} for the tokenizer.
     */
    public static void importBert(Path dirOrFile, Block bert, boolean allowMissing) {
        Path file = WeightFiles.inFolder(dirOrFile);
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(dirOrFile, "no such weights file");
        }
        Map<String, TensorData> src = WeightFiles.read(file);
        Map<String, TensorData> kept = new LinkedHashMap<>();
        for (Map.Entry<String, TensorData> e : src.entrySet()) {
            String k = bertName(e.getKey());
            if (k != null) {
                kept.put(k, e.getValue());
            }
        }
        copyAll(file, kept, ParameterPaths.of(bert), allowMissing);
    }

    /**
     * The {@link SwinBackbone} parameter an official Swin checkpoint entry goes to, or null when the import skips it:
     * buffers rebuilt by the block, the classifier head, and the final norm when the backbone has norm0..norm3.
     */
    static String swinName(String key, boolean hasOwnNorms) {
        if (SWIN_IGNORED.matcher(key).matches() || (hasOwnNorms && key.startsWith("norm."))) {
            return null;
        }
        return key;
    }

    /**
     * The {@link BertEncoder} parameter a Hugging Face BERT entry goes to, or null when skipped (pooler, pre-training
     * heads, position_ids): "bert." stripped, old LayerNorm gamma/beta renamed weight/bias.
     */
    static String bertName(String key) {
        String k = key.startsWith("bert.") ? key.substring(5) : key;
        k = k.replace("LayerNorm.gamma", "LayerNorm.weight").replace("LayerNorm.beta", "LayerNorm.bias");
        return BERT_IGNORED.matcher(k).matches() ? null : k;
    }

    /** Copies source tensors into parameters; one error lists all missing and unexpected names. */
    public static void copyAll(Path file, Map<String, TensorData> src, Map<String, Parameter> params, boolean allowMissing) {
        TreeSet<String> missing = new TreeSet<>(params.keySet());
        missing.removeAll(src.keySet());
        TreeSet<String> unexpected = new TreeSet<>(src.keySet());
        unexpected.removeAll(params.keySet());
        if (!unexpected.isEmpty() || (!allowMissing && !missing.isEmpty())) {
            throw new InvalidInputException(file, "weights do not match the model: " + mismatch(missing, unexpected,
                    params.size()) + "; the import needs every parameter (`rrsis4j weights inspect` lists the file's)");
        }
        for (Map.Entry<String, TensorData> e : src.entrySet()) {
            ModelCheckpoint.copyInto(file, e.getKey(), e.getValue(), params.get(e.getKey()));
        }
    }

    /**
     * "16 of the model's 49 parameters missing [a, b, ...], 2 unexpected [c, d] (...)": counts first, so that a file holding half
     * the weights reads as such, then every name (the user needs them all to find what went wrong in the export).
     */
    static String mismatch(Set<String> missing, Set<String> unexpected, int parameters) {
        StringBuilder out = new StringBuilder();
        if (!missing.isEmpty()) {
            out.append(missing.size()).append(" of the model's ").append(parameters).append(" parameters missing ")
                    .append(missing);
        }
        if (!unexpected.isEmpty()) {
            out.append(out.length() == 0 ? "" : ", ").append(unexpected.size()).append(" unexpected ").append(unexpected)
                    .append(" (names the model does not have)");
        }
        return out.toString();
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
