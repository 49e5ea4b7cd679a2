package io.rrsis4j.serve;

import java.time.Duration;

/**
 * Limits on how long and how many clients may hold the server's connections and threads, so that slow or stalled
 * clients (slowloris, slow uploads) cannot starve /api/health and well-behaved clients.
 *
 * @param readTimeout             longest pause between two reads of a client's bytes; a stalled upload gets 408, an
 *                                idle connection is closed
 * @param headerTimeout           longest a client may take to send a request's headers; the connection is closed after
 * @param minUploadBytesPerSecond slowest accepted upload rate, averaged from its first byte (408 below)
 * @param maxUploads              uploads read at the same time; one more is answered 503 at once, without reading it
 * @param maxUploadsPerClient     uploads read at the same time from one client address; one more is answered 429
 */
public record ConnectionLimits(
        Duration readTimeout,
        Duration headerTimeout,
        long minUploadBytesPerSecond,
        int maxUploads,
        int maxUploadsPerClient) {

    public ConnectionLimits {
        if (readTimeout.isNegative() || readTimeout.isZero() || headerTimeout.isNegative() || headerTimeout.isZero()
                || minUploadBytesPerSecond < 0 || maxUploads <= 0 || maxUploadsPerClient <= 0) {
            throw new IllegalArgumentException("connection limits must be positive");
        }
    }

    /** Jetty's default pool has 250 threads: 32 uploads leave the rest for health, pages and waiting requests. */
    public static ConnectionLimits defaults() {
        return new ConnectionLimits(Duration.ofSeconds(20), Duration.ofSeconds(10), 1024, 32, 8);
    }

    public ConnectionLimits withTimeouts(Duration read, Duration header) {
        return new ConnectionLimits(read, header, minUploadBytesPerSecond, maxUploads, maxUploadsPerClient);
    }

    public ConnectionLimits withUploads(int total, int perClient) {
        return new ConnectionLimits(readTimeout, headerTimeout, minUploadBytesPerSecond, total, perClient);
    }

    public ConnectionLimits withMinUploadBytesPerSecond(long v) {
        return new ConnectionLimits(readTimeout, headerTimeout, v, maxUploads, maxUploadsPerClient);
    }
}
