package io.rrsis4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

/**
 * T-BTD, the Target-Background TwinStream Decoder (BTDNET.md "T-BTD").
 *
 * <p>Inputs: the four fused, output-normed stage maps V1'..V4' (B, Ci, H/4·2^-i, ...) at strides 4, 8, 16, 32, and
 * the sentence vector s (B, D). Outputs, named: "logits" (B, 2, 4·H1, 4·W1) = channels (background, target) at the
 * input size, "target" Pt (B, 1, H1, W1), "background" Pb (B, 1, H1, W1). With {@code twinStream = false}
 * (ablation "T-BTD off") the output is "logits" only.
 *
 * <pre>
 * MCI:  Li = ReLU(BN(conv1x1(Vi'))) to D channels;  P4 = Context(L4);  Pi = ConvBnRelu3x3(Li + up(Pi+1)), i = 3..1
 * Fg-Bg: Ft = F (1 + gamma(s)) + beta(s)  (FiLM);  Pt = conv3x3(ConvBnRelu3x3(Ft));  Pb = conv3x3(ConvBnRelu3x3(F))
 *        logits = a [Pb, Pt] + b           a scalar (init 1), b per channel (init 0), upsampled bilinearly x4
 * </pre>
 * b is a 2-vector: one shared bias would cancel in the softmax over the two channels and never learn.
 * With {@code presence} (generalized referring segmentation) a {@link PresenceHead} on the target stream (on F and the
 * target-minus-background logit with T-BTD off) adds the output "presence" (B, 1), last in the list.
 */
public final class TwinStreamDecoder extends AbstractBlock {
    private final int[] stageChannels;
    private final int textWidth;
    private final int channels;
    private final boolean twinStream;

    private final ConvBnRelu[] lateral = new ConvBnRelu[4];
    private final ContextBlock context;
    private final ConvBnRelu[] smooth = new ConvBnRelu[3];
    // twin stream
    private final Linear filmGamma;
    private final Linear filmBeta;
    private final ConvBnRelu targetHidden;
    private final Conv2d targetOut;
    private final ConvBnRelu backgroundHidden;
    private final Conv2d backgroundOut;
    private final Parameter jointScale;
    private final Parameter jointBias;
    // single stream
    private final Conv2d singleHead;
    // generalized referring segmentation, or null
    private final PresenceHead presence;

    /**
     * @param stageChannels C1..C4 of the encoder stages
     * @param textWidth D of the sentence vector
     * @param channels decoder width (256 in the paper's setting)
     * @param contextDilations dilations of the context block's 3 x 3 branches (1, 6, 12)
     * @param twinStream false for the "T-BTD off" ablation
     */
    public TwinStreamDecoder(int[] stageChannels, int textWidth, int channels, int[] contextDilations, boolean twinStream) {
        this(stageChannels, textWidth, channels, contextDilations, twinStream, false);
    }

    /** @param presence with the target-presence head of generalized referring segmentation */
    public TwinStreamDecoder(int[] stageChannels, int textWidth, int channels, int[] contextDilations, boolean twinStream,
                             boolean presence) {
        if (stageChannels.length != 4) {
            throw new IllegalArgumentException("the decoder takes 4 stage maps, got " + stageChannels.length);
        }
        this.stageChannels = stageChannels.clone();
        this.textWidth = textWidth;
        this.channels = channels;
        this.twinStream = twinStream;
        for (int i = 0; i < 4; i++) {
            lateral[i] = addChildBlock("lateral" + i, new ConvBnRelu(stageChannels[i], channels, 1, 1));
        }
        context = addChildBlock("context", new ContextBlock(channels, contextDilations));
        for (int i = 0; i < 3; i++) {
            smooth[i] = addChildBlock("smooth" + i, new ConvBnRelu(channels, channels, 3, 1));
        }
        if (twinStream) {
            filmGamma = addChildBlock("film_gamma", Layers.linear(channels, true));
            filmBeta = addChildBlock("film_beta", Layers.linear(channels, true));
            targetHidden = addChildBlock("target_hidden", new ConvBnRelu(channels, channels, 3, 1));
            targetOut = addChildBlock("target_out", Layers.conv(3, 1, 1, 1, true));
            backgroundHidden = addChildBlock("background_hidden", new ConvBnRelu(channels, channels, 3, 1));
            backgroundOut = addChildBlock("background_out", Layers.conv(3, 1, 1, 1, true));
            jointScale = addParameter(Parameter.builder().setName("joint_scale").setType(Parameter.Type.OTHER)
                    .optInitializer(new ConstantInitializer(1f)).optShape(new Shape(1)).build());
            jointBias = addParameter(Parameter.builder().setName("joint_bias").setType(Parameter.Type.OTHER)
                    .optInitializer(new ConstantInitializer(0f)).optShape(new Shape(2)).build());
            singleHead = null;
        } else {
            filmGamma = null;
            filmBeta = null;
            targetHidden = null;
            targetOut = null;
            backgroundHidden = null;
            backgroundOut = null;
            jointScale = null;
            jointBias = null;
            singleHead = addChildBlock("head", Layers.conv(3, 2, 1, 1, true));
        }
        this.presence = presence ? addChildBlock("presence", new PresenceHead(channels, textWidth)) : null;
    }

