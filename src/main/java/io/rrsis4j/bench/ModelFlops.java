package io.rrsis4j.bench;

import io.rrsis4j.model.BidirectionalSpatialCorrelation;
import io.rrsis4j.model.BtdNetConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Floating-point operations of one BTDNet forward pass per image, counted analytically from the configuration
 * (1 multiply-add = 2 FLOPs). Only the matrix products and convolutions are counted (norms, softmax, activations
 * and gathers are a few percent and memory-bound); window attention is counted over the padded windows the model
 * actually runs, the qkv and output projections over the real tokens (as SwinBackbone runs them).
 */
public final class ModelFlops {
    private final BtdNetConfig config;
    private final Map<String, Double> forward = new LinkedHashMap<>();
    private final Map<String, Double> erasedPass = new LinkedHashMap<>();

    public ModelFlops(BtdNetConfig config) {
        this.config = config;
        count();
    }

    /** Component name -> FLOPs per image of the inference forward (no D-MOLS pass), in data-flow order. */
    public Map<String, Double> forwardByComponent() {
        return new LinkedHashMap<>(forward);
    }

    /** FLOPs per image of the inference forward. */
    public double forwardTotal() {
        return forward.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** Extra FLOPs per image of a training forward: the erased-sentence encoder pass and the D-MOLS head. */
    public double erasedPassTotal() {
        return erasedPass.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** Training step per image: forward with the erased pass, backward counted as twice the forward (the usual 3x). */
    public double trainingStepTotal() {
        double f = forwardTotal() + (config.dmols() ? erasedPassTotal() : 0);
        return 3 * f;
    }

    private static double mm(double m, double k, double n) {
        return 2 * m * k * n;
    }

    private void add(Map<String, Double> into, String name, double flops) {
        into.merge(name, flops, Double::sum);
    }

    private void count() {
        int s = config.imageSize();
        int n = config.maxTokens();
        int d = config.bertHidden();
        int[] ch = config.stageChannels();
        int ws = config.swinWindow();
        int dd = config.decoderChannels();

        Map<String, Double> bert = new LinkedHashMap<>();
        double bertLayer = mm(n, d, 3 * d) + 2 * mm(n, n, d) + mm(n, d, d) + mm(n, d, config.bertIntermediate())
                + mm(n, config.bertIntermediate(), d);
        add(bert, "bert (" + config.bertLayers() + " layers)", config.bertLayers() * bertLayer);

        Map<String, Double> encoder = new LinkedHashMap<>();
        int h = s / 4;
        add(encoder, "swin patch_embed", mm((double) h * h, 3 * 16, ch[0]));
        double[] tokens = new double[4];
        for (int i = 0; i < 4; i++) {
            int c = ch[i];
            double t = (double) h * h;
            tokens[i] = t;
            int hp = ceilDiv(h, ws) * ws;
            double tp = (double) hp * hp; // tokens in the padded windows
            // qkv and output projections on the real tokens (SwinBlock.apply), attention over the padded windows
            double block = mm(t, c, 3 * c) + 2 * mm(tp, ws * ws, c) + mm(t, c, c)
                    + 2 * mm(t, c, c * config.swinMlpRatio());
            add(encoder, "swin stage" + (i + 1) + " (" + config.swinDepths().get(i) + " blocks, " + h + "x" + h + ")",
                    config.swinDepths().get(i) * block);
            // BSC (BidirectionalSpatialCorrelation.forwardInternal)
            double bsc = 2 * 9 * t * c // depthwise 3x3
                    + mm(t, c, c) // pointwise
                    + mm(t, c, c) // query
                    + 2 * mm(n, d, c) // key, word value
                    + 2 * mm(t, n, c) // correlation and its image-to-text read
                    + mm(t, c, c) // fusion projection
                    + 2 * mm(t, c, c); // visual gate
            if (config.bscPositions()) {
                bsc += mm(t, BidirectionalSpatialCorrelation.POSITION_FEATURES, c); // position projection
            }
            if (config.bsc()) {
                bsc += mm(t, c, c) // pixel value
                        + mm(n, t, c) // text-to-image read
                        + mm(n, c, d) // word out
                        + 2 * mm(n, d, d); // word gate
            }
            add(encoder, "bsc" + i, bsc);
            if (i < 3) {
                int h2 = (h + 1) / 2;
                add(encoder, "swin patch_merging" + (i + 1), mm((double) h2 * h2, 4 * c, 2 * c));
                h = h2;
            }
        }

        Map<String, Double> decoder = new LinkedHashMap<>();
        double lateral = 0;
        for (int i = 0; i < 4; i++) {
            lateral += mm(tokens[i], ch[i], dd);
        }
        add(decoder, "decoder lateral 1x1", lateral);
        int branches = config.contextDilations().size();
        add(decoder, "decoder context", branches * mm(tokens[3], 9.0 * dd, dd) + mm(1, dd, dd)
                + mm(tokens[3], (branches + 1.0) * dd, dd));
        add(decoder, "decoder smooth 3x3", mm(tokens[2], 9.0 * dd, dd) + mm(tokens[1], 9.0 * dd, dd)
                + mm(tokens[0], 9.0 * dd, dd));
        if (config.tbtd()) {
            add(decoder, "decoder twin streams", 2 * mm(1, d, dd) + 2 * mm(tokens[0], 9.0 * dd, dd)
                    + 2 * mm(tokens[0], 9.0 * dd, 1));
        } else {
            add(decoder, "decoder head", mm(tokens[0], 9.0 * dd, 2));
        }

        forward.putAll(bert);
        forward.putAll(encoder);
        forward.putAll(decoder);

        // erased pass: BERT + encoder again, then the D-MOLS head
        double enc = encoder.values().stream().mapToDouble(Double::doubleValue).sum();
        double b = bert.values().stream().mapToDouble(Double::doubleValue).sum();
        add(erasedPass, "erased pass (bert + swin + bsc)", b + enc);
        int m = (int) tokens[3];
        double recon = mm(m, ch[3], d);
        double crossLayer = mm(n, d, d) + 2 * mm(m, d, d) + 2 * mm(n, m, d) + mm(n, d, d)
                + 2 * mm(n, d, config.bertIntermediate());
        recon += config.reconstructionLayers() * crossLayer + mm(n, d, d) + mm(n, d, config.vocabSize());
        add(erasedPass, "d-mols head", recon);
    }

    /** Extra components of the training forward (erased pass and D-MOLS head), per image. */
    public Map<String, Double> erasedPassByComponent() {
        return new LinkedHashMap<>(erasedPass);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
