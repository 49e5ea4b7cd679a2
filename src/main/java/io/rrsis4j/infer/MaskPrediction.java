package io.rrsis4j.infer;

import io.rrsis4j.data.BinaryMask;
import io.rrsis4j.model.runtime.Predictor;
import io.rrsis4j.model.runtime.Presence;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * The mask of one (image, sentence) pair at the image's size, from the target probability: a pixel is the target when
 * its probability is above the threshold (0.5, as evaluation counts). The one per-pair path of {@code segment},
 * {@code segment --list} and the Spark job, so their masks are the same pixel for pixel.
 *
 * <p>A generalized model's presence verdict comes with it: a pair judged absent ({@link io.rrsis4j.model.runtime.PresenceRule})
 * has zero probability, so an empty mask, and {@link #noTarget()}.
 *
 * @param probability target probability per pixel, row-major, at the image's size
 * @param presence the model's presence verdict ({@link Presence#UNJUDGED} for a model without the head)
 */
public record MaskPrediction(BinaryMask mask, float[] probability, Presence presence) {

    public MaskPrediction(BinaryMask mask, float[] probability) {
        this(mask, probability, Presence.UNJUDGED);
    }

    public static final float DEFAULT_THRESHOLD = 0.5f;

    /** One forward pass over the batch (sentences checked by the segmenter), then each pair thresholded. */
    public static List<MaskPrediction> predict(Segmenter segmenter, List<BufferedImage> images, List<String> sentences,
                                               float threshold) {
        List<Predictor.ImagePrediction> predictions = segmenter.predict(images, sentences);
        List<MaskPrediction> out = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            BufferedImage image = images.get(i);
            float[] p = predictions.get(i).probability();
            out.add(new MaskPrediction(threshold(p, image.getWidth(), image.getHeight(), threshold), p,
                    predictions.get(i).presence()));
        }
        return out;
    }

    /** The model said the sentence names nothing in the image (its presence below the threshold). */
    public boolean noTarget() {
        return presence.absent();
    }

    /** Something was found: the mask has target pixels (never for a pair judged absent). */
    public boolean targetFound() {
        return !noTarget() && mask.count() > 0;
    }

    public static BinaryMask threshold(float[] probability, int width, int height, float threshold) {
        byte[] px = new byte[probability.length];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (probability[i] > threshold ? 1 : 0);
        }
        return new BinaryMask(width, height, px);
    }

    /** Target pixels. */
    public long area() {
        return mask.count();
    }

    /** Mean target probability over the mask's pixels; NaN for an empty mask. */
    public double meanProbability() {
        byte[] on = mask.pixels();
        double sum = 0;
        long n = 0;
        for (int i = 0; i < on.length; i++) {
            if (on[i] != 0) {
                sum += probability[i];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** COCO bounding box [x, y, width, height] of the target pixels; null for an empty mask. */
    public int[] boundingBox() {
        int w = mask.width();
        int h = mask.height();
        int x0 = w;
        int y0 = h;
        int x1 = -1;
        int y1 = -1;
        byte[] on = mask.pixels();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (on[y * w + x] != 0) {
                    x0 = Math.min(x0, x);
                    x1 = Math.max(x1, x);
                    y0 = Math.min(y0, y);
                    y1 = Math.max(y1, y);
                }
            }
        }
        return x1 < 0 ? null : new int[] {x0, y0, x1 - x0 + 1, y1 - y0 + 1};
    }
}
