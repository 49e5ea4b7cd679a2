package io.rrsis4j.model.runtime;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.util.NDImageUtils;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.rrsis4j.data.ImageTransforms;
import io.rrsis4j.data.text.TokenizedSentence;
import io.rrsis4j.data.text.WordPieceTokenizer;
import io.rrsis4j.model.BtdNet;
import io.rrsis4j.model.WordAttention;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a trained BTDNet forward in inference mode (no D-MOLS pass, no gradient bookkeeping) and turns
 * the two-channel logits into the target probability softmax(logits)[target]. The one inference path
 * that evaluation, the CLI, the server and tiled scenes share. A generalized model's presence probability
 * sigmoid(presence) goes through the {@link PresenceRule} here: a pair judged absent has zero target probability,
 * so every caller's mask of it is empty.
 */
public final class Predictor {
    private final BtdNet net;
    private final WordPieceTokenizer tokenizer;
    private final NDManager manager;
    private final Precision precision;
    /** Lower precision: the converted weights, made once and kept with the model (its weights no longer change). */
    private final ParameterStore lowPrecisionWeights;
    private final PresenceRule presenceRule;

    /** What the model answers for a batch: target probability (B, S, S), the presence rule applied, and presence. */
    public record Output(NDArray probability, NDArray presence) {
        /** Presence of pair b (unjudged for a model without the head). */
        public Presence presenceOf(int b, PresenceRule rule) {
            return presence == null ? Presence.UNJUDGED : rule.judge(presence.getFloat(b));
        }
    }

    /** One pair's answer at its image's size: probability per pixel, row-major, and the presence verdict. */
    public record ImagePrediction(float[] probability, Presence presence) {}

    /** @param manager the manager holding the network's parameters; per-call arrays live in sub-managers of it */
    public Predictor(BtdNet net, WordPieceTokenizer tokenizer, NDManager manager) {
        this(net, tokenizer, manager, Precision.FP32, null, PresenceRule.defaults());
    }

    private Predictor(BtdNet net, WordPieceTokenizer tokenizer, NDManager manager, Precision precision,
                      ParameterStore lowPrecisionWeights, PresenceRule presenceRule) {
        this.net = net;
        this.tokenizer = tokenizer;
        this.manager = manager;
        this.precision = precision;
        this.lowPrecisionWeights = precision == Precision.FP32 || lowPrecisionWeights != null ? lowPrecisionWeights
                : precision.parameters(manager);
        this.presenceRule = presenceRule;
    }

    /**
     * This model run forward in {@code precision} (its float32 weights are kept; probabilities come back in float32).
     * Only for a model whose weights no longer change: the converted weights are made once.
     */
    public Predictor inPrecision(Precision precision) {
        return precision == this.precision ? this : new Predictor(net, tokenizer, manager, precision, null, presenceRule);
    }

    /** This model answering "no target" below another presence threshold (no effect without a presence head). */
    public Predictor withPresenceRule(PresenceRule rule) {
        return rule.equals(presenceRule) ? this
                : new Predictor(net, tokenizer, manager, precision, lowPrecisionWeights, rule);
    }

    public PresenceRule presenceRule() {
        return presenceRule;
    }

    /** Whether the model has a presence head (a generalized configuration). */
    public boolean hasPresence() {
        return net.config().generalized();
    }

    public Precision precision() {
        return precision;
    }

    public BtdNet net() {
        return net;
    }

    public WordPieceTokenizer tokenizer() {
        return tokenizer;
    }

    /** The manager holding the model; take per-call sub-managers from it. */
    public NDManager manager() {
        return manager;
    }

    public int inputSize() {
        return net.config().imageSize();
    }

    /**
     * Target probability (B, S, S) at the model resolution for packed inputs (see {@link ModelInputs}), in the
     * inputs' manager.
     */
    public NDArray targetProbability(NDList inputs) {
        return predict(inputs).probability();
    }

