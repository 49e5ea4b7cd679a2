package io.rrsis4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;

/**
 * BTDNet (arXiv 2502.08486) assembled as BTDNET.md "Data flow" 1-5.
 *
 * <p>Inputs (NDList): image (B, 3, H, W) float32 normalised; ids (B, N) int64; attention (B, N) int64;
 * optionally erasedIds (B, N) int64 (the entity-erased sentence, training with D-MOLS only).
 * Outputs (NDList, arrays also named): "logits" (B, 2, H, W) channels (background, target);
 * "target" Pt (B, 1, H/4, W/4) and "background" Pb (B, 1, H/4, W/4) when T-BTD is on;
 * "presence" (B, 1), the logit that the sentence names something in the image, when the configuration is generalized;
 * "reconstruction" (B, N, V) when erasedIds is given and D-MOLS is on.
 *
 * <pre>
 * L0 = BERT(ids, attention)                                   (B, N, D)
 * x = patch_embed(image)                                      (B, H/4·W/4, C1)
 * for stage i = 0..3 (h_i = H / 2^(i+2)):
 *   Vi = map(swin.stage_i(x))                                 (B, Ci, h_i, w_i)
 *   Vi', Li+1 = BSC_i(Vi, Li, attention)                      (B, Ci, h_i, w_i), (B, N, D)
 *   Oi = map(norm_i(tokens(Vi')))                             to the decoder, as LAVT
 *   x = downsample_i(tokens(Vi'))                             the fused map feeds the next stage, as LAVT
 * s = masked mean of L4 over real tokens                      (B, D)
 * logits, Pt, Pb = T-BTD(O1..O4, s)
 * erased pass: the same with erasedIds -> L4~, O4~; reconstruction = D-MOLS(L4~, O4~, E_bert)
 * </pre>
 * Parameter paths (see {@link ParameterPaths}): {@code swin.} + official Swin keys, {@code bert.} + Hugging Face
 * BertModel keys (no {@code bert.} inside), {@code bsc0.}..{@code bsc3.}, {@code decoder.}, {@code reconstruction.}.
 * Initialise with {@code initialize(manager, FLOAT32)}: every part brings its own initializers (the encoders
 * their reference ones, the BTDNet parts Xavier), so no tree-wide {@code setInitializer} is needed or wanted.
 */
public final class BtdNet extends AbstractBlock {
    private final BtdNetConfig config;
    private final SwinBackbone swin;
    private final BertEncoder bert;
    private final BidirectionalSpatialCorrelation[] bsc = new BidirectionalSpatialCorrelation[4];
    private final TwinStreamDecoder decoder;
    private final EntityReconstruction reconstruction;

    public BtdNet(BtdNetConfig config) {
        this.config = config;
        swin = addChildBlock("swin", new SwinBackbone(config.swinConfig()));
        bert = addChildBlock("bert", new BertEncoder(config.bertConfig()));
        int[] channels = config.stageChannels();
        for (int i = 0; i < 4; i++) {
            bsc[i] = addChildBlock("bsc" + i, new BidirectionalSpatialCorrelation(channels[i], config.bertHidden(),
                    config.bscHeads().get(i), config.bsc(), config.bscPositions()));
            bsc[i].setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
        }
        int[] dilations = config.contextDilations().stream().mapToInt(Integer::intValue).toArray();
        decoder = addChildBlock("decoder", new TwinStreamDecoder(channels, config.bertHidden(), config.decoderChannels(),
                dilations, config.tbtd(), config.generalized()));
        decoder.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
        if (config.dmols()) {
            reconstruction = addChildBlock("reconstruction", new EntityReconstruction(channels[3], config.bertHidden(),
                    config.bertHeads(), config.bertIntermediate(), config.reconstructionLayers(), config.vocabSize()));
            reconstruction.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
        } else {
            reconstruction = null;
        }
    }

    public BtdNetConfig config() {
        return config;
    }

    public SwinBackbone swin() {
        return swin;
    }

    public BertEncoder bert() {
        return bert;
    }

    /** The BSC after Swin stage i (0..3). */
    public BidirectionalSpatialCorrelation bsc(int i) {
        return bsc[i];
    }

    public TwinStreamDecoder decoder() {
        return decoder;
    }

    /** What the encoders and the four BSCs produce for one (image, sentence) batch. */
    public record Encoding(NDList stageMaps, NDArray words, NDArray sentence) {
        /** The fused, normalised stage-4 map (B, C4, H/32, W/32). */
        public NDArray deepest() {
            return stageMaps.get(3);
        }
    }

    /**
     * Data flow 1-3: BERT, the four Swin stages with a BSC after each.
     *
     * @param image (B, 3, H, W)
     * @param ids (B, N) int64
     * @param attention (B, N) int64, 1 = real token
     * @return the four output-normed fused maps (B, Ci, Hi, Wi), the final words L4 (B, N, D) and the sentence
     *     vector (B, D)
     */
    public Encoding encode(ParameterStore ps, NDArray image, NDArray ids, NDArray attention, boolean training) {
        return encode(ps, image, ids, attention, training, null);
    }

    /**
     * The text-to-image attention of each BSC stage (see {@link BidirectionalSpatialCorrelation#wordAttention}):
     * four (B, N, Hi, Wi) maps, stage 1 (finest) first. Inference mode.
     */
    public NDList wordAttention(ParameterStore ps, NDArray image, NDArray ids, NDArray attention) {
        try (NoGradient off = NoGradient.enter()) {
            return ForwardScope.list(() -> {
                NDList maps = new NDList();
                encode(ps, image, ids, attention, false, maps);
                return maps;
            }, image, ids, attention);
        }
    }

