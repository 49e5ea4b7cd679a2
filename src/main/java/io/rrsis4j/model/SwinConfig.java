package io.rrsis4j.model;

import java.util.Arrays;

/**
 * Sizes of a Swin Transformer backbone (Liu et al. 2021), immutable. Factories give the published sizes with
 * window 12 and patch 4 as LAVT/BTDNet use them (swin_*_patch4_window12_384); {@link #builder()} makes any other
 * size, e.g. tiny test models.
 */
public final class SwinConfig {
    private final int embedDim;
    private final int[] depths;
    private final int[] numHeads;
    private final int windowSize;
    private final int patchSize;
    private final int inChannels;
    private final float mlpRatio;
    private final float dropPathRate;
    private final float layerNormEps;

    private SwinConfig(Builder b) {
        if (b.depths.length != b.numHeads.length || b.depths.length == 0) {
            throw new IllegalArgumentException("depths and numHeads need one entry per stage");
        }
        for (int s = 0; s < b.depths.length; s++) {
            int dim = b.embedDim << s;
            if (b.depths[s] < 1 || b.numHeads[s] < 1 || dim % b.numHeads[s] != 0) {
                throw new IllegalArgumentException("stage " + s + ": width " + dim + " must split into "
                        + b.numHeads[s] + " heads and the stage needs at least one block");
            }
        }
        if (b.windowSize < 1 || b.patchSize < 1 || b.embedDim < 1 || b.dropPathRate < 0 || b.dropPathRate >= 1) {
            throw new IllegalArgumentException("window, patch and width must be positive, drop path in [0, 1)");
        }
        this.embedDim = b.embedDim;
        this.depths = b.depths.clone();
        this.numHeads = b.numHeads.clone();
        this.windowSize = b.windowSize;
        this.patchSize = b.patchSize;
        this.inChannels = b.inChannels;
        this.mlpRatio = b.mlpRatio;
        this.dropPathRate = b.dropPathRate;
        this.layerNormEps = b.layerNormEps;
    }

    /** Swin-T: 96, depths 2-2-6-2, heads 3-6-12-24. */
    public static SwinConfig tiny() {
        return builder().setEmbedDim(96).setDepths(2, 2, 6, 2).setNumHeads(3, 6, 12, 24).optDropPathRate(0.2f).build();
    }

    /** Swin-S: 96, depths 2-2-18-2, heads 3-6-12-24. */
    public static SwinConfig small() {
        return builder().setEmbedDim(96).setDepths(2, 2, 18, 2).setNumHeads(3, 6, 12, 24).optDropPathRate(0.3f).build();
    }

    /** Swin-B: 128, depths 2-2-18-2, heads 4-8-16-32, drop path 0.3 as LAVT trains it. */
    public static SwinConfig base() {
        return builder().setEmbedDim(128).setDepths(2, 2, 18, 2).setNumHeads(4, 8, 16, 32).optDropPathRate(0.3f).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this config's values, to change one knob. */
    public Builder toBuilder() {
        return builder().setEmbedDim(embedDim).setDepths(depths).setNumHeads(numHeads).optWindowSize(windowSize)
                .optPatchSize(patchSize).optInChannels(inChannels).optMlpRatio(mlpRatio)
                .optDropPathRate(dropPathRate).optLayerNormEps(layerNormEps);
    }

    public int embedDim() {
        return embedDim;
    }

    public int numStages() {
        return depths.length;
    }

    public int depth(int stage) {
        return depths[stage];
    }

    public int[] depths() {
        return depths.clone();
    }

    public int heads(int stage) {
        return numHeads[stage];
    }

    /** Channels of stage {@code stage}: embedDim * 2^stage. */
    public int stageDim(int stage) {
        return embedDim << stage;
    }

    public int windowSize() {
        return windowSize;
    }

    public int patchSize() {
        return patchSize;
    }

    public int inChannels() {
        return inChannels;
    }

    public float mlpRatio() {
        return mlpRatio;
    }

    public float dropPathRate() {
        return dropPathRate;
    }

    public float layerNormEps() {
        return layerNormEps;
    }

    /** Total number of transformer blocks. */
    public int totalBlocks() {
        return Arrays.stream(depths).sum();
    }

    @Override
    public String toString() {
        return "SwinConfig{embedDim=" + embedDim + ", depths=" + Arrays.toString(depths) + ", heads="
                + Arrays.toString(numHeads) + ", window=" + windowSize + ", patch=" + patchSize + ", mlpRatio="
                + mlpRatio + ", dropPath=" + dropPathRate + "}";
    }

    /** Required: embed dim, depths, heads. Optional with defaults: window 12, patch 4, 3 input channels, mlp ratio 4,
     * drop path 0.3, LayerNorm eps 1e-5. */
    public static final class Builder {
        private int embedDim = -1;
        private int[] depths = new int[0];
        private int[] numHeads = new int[0];
        private int windowSize = 12;
        private int patchSize = 4;
        private int inChannels = 3;
        private float mlpRatio = 4f;
        private float dropPathRate = 0.3f;
        private float layerNormEps = 1e-5f;

        public Builder setEmbedDim(int embedDim) {
            this.embedDim = embedDim;
            return this;
        }

        public Builder setDepths(int... depths) {
            this.depths = depths.clone();
            return this;
        }

        public Builder setNumHeads(int... numHeads) {
            this.numHeads = numHeads.clone();
            return this;
        }

        public Builder optWindowSize(int windowSize) {
            this.windowSize = windowSize;
            return this;
        }

        public Builder optPatchSize(int patchSize) {
            this.patchSize = patchSize;
            return this;
        }

        public Builder optInChannels(int inChannels) {
            this.inChannels = inChannels;
            return this;
        }

        public Builder optMlpRatio(float mlpRatio) {
            this.mlpRatio = mlpRatio;
            return this;
        }

        public Builder optDropPathRate(float dropPathRate) {
            this.dropPathRate = dropPathRate;
            return this;
        }

        public Builder optLayerNormEps(float layerNormEps) {
            this.layerNormEps = layerNormEps;
            return this;
        }

        public SwinConfig build() {
            return new SwinConfig(this);
        }
    }
}
