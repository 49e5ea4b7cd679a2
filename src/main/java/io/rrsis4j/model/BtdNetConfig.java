package io.rrsis4j.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.rrsis4j.InvalidInputException;
import io.rrsis4j.data.text.WordPieceTokenizer;
import io.rrsis4j.io.files.AtomicFiles;
import io.rrsis4j.io.files.FileErrors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Every knob of BTDNet with its default (BTDNET.md), immutable and stored as JSON next to checkpoints.
 * Factories: {@link #base()} is the paper's setting (Swin-B window 12 at 480, BERT-base); {@link #tiny()} and
 * {@link #small()} swap the Swin size; {@link #micro()} is a very small network for CPU tests and the demo.
 *
 * @param imageSize side of the square input (480)
 * @param maxTokens sentence length in tokens (20, the reference loaders')
 * @param vocabSize tokenizer vocabulary size (30522 for bert-base-uncased)
 * @param swinEmbedDim C of Swin stage 1 (128 for Swin-B); stage i has C * 2^i channels
 * @param swinDepths blocks per Swin stage
 * @param swinHeads attention heads per Swin stage
 * @param swinWindow Swin window size (12 for the 384/22k Swin-B checkpoint)
 * @param swinMlpRatio Swin MLP hidden ratio (4)
 * @param swinDropPath stochastic depth rate (0.3 for Swin-B, as LAVT)
 * @param bertHidden BERT width = the text width of BSC, decoder and reconstruction (768)
 * @param bertLayers BERT layers (12)
 * @param bertHeads BERT heads (12)
 * @param bertIntermediate BERT feed-forward width (3072)
 * @param bscHeads BSC heads per stage (8, 8, 16, 16 for base)
 * @param decoderChannels T-BTD width (256)
 * @param contextDilations dilations of the context block's 3 x 3 branches (1, 6, 12; ASPP as DeepLab at stride 32)
 * @param reconstructionLayers cross-attention layers of the D-MOLS head (2)
 * @param bsc ablation switch: false = one-way fusion, words never updated
 * @param tbtd ablation switch: false = MCI + one 3 x 3 conv, segmentation loss only
 * @param dmols ablation switch: false = no erased pass, lambda_re unused
 * @param lambdaFg weight of the target-stream loss (0.5)
 * @param lambdaBg weight of the background-stream loss (0.5)
 * @param lambdaRe weight of the reconstruction loss (0.1)
 * @param ceClassWeights cross-entropy weights of (background, target): (0.9, 1.1) as RMSIN
 * @param diceShare share of Dice in the segmentation loss: L_seg = (1 - share) CE + share Dice (0.1)
 * @param bscPositions BSC's pixel queries carry the pixel's place in the image (8-D coordinates, BTDNET.md "BSC"),
 *     so that "on the left" or "at the top" can be matched; false in configurations written before it existed
 * @param generalized generalized referring segmentation (DESIGN-NOTES.md "Generalized referring segmentation"): a
 *     target-presence head beside the mask, trained jointly, for sentences that name no object in the image; off in
 *     the paper's configurations and in configurations written before it existed
 * @param lambdaPresence weight of the presence head's binary cross-entropy (used only when generalized)
 */
public record BtdNetConfig(
        int imageSize,
        int maxTokens,
        int vocabSize,
        int swinEmbedDim,
        List<Integer> swinDepths,
        List<Integer> swinHeads,
        int swinWindow,
        double swinMlpRatio,
        double swinDropPath,
        int bertHidden,
        int bertLayers,
        int bertHeads,
        int bertIntermediate,
        List<Integer> bscHeads,
        int decoderChannels,
        List<Integer> contextDilations,
        int reconstructionLayers,
        boolean bsc,
        boolean tbtd,
        boolean dmols,
        double lambdaFg,
        double lambdaBg,
        double lambdaRe,
        List<Double> ceClassWeights,
        double diceShare,
        boolean bscPositions,
        boolean generalized,
        double lambdaPresence) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    public static final int BERT_BASE_VOCAB = 30522;
    /** Weight of the presence loss when {@link #withGeneralized} turns the head on without naming one. */
    public static final double DEFAULT_LAMBDA_PRESENCE = 0.1;

    /** Without the generalized head: the configuration as it was before the head existed. */
    public BtdNetConfig(int imageSize, int maxTokens, int vocabSize, int swinEmbedDim, List<Integer> swinDepths,
                        List<Integer> swinHeads, int swinWindow, double swinMlpRatio, double swinDropPath, int bertHidden,
                        int bertLayers, int bertHeads, int bertIntermediate, List<Integer> bscHeads, int decoderChannels,
                        List<Integer> contextDilations, int reconstructionLayers, boolean bsc, boolean tbtd, boolean dmols,
                        double lambdaFg, double lambdaBg, double lambdaRe, List<Double> ceClassWeights, double diceShare,
                        boolean bscPositions) {
        this(imageSize, maxTokens, vocabSize, swinEmbedDim, swinDepths, swinHeads, swinWindow, swinMlpRatio, swinDropPath,
                bertHidden, bertLayers, bertHeads, bertIntermediate, bscHeads, decoderChannels, contextDilations,
                reconstructionLayers, bsc, tbtd, dmols, lambdaFg, lambdaBg, lambdaRe, ceClassWeights, diceShare,
                bscPositions, false, 0);
    }

    public BtdNetConfig {
        for (Object list : new Object[] {swinDepths, swinHeads, bscHeads, contextDilations, ceClassWeights}) {
            if (list == null) {
                throw new IllegalArgumentException("swinDepths, swinHeads, bscHeads, contextDilations and"
                        + " ceClassWeights must all be given");
            }
        }
        // A hand-edited or corrupt config.json is refused here, in words, not deep inside the network or the engine.
        requireIn("imageSize", imageSize, 32, 4096);
        requireIn("maxTokens", maxTokens, 2, 512);
        requireIn("vocabSize", vocabSize, 5, 1_000_000);
        requireIn("swinEmbedDim", swinEmbedDim, 1, 1024);
        requireIn("swinWindow", swinWindow, 1, 64);
        requireIn("bertHidden", bertHidden, 1, 8192);
        requireIn("bertLayers", bertLayers, 0, 64);
        requireIn("bertHeads", bertHeads, 1, 256);
        requireIn("bertIntermediate", bertIntermediate, 1, 65536);
        requireIn("decoderChannels", decoderChannels, 1, 8192);
        requireIn("reconstructionLayers", reconstructionLayers, 0, 64);
        for (int i = 0; i < swinDepths.size(); i++) {
            requireIn("swinDepths[" + i + "]", swinDepths.get(i) == null ? 0 : swinDepths.get(i), 1, 64);
        }
        for (List<Integer> heads : List.of(swinHeads, bscHeads)) {
            for (Integer h : heads) {
                requireIn("heads", h == null ? 0 : h, 1, 256);
            }
        }
        if (contextDilations.isEmpty()) {
            throw new IllegalArgumentException("contextDilations needs at least one dilation");
        }
        for (Integer d : contextDilations) {
            requireIn("contextDilations", d == null ? 0 : d, 1, 64);
        }
        for (double w : new double[] {swinMlpRatio, lambdaFg, lambdaBg, lambdaRe, lambdaPresence}) {
            if (!(w >= 0 && w <= 1000)) {
                throw new IllegalArgumentException("swinMlpRatio and the loss weights must be in [0, 1000], got " + w);
            }
        }
        if (!(swinMlpRatio > 0) || !(swinDropPath >= 0 && swinDropPath < 1) || !(diceShare >= 0 && diceShare <= 1)) {
            throw new IllegalArgumentException("swinMlpRatio must be > 0, swinDropPath in [0, 1) and diceShare in [0, 1]");
        }
        swinDepths = List.copyOf(swinDepths);
        swinHeads = List.copyOf(swinHeads);
        bscHeads = List.copyOf(bscHeads);
        contextDilations = List.copyOf(contextDilations);
        ceClassWeights = List.copyOf(ceClassWeights);
        if (swinDepths.size() != 4 || swinHeads.size() != 4 || bscHeads.size() != 4) {
            throw new IllegalArgumentException("Swin depths, Swin heads and BSC heads need 4 entries each");
        }
        if (ceClassWeights.size() != 2) {
            throw new IllegalArgumentException("ceClassWeights needs (background, target)");
        }
        for (int i = 0; i < 4; i++) {
            int c = swinEmbedDim << i;
            if (c % bscHeads.get(i) != 0 || c % swinHeads.get(i) != 0) {
                throw new IllegalArgumentException("heads of stage " + (i + 1) + " must divide its " + c + " channels");
            }
        }
        if (bertHidden % bertHeads != 0) {
            throw new IllegalArgumentException("bertHeads must divide bertHidden");
        }
        if (imageSize % 32 != 0) {
            throw new IllegalArgumentException("imageSize must be a multiple of 32 (four stages of stride 2 after a 4 x 4 patch)");
        }
    }

    private static void requireIn(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be " + min + " to " + max + ", got " + value);
        }
    }

    /** The paper's setting: Swin-B (window 12, 22k/384 checkpoint), BERT-base, 480 x 480, 20 tokens. */
    public static BtdNetConfig base() {
        return new BtdNetConfig(480, 20, BERT_BASE_VOCAB, 128, List.of(2, 2, 18, 2), List.of(4, 8, 16, 32), 12, 4.0, 0.3,
                768, 12, 12, 3072, List.of(8, 8, 16, 16), 256, List.of(1, 6, 12), 2,
                true, true, true, 0.5, 0.5, 0.1, List.of(0.9, 1.1), 0.1, true);
    }

    /** Swin-T (window 12, as LAVT runs every Swin size at 480), everything else as base. */
    public static BtdNetConfig tiny() {
        return base().withSwin(96, List.of(2, 2, 6, 2), List.of(3, 6, 12, 24), 12, 0.2);
    }

    /** Swin-S (window 12). */
    public static BtdNetConfig small() {
        return base().withSwin(96, List.of(2, 2, 18, 2), List.of(3, 6, 12, 24), 12, 0.3);
    }

    /**
     * A very small network for CPU tests and the demo: 96 x 96 input, Swin C = 24 with one block per stage and
     * window 3 (stage maps 24, 12, 6, 3), a 2-layer BERT of width 64 over the bundled vocabulary, decoder width 32.
     */
    public static BtdNetConfig micro() {
        return new BtdNetConfig(96, 20, WordPieceTokenizer.bundled().vocabSize(), 24, List.of(1, 1, 1, 1),
                List.of(1, 2, 4, 8), 3, 2.0, 0.0, 64, 2, 2, 128, List.of(2, 2, 4, 4), 32, List.of(1, 2, 3), 2,
                true, true, true, 0.5, 0.5, 0.1, List.of(0.9, 1.1), 0.1, true);
    }

    /** A configuration by name (micro, tiny, small, base) or from a JSON file. */
    public static BtdNetConfig named(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "micro" -> micro();
            case "tiny" -> tiny();
            case "small" -> small();
            case "base" -> base();
            default -> {
                Path file = Path.of(name);
                if (Files.isRegularFile(file)) {
                    yield read(file);
                }
                throw new InvalidInputException("unknown config '" + name + "' (micro, tiny, small, base or a JSON file)");
            }
        };
    }

    /** C1..C4 of the encoder stages. */
    public int[] stageChannels() {
        return new int[] {swinEmbedDim, swinEmbedDim * 2, swinEmbedDim * 4, swinEmbedDim * 8};
    }

    /** The Swin encoder these settings describe. */
    public SwinConfig swinConfig() {
        return SwinConfig.builder().setEmbedDim(swinEmbedDim)
                .setDepths(swinDepths.stream().mapToInt(Integer::intValue).toArray())
                .setNumHeads(swinHeads.stream().mapToInt(Integer::intValue).toArray())
                .optWindowSize(swinWindow).optMlpRatio((float) swinMlpRatio).optDropPathRate((float) swinDropPath)
                .build();
    }

    /** The BERT encoder these settings describe (Hugging Face defaults for everything else: 512 positions,
     * dropout 0.1, LayerNorm eps 1e-12). */
    public BertConfig bertConfig() {
        return BertConfig.builder().optNumLayers(bertLayers).optHiddenSize(bertHidden).optNumHeads(bertHeads)
                .optIntermediateSize(bertIntermediate).optVocabSize(vocabSize).build();
    }

    public BtdNetConfig withSwin(int embedDim, List<Integer> depths, List<Integer> heads, int window, double dropPath) {
        return new BtdNetConfig(imageSize, maxTokens, vocabSize, embedDim, depths, heads, window, swinMlpRatio, dropPath,
                bertHidden, bertLayers, bertHeads, bertIntermediate, bscHeads, decoderChannels, contextDilations,
                reconstructionLayers, bsc, tbtd, dmols, lambdaFg, lambdaBg, lambdaRe, ceClassWeights, diceShare, bscPositions,
                generalized, lambdaPresence);
    }

    /** The same network with the three ablation switches set. */
    public BtdNetConfig withAblation(boolean bsc, boolean tbtd, boolean dmols) {
        return new BtdNetConfig(imageSize, maxTokens, vocabSize, swinEmbedDim, swinDepths, swinHeads, swinWindow,
                swinMlpRatio, swinDropPath, bertHidden, bertLayers, bertHeads, bertIntermediate, bscHeads,
                decoderChannels, contextDilations, reconstructionLayers, bsc, tbtd, dmols, lambdaFg, lambdaBg,
                lambdaRe, ceClassWeights, diceShare, bscPositions, generalized,
                lambdaPresence);
    }

    /**
     * The same network with the generalized head on (weight {@code lambdaPresence} of its loss) or off; the
     * weight is kept at 0 when off, so that an off configuration reads as one written before the head existed.
     */
    public BtdNetConfig withGeneralized(boolean on, double lambdaPresence) {
        return new BtdNetConfig(imageSize, maxTokens, vocabSize, swinEmbedDim, swinDepths, swinHeads, swinWindow,
                swinMlpRatio, swinDropPath, bertHidden, bertLayers, bertHeads, bertIntermediate, bscHeads,
                decoderChannels, contextDilations, reconstructionLayers, bsc, tbtd, dmols, lambdaFg, lambdaBg,
                lambdaRe, ceClassWeights, diceShare, bscPositions, on, on ? lambdaPresence : 0);
    }

    public BtdNetConfig withImageSize(int size) {
        return new BtdNetConfig(size, maxTokens, vocabSize, swinEmbedDim, swinDepths, swinHeads, swinWindow,
                swinMlpRatio, swinDropPath, bertHidden, bertLayers, bertHeads, bertIntermediate, bscHeads,
                decoderChannels, contextDilations, reconstructionLayers, bsc, tbtd, dmols, lambdaFg, lambdaBg,
                lambdaRe, ceClassWeights, diceShare, bscPositions, generalized,
                lambdaPresence);
    }

    public BtdNetConfig withVocabSize(int size) {
        return new BtdNetConfig(imageSize, maxTokens, size, swinEmbedDim, swinDepths, swinHeads, swinWindow,
                swinMlpRatio, swinDropPath, bertHidden, bertLayers, bertHeads, bertIntermediate, bscHeads,
                decoderChannels, contextDilations, reconstructionLayers, bsc, tbtd, dmols, lambdaFg, lambdaBg,
                lambdaRe, ceClassWeights, diceShare, bscPositions, generalized,
                lambdaPresence);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise the configuration", e);
        }
    }

    public static BtdNetConfig fromJson(String json) {
        try {
            return JSON.readValue(json, BtdNetConfig.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidInputException("not a BTDNet configuration: " + e.getMessage());
        }
    }

    /** Writes the JSON atomically ({@link AtomicFiles}). */
    public void write(Path file) throws IOException {
        AtomicFiles.write(file, toJson().getBytes(StandardCharsets.UTF_8));
    }

    public static BtdNetConfig read(Path file) {
        FileErrors.requireFile(file, "configuration file");
        try {
            return JSON.readValue(file.toFile(), BtdNetConfig.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidInputException(file, "not a BTDNet configuration: " + e.getMessage(), e);
        }
    }
}
