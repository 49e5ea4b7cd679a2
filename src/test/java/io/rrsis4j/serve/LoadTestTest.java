package io.rrsis4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LoadTestTest {

    @Test
    void percentilesUseNearestRank() {
        long[] nanos = new long[100];
        for (int i = 0; i < 100; i++) {
            nanos[i] = (i + 1) * 1_000_000L;
        }
        assertEquals(50.0, LoadTest.percentileMillis(nanos, 50), 1e-9);
        assertEquals(90.0, LoadTest.percentileMillis(nanos, 90), 1e-9);
        assertEquals(99.0, LoadTest.percentileMillis(nanos, 99), 1e-9);
        assertTrue(Double.isNaN(LoadTest.percentileMillis(new long[0], 50)));
    }

    @Test
    void fourClientsForThreeSecondsSeeNoFailureButRefusals() throws Exception {
        try (SegmentationServer server = new SegmentationServer(new ColourWordSegmenter(),
                ModelInfo.unknown("colour-word test double"), ServerLimits.defaults().withQueue(2, 2))
                .start("127.0.0.1", 0)) {
            LoadTest.Report report = LoadTest.run(URI.create("http://127.0.0.1:" + server.port()),
                    TestImages.encode(TestImages.scene(), "png"), "image/png", "the red roof",
                    4, Duration.ofSeconds(3), 100_000);
            System.out.println("load test: " + report);
            assertTrue(report.ok() > 10, "requests served: " + report);
            assertEquals(0, report.transportErrors(), report.toString());
            assertTrue(Set.of(429).containsAll(report.nonOkByStatus().keySet()), "only 429 refusals: " + report);
            assertEquals(report.requests(), report.ok() + report.nonOkByStatus().values().stream().mapToLong(Long::longValue).sum());
            assertTrue(report.p50Millis() <= report.p90Millis() && report.p90Millis() <= report.p99Millis());
            assertTrue(report.seconds() >= 3 && report.seconds() < 10, "bounded in time: " + report.seconds());
        }
    }

    @Test
    void requestCountIsBounded() throws Exception {
        try (SegmentationServer server = new SegmentationServer(new ColourWordSegmenter(),
                ModelInfo.unknown("colour-word test double"), ServerLimits.defaults()).start("127.0.0.1", 0)) {
            LoadTest.Report report = LoadTest.run(URI.create("http://127.0.0.1:" + server.port()),
                    TestImages.encode(TestImages.scene(), "png"), "image/png", "red", 3, Duration.ofSeconds(30), 7);
            assertEquals(7, report.requests(), report.toString());
            assertEquals(Map.of(), report.nonOkByStatus());
        }
    }
}
