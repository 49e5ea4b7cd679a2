package io.rrsis4j.serve;

import java.time.Duration;

/**
 * Limits that keep one request or a burst of requests from taking the server down.
 *
 * @param maxUploadBytes   largest request body accepted (413 above)
 * @param maxImageWidth    widest image accepted, read from the image header before decoding (413 above)
 * @param maxImageHeight   tallest image accepted
 * @param maxSentenceChars longest sentence accepted (400 above)
 * @param queueCapacity    requests that may wait for the model; one more is answered 429
 * @param maxBatchSize     requests the model sees in one call
 * @param batchWindow      how long the first request of a batch waits for others to join it
 * @param requestTimeout   longest a request waits for its result (504 after)
 * @param connections      timeouts and upload counts that keep slow clients from holding the server
 */
public record ServerLimits(
        long maxUploadBytes,
        int maxImageWidth,
        int maxImageHeight,
        int maxSentenceChars,
        int queueCapacity,
        int maxBatchSize,
        Duration batchWindow,
        Duration requestTimeout,
        ConnectionLimits connections) {

    public ServerLimits {
        if (maxUploadBytes <= 0 || maxImageWidth <= 0 || maxImageHeight <= 0 || maxSentenceChars <= 0
                || queueCapacity <= 0 || maxBatchSize <= 0) {
            throw new IllegalArgumentException("server limits must be positive");
        }
        java.util.Objects.requireNonNull(connections, "connections");
    }

    public static ServerLimits defaults() {
        return new ServerLimits(20L * 1024 * 1024, 8192, 8192, 300, 8, 4, Duration.ofMillis(5), Duration.ofSeconds(60),
                ConnectionLimits.defaults());
    }

    public ServerLimits withMaxUploadBytes(long v) {
        return new ServerLimits(v, maxImageWidth, maxImageHeight, maxSentenceChars, queueCapacity, maxBatchSize, batchWindow, requestTimeout, connections);
    }

    public ServerLimits withMaxImageSize(int w, int h) {
        return new ServerLimits(maxUploadBytes, w, h, maxSentenceChars, queueCapacity, maxBatchSize, batchWindow, requestTimeout, connections);
    }

    public ServerLimits withMaxSentenceChars(int v) {
        return new ServerLimits(maxUploadBytes, maxImageWidth, maxImageHeight, v, queueCapacity, maxBatchSize, batchWindow, requestTimeout, connections);
    }

    public ServerLimits withQueue(int capacity, int batchSize) {
        return new ServerLimits(maxUploadBytes, maxImageWidth, maxImageHeight, maxSentenceChars, capacity, batchSize, batchWindow, requestTimeout, connections);
    }

    public ServerLimits withConnections(ConnectionLimits v) {
        return new ServerLimits(maxUploadBytes, maxImageWidth, maxImageHeight, maxSentenceChars, queueCapacity, maxBatchSize, batchWindow, requestTimeout, v);
    }

    public ServerLimits withRequestTimeout(Duration v) {
        return new ServerLimits(maxUploadBytes, maxImageWidth, maxImageHeight, maxSentenceChars, queueCapacity, maxBatchSize, batchWindow, v, connections);
    }
}
