package io.rrsis4j.model.weights;

import io.rrsis4j.data.text.WordPieceTokenizer;
import io.rrsis4j.io.torch.SafetensorsFile;
import io.rrsis4j.io.torch.TensorData;
import io.rrsis4j.io.torch.TorchCheckpointWriter.TensorView;
import io.rrsis4j.io.torch.TorchCheckpointWriter;
import io.rrsis4j.model.BertConfig;
import io.rrsis4j.model.ParameterPaths;
import io.rrsis4j.model.SwinConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Small pretrained-weight files in the official layouts, written under src/test/resources/fixtures/ by
 * {@link #main}: the key names are spelled out here from the official Swin (microsoft/Swin-Transformer
 * models/swin_transformer.py) and Hugging Face BertModel code, independently of {@link ParameterPaths}, so the
 * import tests check that the blocks' names agree with the published ones. Values come from seeded generators.
 */
public final class WeightFixtures {
    public static final String SWIN_PTH = "/fixtures/swin-mini.pth";
    public static final String BERT_DIR = "/fixtures/bert-mini";
    public static final String BERT_BIN_DIR = "/fixtures/bert-mini-bin";

    /** The checkpoint's Swin: C = 4, depths (2, 1, 1, 1) so stage 1 has a shifted block, window 7. */
    public static final int SWIN_EMBED = 4;
    public static final int[] SWIN_DEPTHS = {2, 1, 1, 1};
    public static final int[] SWIN_HEADS = {1, 1, 2, 2};
    public static final int SWIN_WINDOW = 7;
    public static final int SWIN_CLASSES = 10;
    /** layers.0.blocks.0's bias table holds this one value, so a resized table must hold it too. */
    public static final float CONSTANT_TABLE_VALUE = 0.25f;

    /** The checkpoint's BERT: 2 layers of width 8 with 2 heads over the bundled vocabulary, 512 positions. */
    public static final int BERT_HIDDEN = 8;
    public static final int BERT_LAYERS = 2;
    public static final int BERT_HEADS = 2;
    public static final int BERT_INTERMEDIATE = 16;
    public static final int BERT_POSITIONS = 512;

    private WeightFixtures() {}

    public static SwinConfig swinConfig(int window) {
        return SwinConfig.builder().setEmbedDim(SWIN_EMBED).setDepths(SWIN_DEPTHS).setNumHeads(SWIN_HEADS)
                .optWindowSize(window).build();
    }

    public static BertConfig bertConfig() {
        return BertConfig.builder().optNumLayers(BERT_LAYERS).optHiddenSize(BERT_HIDDEN).optNumHeads(BERT_HEADS)
                .optIntermediateSize(BERT_INTERMEDIATE).optVocabSize(WordPieceTokenizer.bundled().vocabSize())
                .optMaxPositions(BERT_POSITIONS).build();
    }

    /** A resource fixture as a path (tests run from target/test-classes). */
    public static Path resource(String name) {
        try {
            return Path.of(WeightFixtures.class.getResource(name).toURI());
        } catch (Exception e) {
            throw new IllegalStateException("fixture " + name + " missing; run WeightFixtures.main", e);
        }
    }

    private static TensorData gaussian(Random r, float mean, float std, long... shape) {
        float[] v = new float[(int) TensorData.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = mean + std * (float) r.nextGaussian();
        }
        return TensorData.ofFloats(shape, v);
    }

    private static void linear(Map<String, TensorData> sd, Random r, String name, int in, int out, boolean bias) {
        sd.put(name + ".weight", gaussian(r, 0, 0.1f, out, in));
        if (bias) {
            sd.put(name + ".bias", gaussian(r, 0, 0.1f, out));
        }
    }

    private static void norm(Map<String, TensorData> sd, Random r, String name, int dim) {
        sd.put(name + ".weight", gaussian(r, 1, 0.1f, dim));
        sd.put(name + ".bias", gaussian(r, 0, 0.1f, dim));
    }