    public boolean isTwinStream() {
        return twinStream;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        // top-down from the context-enriched stride-32 map to stride 4, each level a piece (ForwardScope): its lateral
        // projection, sum and smoothing are gone before the next level runs
        NDArray p = ForwardScope.array(() -> Layers.apply(context, ps, lateral(ps, inputs, 3, training), training),
                inputs.get(3));
        for (int i = 2; i >= 0; i--) {
            int level = i;
            NDArray coarser = p;
            p = ForwardScope.array(() -> {
                NDArray lat = lateral(ps, inputs, level, training);
                Shape s = lat.getShape();
                return Layers.apply(smooth[level], ps, lat.add(Layers.resizeBilinear(coarser, s.get(2), s.get(3))),
                        training);
            }, inputs.get(level), coarser);
        }
        NDArray fused = p; // F: (B, D, H1, W1)
        long outH = fused.getShape().get(2) * 4;
        long outW = fused.getShape().get(3) * 4;
        if (!twinStream) {
            NDArray small = Layers.apply(singleHead, ps, fused, training);
            NDArray logits = Layers.resizeBilinear(small, outH, outW);
            logits.setName("logits");
            NDList out = new NDList(logits);
            if (presence != null) {
                NDArray evidence = small.get(":,1:2").sub(small.get(":,0:1"));
                out.add(presence.forward(ps, new NDList(fused, evidence, inputs.get(4)), training).singletonOrThrow());
            }
            return out;
        }
        NDArray sentence = inputs.get(4); // (B, D_text)
        long b = sentence.getShape().get(0);
        NDList target = ForwardScope.list(() -> {
            NDArray gamma = Layers.apply(filmGamma, ps, sentence, training).reshape(b, channels, 1, 1);
            NDArray beta = Layers.apply(filmBeta, ps, sentence, training).reshape(b, channels, 1, 1);
            NDArray targetIn = fused.mul(gamma.add(1)).add(beta);
            NDArray features = Layers.apply(targetHidden, ps, targetIn, training);
            return new NDList(features, Layers.apply(targetOut, ps, features, training));
        }, fused, sentence);
        NDArray targetFeatures = target.get(0); // the presence head reads the target stream's features
        NDArray pt = target.get(1);
        NDArray pb = ForwardScope.array(() -> Layers.apply(backgroundOut, ps,
                Layers.apply(backgroundHidden, ps, fused, training), training), fused);
        NDArray a = ps.getValue(jointScale, fused.getDevice(), training);
        NDArray bias = ps.getValue(jointBias, fused.getDevice(), training);
        NDArray scaled = NDArrays.concat(new NDList(pb, pt), 1).mul(a);
        NDArray channelBias = bias.reshape(1, 2, 1, 1);
        channelBias.attach(scaled.getManager()); // a per-step view: freed with the step, not kept with the weights
        NDArray joint = scaled.add(channelBias);
        NDArray logits = Layers.resizeBilinear(joint, outH, outW);
        logits.setName("logits");
        pt.setName("target");
        pb.setName("background");
        NDList out = new NDList(logits, pt, pb);
        if (presence != null) {
            out.add(presence.forward(ps, new NDList(targetFeatures, pt, sentence), training).singletonOrThrow());
        }
        return out;
    }

    private NDArray lateral(ParameterStore ps, NDList inputs, int i, boolean training) {
        return Layers.apply(lateral[i], ps, inputs.get(i), training);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (int i = 0; i < 4; i++) {
            lateral[i].initialize(manager, dataType, new Shape(1, stageChannels[i], 8, 8));
        }
        Shape map = new Shape(1, channels, 8, 8);
        context.initialize(manager, dataType, map);
        for (ConvBnRelu s : smooth) {
            s.initialize(manager, dataType, map);
        }
        if (twinStream) {
            filmGamma.initialize(manager, dataType, new Shape(1, textWidth));
            filmBeta.initialize(manager, dataType, new Shape(1, textWidth));
            targetHidden.initialize(manager, dataType, map);
            targetOut.initialize(manager, dataType, map);
            backgroundHidden.initialize(manager, dataType, map);
            backgroundOut.initialize(manager, dataType, map);
        } else {
            singleHead.initialize(manager, dataType, map);
        }
        if (presence != null) {
            presence.initialize(manager, dataType, map, new Shape(1, 1, 8, 8), new Shape(1, textWidth));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s1 = inputShapes[0];
        long b = s1.get(0);
        Shape logits = new Shape(b, 2, s1.get(2) * 4, s1.get(3) * 4);
        Shape stream = new Shape(b, 1, s1.get(2), s1.get(3));
        java.util.List<Shape> out = new java.util.ArrayList<>(twinStream ? java.util.List.of(logits, stream, stream)
                : java.util.List.of(logits));
        if (presence != null) {
            out.add(new Shape(b, 1));
        }
        return out.toArray(new Shape[0]);
    }
}
