package io.rrsis4j.model.weights;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.rrsis4j.model.BertConfig;
import io.rrsis4j.model.BertEncoder;
import io.rrsis4j.model.ParameterPaths;
import io.rrsis4j.model.SwinBackbone;
import io.rrsis4j.model.SwinConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a state dict would import into our {@link SwinBackbone} or {@link BertEncoder}, judged from its names and
 * shapes alone (no values read, no weights allocated): the encoder's size is read off the tensors (embedding
 * widths, block counts, bias-table sizes), the block is built without initialising it, and each entry goes through
 * the same renaming and skipping rules as {@link PretrainedWeights}' import.
 */
public final class WeightsFit {
    private static final Pattern SWIN_BLOCK = Pattern.compile("layers\\.(\\d{1,6})\\.blocks\\.(\\d{1,6})\\..*");
    private static final Pattern BERT_LAYER = Pattern.compile("encoder\\.layer\\.(\\d{1,6})\\..*");
    private static final Pattern SWIN_OUTPUT_NORM = Pattern.compile("norm[0-9]+\\..*");
    /** Beyond any published encoder: a name claiming more is a broken file, not a block to build. */
    private static final int MAX_BLOCKS = 256;

    private WeightsFit() {}

    /**
     * @param model "Swin" or "BERT"
     * @param config the encoder size read off the file, or why none could be read
     * @param imported how many entries would be copied into parameters
     * @param skipped entries the import leaves out on purpose (buffers, heads, pooler)
     * @param missing parameters of the block the file lacks
     * @param unexpected entries that map to no parameter
     * @param mismatched entries whose shape differs from the parameter's ("name [file] vs [model]")
     */
    public record Verdict(String model, String config, int imported, List<String> skipped, List<String> missing,
                          List<String> unexpected, List<String> mismatched) {
        public boolean fits() {
            return imported > 0 && missing.isEmpty() && unexpected.isEmpty() && mismatched.isEmpty();
        }
    }

    private static Verdict none(String model, String why) {
        return new Verdict(model, why, 0, List.of(), List.of(), List.of(), List.of());
    }

    /** The file's Swin, if it is one (official names, "module."/"backbone." prefixes allowed). */
    public static Verdict swin(Map<String, long[]> file) {
        Map<String, long[]> src = new LinkedHashMap<>();
        file.forEach((k, v) -> src.put(k.replaceFirst("^module\\.", "").replaceFirst("^backbone\\.", ""), v));
        long[] patch = src.get("patch_embed.proj.weight");
        if (patch == null || patch.length != 4) {
            return none("Swin", "no patch_embed.proj.weight (C, 3, p, p)");
        }
        int stages = 0;
        for (String k : src.keySet()) {
            Matcher m = SWIN_BLOCK.matcher(k);
            if (m.matches()) {
                stages = Math.max(stages, Integer.parseInt(m.group(1)) + 1);
            }
        }
        if (stages > 16) {
            return none("Swin", stages + " stages");
        }
        int[] depths = new int[stages];
        int[] heads = new int[stages];
        int window = 0;
        for (String k : src.keySet()) {
            Matcher m = SWIN_BLOCK.matcher(k);
            if (m.matches()) {
                int s = Integer.parseInt(m.group(1));
                depths[s] = Math.max(depths[s], Integer.parseInt(m.group(2)) + 1);
            }
        }
        if (Arrays.stream(depths).sum() > MAX_BLOCKS) {
            return none("Swin", "blocks numbered up to " + Arrays.toString(depths));
        }
        for (int s = 0; s < stages; s++) {
            long[] table = src.get("layers." + s + ".blocks.0.attn.relative_position_bias_table");
            if (table == null || table.length != 2) {
                return none("Swin", "stage " + s + " has no relative_position_bias_table in its first block");
            }
            heads[s] = (int) table[1];
            window = (int) Math.round((Math.sqrt(table[0]) + 1) / 2);
        }
        long[] fc1 = src.get("layers.0.blocks.0.mlp.fc1.weight");
        float mlpRatio = fc1 == null ? 4f : (float) fc1[0] / patch[0];
        SwinBackbone swin;
        try {
            swin = new SwinBackbone(SwinConfig.builder().setEmbedDim((int) patch[0]).setDepths(depths)
                    .setNumHeads(heads).optWindowSize(window).optPatchSize((int) patch[2])
                    .optInChannels((int) patch[1]).optMlpRatio(mlpRatio).build());
        } catch (IllegalArgumentException e) {
            return none("Swin", "its sizes make no Swin: " + e.getMessage());
        }
        String described = swinName((int) patch[0], depths) + "embed " + patch[0] + ", depths " + Arrays.toString(depths)
                + ", heads " + Arrays.toString(heads) + ", window " + window + ", patch " + patch[2];
        Map<String, Parameter> params = ParameterPaths.of(swin);
        Map<String, String> renamed = new LinkedHashMap<>();
        src.keySet().forEach(k -> renamed.put(k, PretrainedWeights.swinName(k, true)));
        Verdict v = match("Swin", described, src, renamed, params, true);
        List<String> missing = new ArrayList<>(v.missing());
        missing.removeIf(k -> SWIN_OUTPUT_NORM.matcher(k).matches()); // ours alone; they keep their initial values
        return new Verdict(v.model(), v.config(), v.imported(), v.skipped(), missing, v.unexpected(), v.mismatched());
    }

