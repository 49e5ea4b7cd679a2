package io.rrsis4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * BERT text encoder computing exactly what Hugging Face's BertModel computes without its pooler (BTDNet, like LAVT,
 * uses the word features only): word + position + token-type(0) embeddings -> LayerNorm -> dropout, then post-norm
 * transformer layers with GELU (erf).
 *
 * <p>Input ids (B, N) int64 and attention mask (B, N) (1 real token, 0 padding) -> word features (B, N, hidden).
 *
 * <p>Parameter paths are Hugging Face's without the "bert." prefix: {@code embeddings.word_embeddings.weight},
 * {@code encoder.layer.0.attention.self.query.weight}, {@code encoder.layer.11.output.LayerNorm.bias}, ...
 */
public final class BertEncoder extends FixedShapeBlock {
    /** Added to the attention scores of padded keys, as (1 - mask) * -10000 in BERT's reference code. */
    static final float MASKED_SCORE = -10000f;

    private static final NormalInitializer NORMAL = new NormalInitializer(0.02f);

    private final BertConfig config;
    private final Embeddings embeddings;
    private final Encoder encoder;

    public BertEncoder(BertConfig config) {
        this.config = config;
        embeddings = addChildBlock("embeddings", new Embeddings(config));
        encoder = addChildBlock("encoder", new Encoder(config));
    }

    public BertConfig config() {
        return config;
    }

    /** The (vocab, hidden) word-embedding matrix, shared with the D-MOLS reconstruction head's output projection. */
    public Parameter wordEmbeddingWeight() {
        return embeddings.words.weight();
    }

