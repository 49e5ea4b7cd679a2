package io.rrsis4j.model;

/**
 * Sizes of a BERT encoder (Devlin et al. 2019) as Hugging Face's BertConfig names them, immutable.
 * {@link #base()} is bert-base-uncased; {@link #builder()} makes tiny test models.
 */
public final class BertConfig {
    private final int numLayers;
    private final int hiddenSize;
    private final int numHeads;
    private final int intermediateSize;
    private final int vocabSize;
    private final int maxPositions;
    private final int typeVocabSize;
    private final float layerNormEps;
    private final float hiddenDropout;
    private final float attentionDropout;

    private BertConfig(Builder b) {
        if (b.numLayers < 1 || b.hiddenSize < 1 || b.numHeads < 1 || b.hiddenSize % b.numHeads != 0) {
            throw new IllegalArgumentException("hidden size " + b.hiddenSize + " must split into " + b.numHeads
                    + " heads and there must be at least one layer");
        }
        if (b.vocabSize < 1 || b.maxPositions < 1 || b.typeVocabSize < 1 || b.intermediateSize < 1) {
            throw new IllegalArgumentException("vocabulary, positions, token types and intermediate size must be positive");
        }
        numLayers = b.numLayers;
        hiddenSize = b.hiddenSize;
        numHeads = b.numHeads;
        intermediateSize = b.intermediateSize;
        vocabSize = b.vocabSize;
        maxPositions = b.maxPositions;
        typeVocabSize = b.typeVocabSize;
        layerNormEps = b.layerNormEps;
        hiddenDropout = b.hiddenDropout;
        attentionDropout = b.attentionDropout;
    }

    /** bert-base-uncased: 12 layers, 768 hidden, 12 heads, 3072 intermediate, 30522 words, 512 positions. */
    public static BertConfig base() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int numLayers() {
        return numLayers;
    }

    public int hiddenSize() {
        return hiddenSize;
    }

    public int numHeads() {
        return numHeads;
    }

    public int intermediateSize() {
        return intermediateSize;
    }

    public int vocabSize() {
        return vocabSize;
    }

    public int maxPositions() {
        return maxPositions;
    }

    public int typeVocabSize() {
        return typeVocabSize;
    }

    public float layerNormEps() {
        return layerNormEps;
    }

    public float hiddenDropout() {
        return hiddenDropout;
    }

    public float attentionDropout() {
        return attentionDropout;
    }

    @Override
    public String toString() {
        return "BertConfig{layers=" + numLayers + ", hidden=" + hiddenSize + ", heads=" + numHeads
                + ", intermediate=" + intermediateSize + ", vocab=" + vocabSize + ", positions=" + maxPositions + "}";
    }

    /** Every knob defaults to bert-base-uncased (dropout 0.1 on hidden states and attention probabilities). */
    public static final class Builder {
        private int numLayers = 12;
        private int hiddenSize = 768;
        private int numHeads = 12;
        private int intermediateSize = 3072;
        private int vocabSize = 30522;
        private int maxPositions = 512;
        private int typeVocabSize = 2;
        private float layerNormEps = 1e-12f;
        private float hiddenDropout = 0.1f;
        private float attentionDropout = 0.1f;

        public Builder optNumLayers(int v) {
            numLayers = v;
            return this;
        }

        public Builder optHiddenSize(int v) {
            hiddenSize = v;
            return this;
        }

        public Builder optNumHeads(int v) {
            numHeads = v;
            return this;
        }

        public Builder optIntermediateSize(int v) {
            intermediateSize = v;
            return this;
        }

        public Builder optVocabSize(int v) {
            vocabSize = v;
            return this;
        }

        public Builder optMaxPositions(int v) {
            maxPositions = v;
            return this;
        }

        public Builder optTypeVocabSize(int v) {
            typeVocabSize = v;
            return this;
        }

        public Builder optLayerNormEps(float v) {
            layerNormEps = v;
            return this;
        }

        public Builder optHiddenDropout(float v) {
            hiddenDropout = v;
            return this;
        }

        public Builder optAttentionDropout(float v) {
            attentionDropout = v;
            return this;
        }

        public BertConfig build() {
            return new BertConfig(this);
        }
    }
}