    /** As {@link #encode}; with WORD_MAPS not null, each stage's word attention is added to it. */
    private Encoding encode(ParameterStore ps, NDArray image, NDArray ids, NDArray attention, boolean training,
                            NDList wordMaps) {
        NDArray words = ForwardScope.array(() -> bert.encode(ps, ids, attention, training), ids, attention);
        int[] grid = swin.gridSize((int) image.getShape().get(2), (int) image.getShape().get(3));
        int h = grid[0];
        int w = grid[1];
        NDArray x = ForwardScope.array(() -> swin.embed(ps, image, training), image);
        NDList maps = new NDList();
        for (int i = 0; i < 4; i++) {
            // one piece per stage: its blocks' and its BSC's intermediates are gone before the next stage runs
            NDList out = stage(ps, i, x, words, attention, h, w, training, wordMaps);
            maps.add(out.get(0));
            words = out.get(1);
            if (i < 3) {
                x = out.get(2);
                h = (h + 1) / 2;
                w = (w + 1) / 2;
            }
        }
        return new Encoding(maps, words, maskedMean(words, attention));
    }

    /**
     * Swin stage i, its BSC, the output norm and (below the last stage) the patch merging, as one piece: (the
     * output-normed fused map, the updated words[, the next stage's tokens]).
     */
    private NDList stage(ParameterStore ps, int i, NDArray x, NDArray words, NDArray attention, int h, int w,
                         boolean training, NDList wordMaps) {
        return ForwardScope.list(() -> {
            NDArray vis = Layers.tokensToMap(swin.stage(ps, i, x, h, w, training), h, w);
            if (wordMaps != null) {
                wordMaps.add(ForwardScope.keep(bsc[i].wordAttention(ps, vis, words)));
            }
            NDList fused = ForwardScope.list(() -> bsc[i].forward(ps, new NDList(vis, words, attention), training),
                    vis, words, attention);
            NDArray tokens = Layers.mapToTokens(fused.get(0));
            NDList out = new NDList(Layers.tokensToMap(swin.outputNorm(ps, i, tokens, training), h, w), fused.get(1));
            if (i < 3) {
                out.add(swin.downsample(ps, i, tokens, h, w, training));
            }
            return out;
        }, x, words, attention);
    }

    /** Mean of the real tokens' features: (B, N, D), (B, N) -> (B, D). */
    static NDArray maskedMean(NDArray words, NDArray attention) {
        NDArray m = attention.toType(words.getDataType(), false).expandDims(-1);
        return words.mul(m).sum(new int[] {1}).div(m.sum(new int[] {1}).maximum(1f));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        try (NoGradient off = training ? null : NoGradient.enter()) {
            return ForwardScope.list(() -> run(ps, inputs, training), inputs.toArray(new NDArray[0]));
        }
    }

    private NDList run(ParameterStore ps, NDList inputs, boolean training) {
        NDArray image = inputs.get(0);
        NDArray ids = inputs.get(1);
        NDArray attention = inputs.get(2);
        Encoding enc = encode(ps, image, ids, attention, training);
        NDList decoderIn = new NDList(enc.stageMaps());
        decoderIn.add(enc.sentence());
        NDList out = ForwardScope.list(() -> decoder.forward(ps, decoderIn, training),
                decoderIn.toArray(new NDArray[0]));
        if (inputs.size() > 3 && reconstruction != null) {
            Encoding erased = encode(ps, image, inputs.get(3), attention, training);
            NDArray embedding = ps.getValue(bert.wordEmbeddingWeight(), image.getDevice(), training);
            out.add(reconstruction.forward(ps, new NDList(erased.words(), erased.deepest(), embedding), training)
                    .singletonOrThrow());
        }
        return out;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        swin.initialize(manager, dataType);
        bert.initialize(manager, dataType);
        int[] channels = config.stageChannels();
        int n = config.maxTokens();
        int d = config.bertHidden();
        for (int i = 0; i < 4; i++) {
            bsc[i].initialize(manager, dataType, new Shape(1, channels[i], 8, 8), new Shape(1, n, d), new Shape(1, n));
        }
        decoder.initialize(manager, dataType, new Shape(1, channels[0], 8, 8));
        if (reconstruction != null) {
            reconstruction.initialize(manager, dataType, new Shape(1, n, d), new Shape(1, channels[3], 2, 2),
                    new Shape(config.vocabSize(), d));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape image = inputShapes[0];
        long b = image.get(0);
        long h = image.get(2);
        long w = image.get(3);
        Shape logits = new Shape(b, 2, h, w);
        Shape stream = new Shape(b, 1, (h + 3) / 4, (w + 3) / 4);
        java.util.List<Shape> out = new java.util.ArrayList<>();
        out.add(logits);
        if (config.tbtd()) {
            out.add(stream);
            out.add(stream);
        }
        if (config.generalized()) {
            out.add(new Shape(b, 1));
        }
        if (inputShapes.length > 3 && reconstruction != null) {
            out.add(new Shape(b, inputShapes[1].get(1), config.vocabSize()));
        }
        return out.toArray(new Shape[0]);
    }
}
