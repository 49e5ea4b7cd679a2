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
 * that evaluation, the CLI, the server and tiled scenes share.
 */
public final class Predictor {
    private final BtdNet net;
    private final WordPieceTokenizer tokenizer;
    private final NDManager manager;
    private final Precision precision;
    /** Lower precision: the converted weights, made once and kept with the model (its weights no longer change). */
    private final ParameterStore lowPrecisionWeights;

    /** @param manager the manager holding the network's parameters; per-call arrays live in sub-managers of it */
    public Predictor(BtdNet net, WordPieceTokenizer tokenizer, NDManager manager) {
        this(net, tokenizer, manager, Precision.FP32);
    }

    private Predictor(BtdNet net, WordPieceTokenizer tokenizer, NDManager manager, Precision precision) {
        this.net = net;
        this.tokenizer = tokenizer;
        this.manager = manager;
        this.precision = precision;
        this.lowPrecisionWeights = precision == Precision.FP32 ? null : precision.parameters(manager);
    }

    /**
     * This model run forward in {@code precision} (its float32 weights are kept; probabilities come back in float32).
     * Only for a model whose weights no longer change: the converted weights are made once.
     */
    public Predictor inPrecision(Precision precision) {
        return precision == this.precision ? this : new Predictor(net, tokenizer, manager, precision);
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
        NDManager scope = inputs.head().getManager();
        NDList out = precision == Precision.FP32
                ? net.forward(new ParameterStore(scope, false), inputs, false)
                : net.forward(lowPrecisionWeights, precision.inputs(inputs), false);
        NDArray probability = out.get(0).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).softmax(1).get(":,1");
        probability.attach(scope);
        return probability;
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
        try (NDManager step = manager.newSubManager()) {
            NDArray p = targetProbability(ModelInputs.of(step, images, sentences, tokenizer, inputSize()));
            List<float[]> out = new ArrayList<>();
            for (int b = 0; b < images.size(); b++) {
                BufferedImage img = images.get(b);
                out.add(resize(p.get(b), img.getWidth(), img.getHeight()).toFloatArray());
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
