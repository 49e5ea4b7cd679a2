package io.rrsis4j.serve;

import java.net.URI;
import java.time.Duration;

/**
 * Manual load run against the colour-word test double with default limits:
 * {@code ColourSegmenterLoadRun CLIENTS SECONDS}. Measures the server's own overhead, not the model's.
 */
final class ColourSegmenterLoadRun {
    public static void main(String[] args) throws Exception {
        int clients = Integer.parseInt(args[0]);
        Duration duration = Duration.ofSeconds(Long.parseLong(args[1]));
        try (SegmentationServer server = new SegmentationServer(new ColourWordSegmenter(),
                ModelInfo.unknown("colour-word test double"), ServerLimits.defaults()).start("127.0.0.1", 0)) {
            LoadTest.Report report = LoadTest.run(URI.create("http://127.0.0.1:" + server.port()),
                    TestImages.encode(TestImages.scene(), "png"), "image/png", "the red roof",
                    clients, duration, Long.MAX_VALUE);
            System.out.println(clients + " clients, " + duration.toSeconds() + " s, " + TestImages.WIDTH + " x "
                    + TestImages.HEIGHT + " PNG: " + report);
        }
    }
}