    /** Official relative_position_index of a window: (dy + W - 1) * (2W - 1) + (dx + W - 1). */
    static TensorData relativePositionIndex(int w) {
        int n = w * w;
        long[] idx = new long[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int dy = i / w - j / w + w - 1;
                int dx = i % w - j % w + w - 1;
                idx[i * n + j] = (long) dy * (2 * w - 1) + dx;
            }
        }
        return TensorData.ofLongs(new long[] {n, n}, idx);
    }

    /**
     * The official Swin classification state dict in file order, values from seed 11, including the buffers
     * (relative_position_index, attn_mask) and heads (norm, head) an importer must skip.
     */
    public static Map<String, TensorData> swinMini() {
        return swinStateDict(SWIN_EMBED, SWIN_DEPTHS, SWIN_HEADS, SWIN_WINDOW, SWIN_CLASSES, 11);
    }

    /** An official-layout Swin state dict of any size (Swin-B: 128, (2, 2, 18, 2), (4, 8, 16, 32), 12, 1000). */
    public static Map<String, TensorData> swinStateDict(int c, int[] depths, int[] heads, int w, int classes, long seed) {
        Random r = new Random(seed);
        Map<String, TensorData> sd = new LinkedHashMap<>();
        sd.put("patch_embed.proj.weight", gaussian(r, 0, 0.1f, c, 3, 4, 4));
        sd.put("patch_embed.proj.bias", gaussian(r, 0, 0.1f, c));
        norm(sd, r, "patch_embed.norm", c);
        TensorData index = relativePositionIndex(w);
        for (int s = 0; s < 4; s++) {
            int dim = c << s;
            for (int b = 0; b < depths[s]; b++) {
                String p = "layers." + s + ".blocks." + b + ".";
                norm(sd, r, p + "norm1", dim);
                long rows = (long) (2 * w - 1) * (2 * w - 1);
                TensorData table = gaussian(r, 0, 0.02f, rows, heads[s]);
                if (s == 0 && b == 0) {
                    java.util.Arrays.fill(table.floats(), CONSTANT_TABLE_VALUE);
                }
                sd.put(p + "attn.relative_position_bias_table", table);
                sd.put(p + "attn.relative_position_index", index);
                linear(sd, r, p + "attn.qkv", dim, 3 * dim, true);
                linear(sd, r, p + "attn.proj", dim, dim, true);
                norm(sd, r, p + "norm2", dim);
                linear(sd, r, p + "mlp.fc1", dim, 4 * dim, true);
                linear(sd, r, p + "mlp.fc2", 4 * dim, dim, true);
                if (b % 2 == 1) {
                    // shifted block's mask for one window: 0 inside a region, -100 across regions
                    sd.put(p + "attn_mask", gaussian(r, -50, 1, 1, w * w, w * w));
                }
            }
            if (s < 3) {
                norm(sd, r, "layers." + s + ".downsample.norm", 4 * dim);
                linear(sd, r, "layers." + s + ".downsample.reduction", 4 * dim, 2 * dim, false);
            }
        }
        norm(sd, r, "norm", 8 * c);
        linear(sd, r, "head", 8 * c, classes, true);
        return sd;
    }

    /** HF BertForPreTraining's state dict ("bert." names, pooler, cls heads, position_ids), seed 12. */
    public static Map<String, TensorData> bertMini(boolean oldLayerNormNames) {
        return bertStateDict(BERT_HIDDEN, BERT_LAYERS, BERT_INTERMEDIATE, WordPieceTokenizer.bundled().vocabSize(),
                oldLayerNormNames, 12);
    }

    /** An HF BertForPreTraining state dict of any size with 512 positions (BERT-base: 768, 12, 3072, 30522). */
    public static Map<String, TensorData> bertStateDict(int h, int layers, int intermediate, int vocab,
                                                        boolean oldLayerNormNames, long seed) {
        Random r = new Random(seed);
        Map<String, TensorData> sd = new LinkedHashMap<>();
        long[] positions = new long[BERT_POSITIONS];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = i;
        }
        sd.put("bert.embeddings.position_ids", TensorData.ofLongs(new long[] {1, BERT_POSITIONS}, positions));
        sd.put("bert.embeddings.word_embeddings.weight", gaussian(r, 0, 0.02f, vocab, h));
        sd.put("bert.embeddings.position_embeddings.weight", gaussian(r, 0, 0.02f, BERT_POSITIONS, h));
        sd.put("bert.embeddings.token_type_embeddings.weight", gaussian(r, 0, 0.02f, 2, h));
        norm(sd, r, "bert.embeddings.LayerNorm", h);
        for (int l = 0; l < layers; l++) {
            String p = "bert.encoder.layer." + l + ".";
            linear(sd, r, p + "attention.self.query", h, h, true);
            linear(sd, r, p + "attention.self.key", h, h, true);
            linear(sd, r, p + "attention.self.value", h, h, true);
            linear(sd, r, p + "attention.output.dense", h, h, true);
            norm(sd, r, p + "attention.output.LayerNorm", h);
            linear(sd, r, p + "intermediate.dense", h, intermediate, true);
            linear(sd, r, p + "output.dense", intermediate, h, true);
            norm(sd, r, p + "output.LayerNorm", h);
        }
        linear(sd, r, "bert.pooler.dense", h, h, true);
        sd.put("cls.predictions.bias", gaussian(r, 0, 0.02f, vocab));
        linear(sd, r, "cls.predictions.transform.dense", h, h, true);
        norm(sd, r, "cls.predictions.transform.LayerNorm", h);
        linear(sd, r, "cls.seq_relationship", h, 2, true);
        if (!oldLayerNormNames) {
            return sd;
        }
        // checkpoints written before transformers 2.x call LayerNorm's parameters gamma and beta
        Map<String, TensorData> old = new LinkedHashMap<>();
        sd.forEach((k, v) -> old.put(k.replace("LayerNorm.weight", "LayerNorm.gamma")
                .replace("LayerNorm.bias", "LayerNorm.beta"), v));
        return old;
    }

    /** Writes the Swin checkpoint as the official release: {"model": ...} with "module." names. */
    public static void writeSwin(Path file, Map<String, TensorData> sd) {
        // all blocks' relative_position_index buffers are one tensor here; they share one storage record
        Map<String, TensorView> views = new LinkedHashMap<>();
        sd.forEach((k, v) -> views.put(k, TensorView.contiguous(v)));
        TorchCheckpointWriter.writeViews(file, views, "module.", true);
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : "src/test/resources/fixtures");
        writeSwin(root.resolve("swin-mini.pth"), swinMini());
        byte[] vocab;
        try (InputStream in = WordPieceTokenizer.class.getResourceAsStream(WordPieceTokenizer.BUNDLED_VOCAB)) {
            vocab = in.readAllBytes();
        }
        Path bert = root.resolve("bert-mini");
        Files.createDirectories(bert);
        Files.write(bert.resolve("vocab.txt"), vocab);
        SafetensorsFile.write(bert.resolve("model.safetensors"), bertMini(false), Map.of("format", "pt"));
        Path bin = root.resolve("bert-mini-bin");
        Files.createDirectories(bin);
        Files.write(bin.resolve("vocab.txt"), vocab);
        TorchCheckpointWriter.write(bin.resolve("pytorch_model.bin"), bertMini(true));
        System.out.println("fixtures written under " + root.toAbsolutePath());
    }
}