    /** Target probability (the presence rule applied) and presence (B), or null without a head, in the inputs' manager. */
    public Output predict(NDList inputs) {
        NDManager scope = inputs.head().getManager();
        NDList out = precision == Precision.FP32
                ? net.forward(new ParameterStore(scope, false), inputs, false)
                : net.forward(lowPrecisionWeights, precision.inputs(inputs), false);
        NDArray probability = out.get(0).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).softmax(1).get(":,1");
        NDArray presence = null;
        NDArray logit = hasPresence() ? out.get("presence") : null;
        if (logit != null) {
            presence = logit.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).reshape(-1).getNDArrayInternal().sigmoid();
            presence.attach(scope);
            probability = presenceRule.apply(probability, presence);
        }
        probability.attach(scope);
        return new Output(probability, presence);
    }

    /** Target probability per pixel at the model resolution, S * S floats per pair, row-major. */
    public List<float[]> atModelSize(List<BufferedImage> images, List<String> sentences) {
        try (NDManager step = manager.newSubManager()) {
            NDArray p = targetProbability(ModelInputs.of(step, images, sentences, tokenizer, inputSize()));
            List<float[]> out = new ArrayList<>();
            for (int b = 0; b < images.size(); b++) {
                out.add(p.get(b).toFloatArray());
            }
            return out;
        }
    }

    /** Target probability per pixel at each image's own size (bilinear upsampling of the model output). */
    public List<float[]> atImageSize(List<BufferedImage> images, List<String> sentences) {
        return predictAtImageSize(images, sentences).stream().map(ImagePrediction::probability).toList();
    }

    /** Target probability per pixel at each image's own size and each pair's presence verdict. */
    public List<ImagePrediction> predictAtImageSize(List<BufferedImage> images, List<String> sentences) {
        try (NDManager step = manager.newSubManager()) {
            Output o = predict(ModelInputs.of(step, images, sentences, tokenizer, inputSize()));
            List<ImagePrediction> out = new ArrayList<>();
            for (int b = 0; b < images.size(); b++) {
                BufferedImage img = images.get(b);
                out.add(new ImagePrediction(resize(o.probability().get(b), img.getWidth(), img.getHeight()).toFloatArray(),
                        o.presenceOf(b, presenceRule)));
            }
            return out;
        }
    }

    /** Each word piece's text-to-image attention in every BSC stage, for one image and sentence. */
    public WordAttention wordAttention(BufferedImage image, String sentence) {
        TokenizedSentence tokens = tokenizer.encode(sentence);
        try (NDManager step = manager.newSubManager()) {
            NDList in = ModelInputs.of(step, List.of(preprocess(image)), List.of(tokens), inputSize());
            NDList maps = net.wordAttention(new ParameterStore(step, false), in.get(0), in.get(1), in.get(2));
            List<WordAttention.Stage> stages = new ArrayList<>();
            for (NDArray m : maps) { // (1, N, H, W)
                int h = (int) m.getShape().get(2);
                int w = (int) m.getShape().get(3);
                float[][] perToken = new float[tokens.length()][];
                for (int t = 0; t < perToken.length; t++) {
                    perToken[t] = m.get(0, t).toFloatArray();
                }
                stages.add(new WordAttention.Stage(h, w, perToken));
            }
            return new WordAttention(tokens, stages);
        }
    }

    /** (S, S) probability -> (height, width), bilinear, clipped to [0, 1]. */
    public static NDArray resize(NDArray probability, int width, int height) {
        long[] shape = probability.getShape().getShape();
        if (shape[0] == height && shape[1] == width) {
            return probability;
        }
        NDArray hwc = probability.expandDims(2);
        return NDImageUtils.resize(hwc, width, height, Image.Interpolation.BILINEAR).squeeze(2).clip(0f, 1f);
    }

    /** The image resized and normalised as the model sees it (for callers that pack their own batches). */
    public float[] preprocess(BufferedImage image) {
        return ImageTransforms.toNormalizedChw(image, inputSize());
    }
}