    private static String swinName(int embed, int[] depths) {
        boolean deep = Arrays.equals(depths, new int[] {2, 2, 18, 2});
        String name = embed == 96 && Arrays.equals(depths, new int[] {2, 2, 6, 2}) ? "Swin-T"
                : embed == 96 && deep ? "Swin-S" : embed == 128 && deep ? "Swin-B" : embed == 192 && deep ? "Swin-L" : null;
        return name == null ? "" : name + ": ";
    }

    /** The file's BERT, if it is one (Hugging Face names, with or without "bert.", old gamma/beta names allowed). */
    public static Verdict bert(Map<String, long[]> file) {
        Map<String, String> renamed = new LinkedHashMap<>();
        Map<String, long[]> byTarget = new LinkedHashMap<>();
        file.forEach((k, v) -> {
            String t = PretrainedWeights.bertName(k);
            renamed.put(k, t);
            if (t != null) {
                byTarget.put(t, v);
            }
        });
        long[] words = byTarget.get("embeddings.word_embeddings.weight");
        long[] positions = byTarget.get("embeddings.position_embeddings.weight");
        long[] types = byTarget.get("embeddings.token_type_embeddings.weight");
        long[] inner = byTarget.get("encoder.layer.0.intermediate.dense.weight");
        if (words == null || positions == null || types == null || inner == null || words.length != 2) {
            return none("BERT", "no embeddings.word_embeddings / position_embeddings / token_type_embeddings and"
                    + " encoder.layer.0.intermediate.dense");
        }
        int layers = 0;
        for (String k : byTarget.keySet()) {
            Matcher m = BERT_LAYER.matcher(k);
            if (m.matches()) {
                layers = Math.max(layers, Integer.parseInt(m.group(1)) + 1);
            }
        }
        if (layers > MAX_BLOCKS) {
            return none("BERT", layers + " layers");
        }
        int hidden = (int) words[1];
        // heads change no shape; BERT's own sizes use 64 channels per head
        int heads = hidden % 64 == 0 ? hidden / 64 : 1;
        BertEncoder bert;
        try {
            bert = new BertEncoder(BertConfig.builder().optNumLayers(layers).optHiddenSize(hidden).optNumHeads(heads)
                    .optIntermediateSize((int) inner[0]).optVocabSize((int) words[0])
                    .optMaxPositions((int) positions[0]).optTypeVocabSize((int) types[0]).build());
        } catch (IllegalArgumentException e) {
            return none("BERT", "its sizes make no BERT: " + e.getMessage());
        }
        String described = (hidden == 768 && layers == 12 ? "BERT-base: " : "") + "hidden " + hidden + ", layers "
                + layers + ", intermediate " + inner[0] + ", vocabulary " + words[0] + ", positions " + positions[0]
                + " (heads are not in the weights: " + heads + " assumed)";
        return match("BERT", described, file, renamed, ParameterPaths.of(bert), false);
    }

    private static Verdict match(String model, String config, Map<String, long[]> src, Map<String, String> renamed,
                                 Map<String, Parameter> params, boolean biasTablesResize) {
        List<String> skipped = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        TreeSet<String> missing = new TreeSet<>(params.keySet());
        int imported = 0;
        for (Map.Entry<String, long[]> e : src.entrySet()) {
            String target = renamed.get(e.getKey());
            if (target == null) {
                skipped.add(e.getKey());
                continue;
            }
            Parameter p = params.get(target);
            if (p == null) {
                unexpected.add(e.getKey());
                continue;
            }
            missing.remove(target);
            long[] want = p.getShape().getShape();
            boolean resized = biasTablesResize && target.endsWith("relative_position_bias_table")
                    && e.getValue().length == 2 && want.length == 2 && e.getValue()[1] == want[1];
            if (!Arrays.equals(want, e.getValue()) && !resized) {
                mismatched.add(e.getKey() + " " + Arrays.toString(e.getValue()) + " vs " + new Shape(want));
            } else {
                imported++;
            }
        }
        return new Verdict(model, config, imported, skipped, new ArrayList<>(missing), unexpected, mismatched);
    }
}
