package io.rrsis4j.bench;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.rrsis4j.data.ImageTransforms;
import io.rrsis4j.data.Images;
import io.rrsis4j.data.ReferringSample;
import io.rrsis4j.data.text.EntityEraser;
import io.rrsis4j.data.text.TokenizedSentence;
import io.rrsis4j.data.text.WordPieceTokenizer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The training input pipeline at full speed: background threads read and decode each image and mask, resize and
 * normalise them as the reference loaders do, tokenize the sentence and erase its entity words (D-MOLS), and pack
 * batches into the flat float/long arrays the network takes; the consumer turns each batch into NDArrays.
 */
public final class DataBenchmark {
    private final List<ReferringSample> samples;
    private final WordPieceTokenizer tokenizer;
    private final int size;
    private final int batch;
    private final int threads;

    /** One packed batch: image (B, 3, S, S), ids / attention / erased ids / labels (B, N), masks (B, S, S). */
    public record Batch(float[] images, long[] ids, long[] attention, long[] erased, long[] labels, byte[] masks,
                        int count) {}

    public DataBenchmark(List<ReferringSample> samples, WordPieceTokenizer tokenizer, int size, int batch, int threads) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples to load");
        }
        this.samples = samples;
        this.tokenizer = tokenizer;
        this.size = size;
        this.batch = batch;
        this.threads = threads;
    }

    /** Loads one batch starting at sample index {@code first} (wrapping around the split). */
    public Batch load(int first, Random random) {
        int n = tokenizer.maxTokens();
        int plane = 3 * size * size;
        Batch out = new Batch(new float[batch * plane], new long[batch * n], new long[batch * n], new long[batch * n],
                new long[batch * n], new byte[batch * size * size], batch);
        EntityEraser eraser = new EntityEraser(tokenizer);
        for (int b = 0; b < batch; b++) {
            ReferringSample s = samples.get((first + b) % samples.size());
            BufferedImage img = Images.read(s.imagePath());
            System.arraycopy(ImageTransforms.toNormalizedChw(img, size), 0, out.images(), b * plane, plane);
            try {
                byte[] mask = ImageTransforms.maskToSize(s.mask().load(), size);
                System.arraycopy(mask, 0, out.masks(), b * size * size, size * size);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            TokenizedSentence t = tokenizer.encode(s.sentence());
            EntityEraser.ErasedSentence e = eraser.eraseEntityWords(t, random);
            System.arraycopy(t.ids(), 0, out.ids(), b * n, n);
            System.arraycopy(t.attentionMask(), 0, out.attention(), b * n, n);
            System.arraycopy(e.ids(), 0, out.erased(), b * n, n);
            System.arraycopy(e.labels(), 0, out.labels(), b * n, n);
        }
        return out;
    }

    /**
     * Loads {@code batches} batches with the background threads and hands each to NDArrays in {@code manager}.
     *
     * @return samples per second, wall clock from the first request to the last batch's arrays
     */
    public double samplesPerSecond(NDManager manager, int batches) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "bench-loader");
            t.setDaemon(true);
            return t;
        });
        BlockingQueue<Future<Batch>> queue = new ArrayBlockingQueue<>(2 * threads + 1);
        AtomicInteger next = new AtomicInteger();
        long t0 = System.nanoTime();
        try {
            int submitted = 0;
            int consumed = 0;
            while (consumed < batches) {
                while (submitted < batches && queue.remainingCapacity() > 0) {
                    int first = next.getAndAdd(batch);
                    long seed = submitted;
                    queue.add(pool.submit(() -> load(first, new Random(seed))));
                    submitted++;
                }
                Batch b = queue.take().get();
                int n = tokenizer.maxTokens();
                try (NDManager step = manager.newSubManager()) {
                    Shape text = new Shape(b.count(), n);
                    NDList in = new NDList(step.create(b.images(), new Shape(b.count(), 3, size, size)),
                            step.create(b.ids(), text), step.create(b.attention(), text), step.create(b.erased(), text));
                    step.create(java.nio.ByteBuffer.wrap(b.masks()), new Shape(b.count(), size, size),
                            ai.djl.ndarray.types.DataType.INT8);
                    step.create(b.labels(), text);
                    in.size();
                }
                consumed++;
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("loading failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
        return (double) batches * batch / ((System.nanoTime() - t0) / 1e9);
    }
}
