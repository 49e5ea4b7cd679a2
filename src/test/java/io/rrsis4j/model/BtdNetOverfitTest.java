package io.rrsis4j.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Micro BTDNet must fit four fixed synthetic (image, sentence, mask) samples whose target depends on the text. */
class BtdNetOverfitTest {
    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};

    /** Two scenes, each with a red square ("car") and a blue disc ("boat"); each sentence names one of them. */
    private record Sample(float[] image, float[] mask, String sentence) {}

    private static Sample draw(int size, int squareX, int squareY, int discX, int discY, boolean red) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        BufferedImage mask = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        Graphics2D gm = mask.createGraphics();
        g.setColor(new Color(90, 110, 80));
        g.fillRect(0, 0, size, size);
        int side = size / 4;
        g.setColor(Color.RED);
        g.fillRect(squareX, squareY, side, side);
        g.setColor(Color.BLUE);
        g.fillOval(discX, discY, side, side);
        gm.setColor(Color.WHITE);
        if (red) {
            gm.fillRect(squareX, squareY, side, side);
        } else {
            gm.fillOval(discX, discY, side, side);
        }
        g.dispose();
        gm.dispose();
        float[] chw = new float[3 * size * size];
        float[] m = new float[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int rgb = img.getRGB(x, y);
                for (int c = 0; c < 3; c++) {
                    float v = ((rgb >> (16 - 8 * c)) & 0xff) / 255f;
                    chw[c * size * size + y * size + x] = (v - MEAN[c]) / STD[c];
                }
                m[y * size + x] = (mask.getRaster().getSample(x, y, 0) > 127) ? 1f : 0f;
            }
        }
        return new Sample(chw, m, red ? "the red car" : "the blue boat");
    }

    @Test
    void microNetworkOverfitsFourSamples() {
        BtdNetConfig cfg = BtdNetConfig.micro();
        int s = cfg.imageSize();
        List<Sample> samples = List.of(
                draw(s, 8, 8, 60, 56, true), draw(s, 8, 8, 60, 56, false),
                draw(s, 62, 60, 10, 12, true), draw(s, 62, 60, 10, 12, false));
        int b = samples.size();
        float[] images = new float[b * 3 * s * s];
        float[] masks = new float[b * s * s];
        for (int i = 0; i < b; i++) {
            System.arraycopy(samples.get(i).image(), 0, images, i * 3 * s * s, 3 * s * s);
            System.arraycopy(samples.get(i).mask(), 0, masks, i * s * s, s * s);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            m.getEngine().setRandomSeed(5);
            BtdNet net = BtdNetTest.create(cfg, m);
            Map<String, Parameter> params = ParameterPaths.of(net);
            params.values().stream().filter(Parameter::requiresGradient).forEach(p -> p.getArray().setRequiresGradient(true));
            NDList text = BtdNetTest.text(m, samples.stream().map(Sample::sentence).toList(), new Random(9));
            long[] ids = text.get(0).toLongArray();
            long[] attention = text.get(1).toLongArray();
            long[] erased = text.get(2).toLongArray();
            long[] labels = text.get(3).toLongArray();
            Shape textShape = text.get(0).getShape();
            Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build();
            BtdNetLoss lossFn = new BtdNetLoss(cfg);
            float first = Float.NaN;
            float last = Float.NaN;
            int steps = 100;
            for (int step = 0; step < steps; step++) {
                try (NDManager sm = m.newSubManager()) {
                    BtdNetLoss.Terms loss;
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        gc.zeroGradients();
                        NDList in = new NDList(sm.create(images, new Shape(b, 3, s, s)), sm.create(ids, textShape),
                                sm.create(attention, textShape), sm.create(erased, textShape));
                        NDList out = net.forward(new ParameterStore(sm, false), in, true);
                        loss = lossFn.compute(out, sm.create(masks, new Shape(b, s, s)), sm.create(labels, textShape));
                        gc.backward(loss.total());
                    }
                    // the update runs outside the collector, as DJL's Trainer.step does
                    for (Parameter p : params.values()) {
                        if (p.requiresGradient()) {
                            adam.update(p.getId(), p.getArray(), p.getArray().getGradient());
                        }
                    }
                    float value = loss.total().getFloat();
                    if (step == 0) {
                        first = value;
                    }
                    last = value;
                }
            }
            double iou;
            try (NDManager sm = m.newSubManager()) {
                NDList in = new NDList(sm.create(images, new Shape(b, 3, s, s)), sm.create(ids, textShape),
                        sm.create(attention, textShape));
                NDArray logits = net.forward(new ParameterStore(sm, false), in, false).get("logits");
                NDArray pred = logits.get(":,1").gt(logits.get(":,0"));
                NDArray gt = sm.create(masks, new Shape(b, s, s)).gt(0.5f);
                NDArray inter = pred.logicalAnd(gt).toType(DataType.FLOAT32, false).sum(new int[] {1, 2});
                NDArray union = pred.logicalOr(gt).toType(DataType.FLOAT32, false).sum(new int[] {1, 2});
                iou = inter.div(union.maximum(1f)).mean().getFloat();
            }
            System.out.printf("overfit: loss %.4f -> %.4f after %d steps, inference mIoU %.3f%n", first, last, steps, iou);
            assertTrue(last < 0.5 * first, "loss " + first + " -> " + last);
            assertTrue(iou > 0.5, "train mIoU " + iou);
        }
    }
}
