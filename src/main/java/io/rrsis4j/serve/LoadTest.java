package io.rrsis4j.serve;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop load on POST /api/segment: N clients each send the same request back to back for a fixed time
 * (and at most a fixed number of requests in all), then report throughput, latency percentiles and refusals.
 */
public final class LoadTest {

    /**
     * @param requests       requests completed (any status)
     * @param seconds        wall time of the run
     * @param p50Millis      median latency of 2xx answers
     * @param nonOkByStatus  non-2xx answers by HTTP status
     * @param transportErrors requests that got no HTTP answer
     */
    public record Report(long requests, long ok, double seconds, double requestsPerSecond,
                         double p50Millis, double p90Millis, double p99Millis,
                         Map<Integer, Long> nonOkByStatus, long transportErrors) {
        @Override
        public String toString() {
            return String.format("%d requests (%d ok) in %.1f s: %.1f req/s, latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms,"
                    + " non-2xx %s, transport errors %d", requests, ok, seconds, requestsPerSecond,
                    p50Millis, p90Millis, p99Millis, nonOkByStatus, transportErrors);
        }
    }

    private LoadTest() {}

    public static Report run(URI server, byte[] image, String imageContentType, String sentence,
                             int clients, Duration duration, long maxRequests) throws InterruptedException {
        if (clients < 1 || clients > 1024) {
            throw new IllegalArgumentException("clients must be in 1..1024, not " + clients);
        }
        MultipartBody body = new MultipartBody().file("image", "image", imageContentType, image).field("text", sentence);
        byte[] bytes = body.bytes();
        HttpRequest request = HttpRequest.newBuilder(server.resolve("/api/segment?format=png"))
                .header("Content-Type", body.contentType())
                .timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicLong issued = new AtomicLong();
        AtomicLong transportErrors = new AtomicLong();
        Map<Integer, AtomicLong> nonOk = new ConcurrentHashMap<>();
        List<List<Long>> latencies = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                List<Long> mine = new ArrayList<>();
                latencies.add(mine);
                running.add(pool.submit(() -> {
                    while (System.nanoTime() < end && issued.incrementAndGet() <= maxRequests) {
                        long t0 = System.nanoTime();
                        try {
                            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                            if (response.statusCode() / 100 == 2) {
                                mine.add(System.nanoTime() - t0);
                            } else {
                                nonOk.computeIfAbsent(response.statusCode(), s -> new AtomicLong()).incrementAndGet();
                            }
                        } catch (java.io.IOException e) {
                            transportErrors.incrementAndGet();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }));
            }
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("load client failed", e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] okNanos = latencies.stream().flatMap(List::stream).mapToLong(Long::longValue).sorted().toArray();
        Map<Integer, Long> byStatus = new TreeMap<>();
        nonOk.forEach((status, count) -> byStatus.put(status, count.get()));
        long refused = byStatus.values().stream().mapToLong(Long::longValue).sum();
        long total = okNanos.length + refused + transportErrors.get();
        return new Report(total, okNanos.length, seconds, total / seconds,
                percentileMillis(okNanos, 50), percentileMillis(okNanos, 90), percentileMillis(okNanos, 99),
                byStatus, transportErrors.get());
    }

    /** Nearest-rank percentile of sorted nanoseconds, in milliseconds (NaN when empty). */
    static double percentileMillis(long[] sortedNanos, double percent) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sortedNanos.length);
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, rank - 1))] / 1e6;
    }

    /** {@code LoadTest URL IMAGE SENTENCE CLIENTS SECONDS}: load a running server. */
    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: LoadTest URL IMAGE SENTENCE CLIENTS SECONDS");
            System.exit(2);
        }
        java.nio.file.Path image = java.nio.file.Path.of(args[1]);
        String name = image.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        String type = name.endsWith(".png") ? "image/png" : name.endsWith(".tif") || name.endsWith(".tiff") ? "image/tiff" : "image/jpeg";
        Report report = run(URI.create(args[0]), java.nio.file.Files.readAllBytes(image), type, args[2],
                Integer.parseInt(args[3]), Duration.ofSeconds(Long.parseLong(args[4])), Long.MAX_VALUE);
        System.out.println(report);
    }
}
