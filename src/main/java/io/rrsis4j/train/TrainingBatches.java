package io.rrsis4j.train;

import io.rrsis4j.InvalidInputException;
import io.rrsis4j.data.ImageTransforms;
import io.rrsis4j.data.Images;
import io.rrsis4j.data.ReferringSample;
import io.rrsis4j.data.text.EntityEraser;
import io.rrsis4j.data.text.TokenizedSentence;
import io.rrsis4j.data.text.WordPieceTokenizer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The training batches, a pure function of (seed, step), read and augmented by background threads ahead of the
 * model. Because nothing depends on what came before, a resumed run sees exactly the batches an uninterrupted run
 * sees, and the only state to checkpoint is the step.
 *
 * <p>Order: each epoch visits every training sample (one per sentence) once, in a permutation drawn from
 * (seed, epoch); the last incomplete batch is dropped so every step has the same shape. Sampling sentences
 * uniformly rather than one sentence per ref per epoch keeps refs with more sentences more frequent, as training on
 * the flat sample list does; RRSIS-D's refs carry one to three sentences, so the difference is small.
 * Augmentation (RMSIN): with probability {@code occlusionShare} a sample gets 20..60 black boxes of side
 * 32 * S / 480 (at least 2 px). D-MOLS: the entity-erased ids and reconstruction labels of {@link EntityEraser}.
 * Arrays are plain Java arrays; NDArrays are made on the training thread.
 */
public final class TrainingBatches implements AutoCloseable {
    /** One batch: images (B, 3, S, S), masks (B, S, S) 0/1, ids/attention/erased/labels (B, N). */
    public record Batch(long step, int size, int count, float[] images, byte[] masks, long[] ids, long[] attention,
                        long[] erasedIds, long[] labels, int tokens) {}

    private final int threads;
    private final List<ReferringSample> samples;
    private final TrainConfig config;
    private final WordPieceTokenizer tokenizer;
    private final EntityEraser eraser;
    private final int size;
    private final int batch;
    private final ExecutorService pool;
    private final Map<Long, Future<Batch>> ahead = new HashMap<>();

    public TrainingBatches(List<ReferringSample> samples, TrainConfig config, WordPieceTokenizer tokenizer) {
        if (samples.isEmpty()) {
            throw new InvalidInputException("no training samples");
        }
        this.samples = List.copyOf(samples);
        this.config = config;
        this.tokenizer = tokenizer;
        this.eraser = new EntityEraser(tokenizer);
        this.size = config.model().imageSize();
        this.batch = Math.min(config.batchSize(), samples.size());
        this.threads = config.loaderThreads() > 0 ? config.loaderThreads()
                : threadsFor(Runtime.getRuntime().availableProcessors());
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "train-loader");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Loader threads when the configuration leaves it to the machine (loaderThreads 0): all cores but two (the
     * training thread and the engine's), at least two. On a GPU the model needs little CPU, and a batch at 480 px
     * takes one thread long enough (decoding, augmenting) that a fast GPU waits on two.
     */
    static int threadsFor(int cores) {
        return Math.max(2, cores - 2);
    }

    public int loaderThreads() {
        return threads;
    }

    public int stepsPerEpoch() {
        return samples.size() / batch;
    }

    public long totalSteps() {
        return (long) stepsPerEpoch() * config.epochs();
    }

    /** The batch of a step; prepares the following ones in the background. */
    public Batch take(long step) {
        // every loader thread has a batch to build: the window ahead is at least as long as the pool
        long last = Math.min(totalSteps() - 1, step + Math.max(Math.max(0, config.prefetchBatches()), threads - 1));
        for (long s = step; s <= last; s++) {
            final long k = s;
            ahead.computeIfAbsent(k, x -> pool.submit(() -> build(k)));
        }
        ahead.keySet().removeIf(k -> {
            if (k < step) {
                ahead.get(k).cancel(true);
                return true;
            }
            return false;
        });
        Future<Batch> f = ahead.remove(step);
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading batch " + step, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("cannot load batch " + step, e.getCause());
        }
    }

    /** Sample indices of a step: a slice of its epoch's permutation. */
    public int[] indicesOf(long step) {
        int perEpoch = stepsPerEpoch();
        long epoch = step / perEpoch;
        int within = (int) (step % perEpoch);
        int[] order = permutation(epoch);
        int[] out = new int[batch];
        System.arraycopy(order, within * batch, out, 0, batch);
        return out;
    }

    private int[] permutation(long epoch) {
        int[] order = new int[samples.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random r = new Random(mix(config.seed(), epoch, 1));
        for (int i = order.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** Reads, augments and tokenizes one step's samples. */
    public Batch build(long step) throws IOException {
        int[] idx = indicesOf(step);
        int n = tokenizer.maxTokens();
        int plane = size * size;
        float[] images = new float[batch * 3 * plane];
        byte[] masks = new byte[batch * plane];
        long[] ids = new long[batch * n];
        long[] attention = new long[batch * n];
        long[] erased = new long[batch * n];
        long[] labels = new long[batch * n];
        Random random = new Random(mix(config.seed(), step, 2));
        for (int b = 0; b < batch; b++) {
            ReferringSample s = samples.get(idx[b]);
            float[] chw = ImageTransforms.toNormalizedChw(Images.read(s.imagePath()), size);
            if (random.nextDouble() < config.occlusionShare()) {
                occlude(chw, random);
            }
            System.arraycopy(chw, 0, images, b * 3 * plane, 3 * plane);
            System.arraycopy(ImageTransforms.maskToSize(s.mask().load(), size), 0, masks, b * plane, plane);
            TokenizedSentence t = tokenizer.encode(s.sentence());
            EntityEraser.ErasedSentence e = eraser.eraseEntityWords(t, random);
            System.arraycopy(t.ids(), 0, ids, b * n, n);
            System.arraycopy(t.attentionMask(), 0, attention, b * n, n);
            System.arraycopy(e.ids(), 0, erased, b * n, n);
            System.arraycopy(e.labels(), 0, labels, b * n, n);
        }
        return new Batch(step, size, batch, images, masks, ids, attention, erased, labels, n);
    }

    /** RMSIN's occlusion: 20..60 black (zero-intensity, i.e. -mean/std after normalisation) square boxes. */
    private void occlude(float[] chw, Random random) {
        int side = Math.max(2, Math.round(config.occlusionBoxSize() * size / 480f));
        int boxes = config.occlusionMinBoxes() + random.nextInt(config.occlusionMaxBoxes() - config.occlusionMinBoxes() + 1);
        int plane = size * size;
        for (int k = 0; k < boxes; k++) {
            int x0 = random.nextInt(Math.max(1, size - side + 1));
            int y0 = random.nextInt(Math.max(1, size - side + 1));
            for (int c = 0; c < 3; c++) {
                float black = -ImageTransforms.IMAGENET_MEAN[c] / ImageTransforms.IMAGENET_STD[c];
                for (int y = y0; y < Math.min(size, y0 + side); y++) {
                    int row = c * plane + y * size;
                    java.util.Arrays.fill(chw, row + x0, row + Math.min(size, x0 + side), black);
                }
            }
        }
    }

    /** A well-mixed 64-bit seed from the run's seed, a counter and a purpose (SplitMix64's finaliser). */
    public static long mix(long seed, long counter, long purpose) {
        long z = seed * 0x9E3779B97F4A7C15L + counter * 0xBF58476D1CE4E5B9L + purpose * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    static List<ReferringSample> limit(List<ReferringSample> all, int limit) {
        return limit > 0 && limit < all.size() ? new ArrayList<>(all.subList(0, limit)) : all;
    }
}
