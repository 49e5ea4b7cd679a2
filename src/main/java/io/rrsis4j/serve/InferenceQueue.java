package io.rrsis4j.serve;

import io.rrsis4j.InvalidInputException;
import io.rrsis4j.infer.Segmenter;
import io.rrsis4j.model.runtime.Predictor.ImagePrediction;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds one shared, non-thread-safe {@link Segmenter} from one worker thread. Requests that arrive within
 * a short window are gathered into one batch (up to a maximum size), so the model runs one forward pass
 * for several users. The waiting queue is bounded: a full queue rejects at once instead of piling up.
 */
public final class InferenceQueue implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceQueue.class);

    private record Job(BufferedImage image, String sentence, CompletableFuture<ImagePrediction> result) {}

    private final Segmenter segmenter;
    private final int maxBatchSize;
    private final long batchWindowNanos;
    private final BlockingQueue<Job> waiting;
    private final Thread worker;
    private volatile boolean closed;

    public InferenceQueue(Segmenter segmenter, int capacity, int maxBatchSize, long batchWindowMillis) {
        this.segmenter = segmenter;
        this.maxBatchSize = maxBatchSize;
        this.batchWindowNanos = TimeUnit.MILLISECONDS.toNanos(batchWindowMillis);
        this.waiting = new ArrayBlockingQueue<>(capacity);
        this.worker = new Thread(this::work, "inference-worker");
        worker.setDaemon(true);
        worker.start();
    }

    /** Queues one request; throws {@link ApiException} 429 when the queue is full. */
    public CompletableFuture<ImagePrediction> submit(BufferedImage image, String sentence) {
        if (closed) {
            throw new ApiException(503, "server is shutting down");
        }
        Job job = new Job(image, sentence, new CompletableFuture<>());
        if (!waiting.offer(job)) {
            throw new ApiException(429, "too many requests waiting for the model (" + waiting.size() + "); try again shortly");
        }
        return job.result();
    }

    /** Requests waiting for the model, not counting the batch being computed. */
    public int waitingCount() {
        return waiting.size();
    }

    private void work() {
        while (!closed) {
            List<Job> batch = nextBatch();
            if (batch.isEmpty()) {
                continue;
            }
            try {
                run(batch);
            } catch (RuntimeException | Error e) {
                if (batch.size() == 1) {
                    fail(batch.get(0), e);
                } else {
                    // one request's input (a sentence the model refuses, say) must not fail the others: one by one
                    for (Job job : batch) {
                        try {
                            run(List.of(job));
                        } catch (RuntimeException | Error alone) {
                            fail(job, alone);
                        }
                    }
                }
            }
        }
    }

    private void run(List<Job> batch) {
        List<ImagePrediction> predictions = segmenter.predict(
                batch.stream().map(Job::image).toList(), batch.stream().map(Job::sentence).toList());
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result().complete(predictions.get(i));
        }
    }

    private static void fail(Job job, Throwable e) {
        if (!(e instanceof InvalidInputException)) {
            LOG.error("inference failed", e);
        }
        job.result().completeExceptionally(e);
    }

    /** The first waiting job, plus those that arrive within the batch window, skipping abandoned ones. */
    private List<Job> nextBatch() {
        List<Job> batch = new ArrayList<>(maxBatchSize);
        try {
            Job first = waiting.poll(100, TimeUnit.MILLISECONDS);
            if (first == null) {
                return batch;
            }
            addIfWanted(batch, first);
            long deadline = System.nanoTime() + batchWindowNanos;
            while (batch.size() < maxBatchSize) {
                long left = deadline - System.nanoTime();
                Job next = left > 0 ? waiting.poll(left, TimeUnit.NANOSECONDS) : waiting.poll();
                if (next == null) {
                    break;
                }
                addIfWanted(batch, next);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
        return batch;
    }

    private static void addIfWanted(List<Job> batch, Job job) {
        if (!job.result().isDone()) { // a request that timed out was cancelled by its handler
            batch.add(job);
        }
    }

    @Override
    public void close() {
        closed = true;
        worker.interrupt();
        try {
            worker.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Job job;
        while ((job = waiting.poll()) != null) {
            job.result().completeExceptionally(new ApiException(503, "server is shutting down"));
        }
    }
}
