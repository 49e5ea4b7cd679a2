package io.rrsis4j.serve;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Counts the uploads being read, in all and per client address. Reading a body blocks a server thread for as long as
 * the client takes to send it, so without a bound a few hundred slow uploads hold every thread and even /api/health
 * waits. A refused upload is answered at once, before its body is read.
 */
final class UploadSlots {
    private final Semaphore total;
    private final int maxTotal;
    private final int maxPerClient;
    private final ConcurrentHashMap<String, Integer> perClient = new ConcurrentHashMap<>();

    UploadSlots(int maxTotal, int maxPerClient) {
        this.total = new Semaphore(maxTotal);
        this.maxTotal = maxTotal;
        this.maxPerClient = maxPerClient;
    }

    /** One held slot; closing it frees the slot. */
    interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    /** Takes a slot for the client, or throws 429 (this client has too many) or 503 (all are taken). */
    Slot acquire(String client) {
        boolean[] admitted = {false};
        perClient.compute(client, (address, held) -> {
            int now = held == null ? 0 : held;
            if (now >= maxPerClient) {
                return held;
            }
            admitted[0] = true;
            return now + 1;
        });
        if (!admitted[0]) {
            throw new ApiException(429, "too many uploads from " + client + " in progress (at most " + maxPerClient
                    + "); try again when one has finished");
        }
        if (!total.tryAcquire()) {
            release(client);
            throw new ApiException(503, "too many uploads in progress (at most " + maxTotal + "); try again shortly");
        }
        return () -> {
            total.release();
            release(client);
        };
    }

    private void release(String client) {
        perClient.computeIfPresent(client, (address, held) -> held <= 1 ? null : held - 1);
    }
}