    /**
     * @param ids (B, N) int64 WordPiece ids
     * @param mask (B, N) attention mask, 1 for real tokens and 0 for padding (any numeric type)
     * @return (B, N, hidden) word features of the last layer
     */
    public NDArray encode(ParameterStore ps, NDArray ids, NDArray mask, boolean training) {
        Shape s = ids.getShape();
        if (s.dimension() != 2 || !s.equals(mask.getShape())) {
            throw new IllegalArgumentException("ids and mask must both be (B, N), got " + s + " and " + mask.getShape());
        }
        if (s.get(1) > config.maxPositions()) {
            throw new IllegalArgumentException(s.get(1) + " tokens exceed the " + config.maxPositions() + " positions");
        }
        NDArray x = embeddings.apply(ps, ids.toType(DataType.INT64, false), training);
        // (B, 1, 1, N): broadcast over heads and queries
        NDArray additiveMask = mask.toType(x.getDataType(), false)
                .neg()
                .add(1f)
                .mul(MASKED_SCORE)
                .reshape(s.get(0), 1, 1, s.get(1));
        return encoder.apply(ps, x, additiveMask, training);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(encode(ps, inputs.get(0), inputs.get(1), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(config.hiddenSize())};
    }

    static NDArray dropout(NDArray x, float rate, boolean training) {
        return training && rate > 0f ? Dropout.dropout(x, rate, true).head() : x;
    }

    /** embeddings.{word_embeddings, position_embeddings, token_type_embeddings, LayerNorm}. */
    static final class Embeddings extends FixedShapeBlock {
        private final TokenEmbedding words;
        private final TokenEmbedding positions;
        private final TokenEmbedding tokenTypes;
        private final FixedLayerNorm norm;
        private final float dropout;

        Embeddings(BertConfig c) {
            words = addChildBlock("word_embeddings", new TokenEmbedding(c.vocabSize(), c.hiddenSize(), NORMAL));
            positions = addChildBlock("position_embeddings",
                    new TokenEmbedding(c.maxPositions(), c.hiddenSize(), NORMAL));
            tokenTypes = addChildBlock("token_type_embeddings",
                    new TokenEmbedding(c.typeVocabSize(), c.hiddenSize(), NORMAL));
            norm = addChildBlock("LayerNorm", new FixedLayerNorm(c.hiddenSize(), c.layerNormEps()));
            dropout = c.hiddenDropout();
        }

        NDArray apply(ParameterStore ps, NDArray ids, boolean training) {
            long n = ids.getShape().get(1);
            NDArray word = words.apply(ps, ids, training); // (B, N, H)
            NDArray pos = toStep(value(ps, positions.weight(), word, training).get(new NDIndex().addSliceDim(0, n)),
                    word);
            // every token is segment 0, as the reference loaders feed BERT
            NDArray type0 = toStep(value(ps, tokenTypes.weight(), word, training).get(0), word);
            NDArray x = word.add(pos.add(type0));
            return dropout(norm.apply(ps, x, training), dropout, training);
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            return new NDList(apply(ps, inputs.head(), training));
        }
    }

    /** encoder.layer.i */
    static final class Encoder extends FixedShapeBlock {
        private final IndexedBlocks<Layer> layers;

        Encoder(BertConfig c) {
            List<Layer> list = new ArrayList<>();
            for (int i = 0; i < c.numLayers(); i++) {
                list.add(new Layer(c));
            }
            layers = addChildBlock("layer", new IndexedBlocks<>(list));
        }

        NDArray apply(ParameterStore ps, NDArray x, NDArray additiveMask, boolean training) {
            for (Layer layer : layers.items()) {
                NDArray in = x;
                x = ForwardScope.array(() -> layer.apply(ps, in, additiveMask, training), in, additiveMask);
            }
            return x;
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            return new NDList(apply(ps, inputs.get(0), inputs.get(1), training));
        }
    }

    /** attention.{self, output}, intermediate.dense, output.{dense, LayerNorm}. */
    static final class Layer extends FixedShapeBlock {
        private final Attention attention;
        private final DenseOnly intermediate;
        private final DenseNorm output;

        Layer(BertConfig c) {
            attention = addChildBlock("attention", new Attention(c));
            intermediate = addChildBlock("intermediate", new DenseOnly(c.hiddenSize(), c.intermediateSize()));
            output = addChildBlock("output", new DenseNorm(c.intermediateSize(), c.hiddenSize(), c));
        }

        NDArray apply(ParameterStore ps, NDArray x, NDArray additiveMask, boolean training) {
            NDArray a = attention.apply(ps, x, additiveMask, training);
            NDArray inner = Activation.gelu(intermediate.dense.apply(ps, a, training));
            return output.apply(ps, inner, a, training);
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            return new NDList(apply(ps, inputs.get(0), inputs.get(1), training));
        }
    }

    /** attention.self (query, key, value) + attention.output (dense, LayerNorm with the residual). */
    static final class Attention extends FixedShapeBlock {
        private final SelfAttention self;
        private final DenseNorm output;

        Attention(BertConfig c) {
            self = addChildBlock("self", new SelfAttention(c));
            output = addChildBlock("output", new DenseNorm(c.hiddenSize(), c.hiddenSize(), c));
        }

        NDArray apply(ParameterStore ps, NDArray x, NDArray additiveMask, boolean training) {
            return output.apply(ps, self.apply(ps, x, additiveMask, training), x, training);
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            return new NDList(apply(ps, inputs.get(0), inputs.get(1), training));
        }
    }

    /** Scaled dot-product attention over all tokens, padded keys pushed down by the additive mask. */
    static final class SelfAttention extends FixedShapeBlock {
        private final FixedLinear query;
        private final FixedLinear key;
        private final FixedLinear value;
        private final int heads;
        private final int headDim;
        private final float attentionDropout;

        SelfAttention(BertConfig c) {
            int h = c.hiddenSize();
            query = addChildBlock("query", new FixedLinear(h, h, true, NORMAL));
            key = addChildBlock("key", new FixedLinear(h, h, true, NORMAL));
            value = addChildBlock("value", new FixedLinear(h, h, true, NORMAL));
            heads = c.numHeads();
            headDim = h / heads;
            attentionDropout = c.attentionDropout();
        }

        /** (B, N, H) -> (B, heads, N, d). */
        private NDArray split(NDArray x) {
            Shape s = x.getShape();
            return x.reshape(s.get(0), s.get(1), heads, headDim).transpose(0, 2, 1, 3);
        }

        NDArray apply(ParameterStore ps, NDArray x, NDArray additiveMask, boolean training) {
            Shape s = x.getShape();
            NDArray q = split(query.apply(ps, x, training));
            NDArray k = split(key.apply(ps, x, training));
            NDArray v = split(value.apply(ps, x, training));
            NDArray scores = Layers.scale(q.matMul(k.transpose(0, 1, 3, 2)), (float) (1 / Math.sqrt(headDim))).add(additiveMask);
            NDArray probs = dropout(scores.softmax(-1), attentionDropout, training);
            return probs.matMul(v).transpose(0, 2, 1, 3).reshape(s.get(0), s.get(1), s.get(2));
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            return new NDList(apply(ps, inputs.get(0), inputs.get(1), training));
        }
    }

    /** intermediate: just "dense" (the GELU has no parameters). */
    static final class DenseOnly extends FixedShapeBlock {
        private final FixedLinear dense;

        DenseOnly(int in, int out) {
            dense = addChildBlock("dense", new FixedLinear(in, out, true, NORMAL));
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            return new NDList(dense.apply(ps, inputs.head(), training));
        }
    }

    /** BertSelfOutput / BertOutput: LayerNorm(residual + dropout(dense(x))). */
    static final class DenseNorm extends FixedShapeBlock {
        private final FixedLinear dense;
        private final FixedLayerNorm norm;
        private final float dropout;

        DenseNorm(int in, int out, BertConfig c) {
            dense = addChildBlock("dense", new FixedLinear(in, out, true, NORMAL));
            norm = addChildBlock("LayerNorm", new FixedLayerNorm(out, c.layerNormEps()));
            dropout = c.hiddenDropout();
        }

        NDArray apply(ParameterStore ps, NDArray x, NDArray residual, boolean training) {
            return norm.apply(ps, dropout(dense.apply(ps, x, training), dropout, training).add(residual), training);
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            return new NDList(apply(ps, inputs.get(0), inputs.get(1), training));
        }
    }
}
