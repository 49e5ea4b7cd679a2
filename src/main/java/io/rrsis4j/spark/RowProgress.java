package io.rrsis4j.spark;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Prints rows done / total and rows per second on the driver as write tasks finish (at most once a second, and at
 * the end). Only successful task attempts count, so a retried task's rows are counted once.
 */
final class RowProgress extends SparkListener {

    private final long total;
    private final PrintStream out;
    private final long start = System.nanoTime();
    private final AtomicLong done = new AtomicLong();
    private volatile long lastPrint;

    RowProgress(long total, PrintStream out) {
        this.total = total;
        this.out = out;
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        if (!end.taskInfo().successful() || end.taskMetrics() == null) {
            return;
        }
        long written = end.taskMetrics().outputMetrics().recordsWritten();
        if (written == 0) {
            return;
        }
        long rows = done.addAndGet(written);
        long now = System.nanoTime();
        if (rows >= total || now - lastPrint > 1_000_000_000L) {
            lastPrint = now;
            out.println(line(rows));
        }
    }

    long done() {
        return done.get();
    }

    double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    String line(long rows) {
        double s = seconds();
        return String.format(Locale.ROOT, "rows %d / %d (%.0f%%), %.1f rows/s", rows, total,
                total == 0 ? 100.0 : 100.0 * rows / total, s > 0 ? rows / s : 0);
    }
}
