package io.rrsis4j.model.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.rrsis4j.data.ImageTransforms;
import io.rrsis4j.data.text.TokenizedSentence;
import io.rrsis4j.data.text.WordPieceTokenizer;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Packs (image, sentence) pairs into the network's inputs, the one place that does it for training,
 * evaluation and inference: image (B, 3, S, S) float32 ImageNet-normalised, ids (B, N) int64,
 * attention (B, N) int64.
 */
public final class ModelInputs {
    private ModelInputs() {}

    /** Images already transformed to CHW floats (3 * S * S each) and their tokenized sentences. */
    public static NDList of(NDManager manager, List<float[]> chwImages, List<TokenizedSentence> sentences, int size) {
        int batch = chwImages.size();
        int plane = 3 * size * size;
        float[] pixels = new float[batch * plane];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(chwImages.get(b), 0, pixels, b * plane, plane);
        }
        int n = sentences.get(0).ids().length;
        long[] ids = new long[batch * n];
        long[] attention = new long[batch * n];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(sentences.get(b).ids(), 0, ids, b * n, n);
            System.arraycopy(sentences.get(b).attentionMask(), 0, attention, b * n, n);
        }
        NDArray image = manager.create(pixels, new Shape(batch, 3, size, size));
        return new NDList(image, manager.create(ids, new Shape(batch, n)), manager.create(attention, new Shape(batch, n)));
    }

    /** Raw images and sentences: resize, normalise and tokenize, then pack. */
    public static NDList of(NDManager manager, List<BufferedImage> images, List<String> sentences,
                            WordPieceTokenizer tokenizer, int size) {
        List<float[]> chw = images.stream().map(img -> ImageTransforms.toNormalizedChw(img, size)).toList();
        List<TokenizedSentence> tokens = sentences.stream().map(tokenizer::encode).toList();
        return of(manager, chw, tokens, size);
    }

    /** Ground-truth masks already at S x S (0/1 bytes) as a (B, S, S) int8 array. */
    public static NDArray masks(NDManager manager, List<byte[]> masks, int size) {
        return masks(manager, masks, size, size);
    }

    /** Masks of width x height (0/1 bytes) as a (B, height, width) int8 array. */
    public static NDArray masks(NDManager manager, List<byte[]> masks, int width, int height) {
        int plane = width * height;
        byte[] all = new byte[masks.size() * plane];
        for (int b = 0; b < masks.size(); b++) {
            System.arraycopy(masks.get(b), 0, all, b * plane, plane);
        }
        return manager.create(java.nio.ByteBuffer.wrap(all), new Shape(masks.size(), height, width), ai.djl.ndarray.types.DataType.INT8);
    }
}
