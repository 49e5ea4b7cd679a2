package io.rrsis4j.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * The one-time cost of each executor in a job, seen from the driver: how much longer its first row-writing task
 * took than its later ones. The first task fetches the project's jar and the checkpoint from the driver, unpacks the
 * checkpoint, loads the model and warms the engine up; later tasks only segment. Tasks of one job are alike (equal
 * batches), so the difference is the setup.
 */
final class SetupCosts extends SparkListener {

    /** Per executor: (launch time, deserialisation + run milliseconds) of each successful row-writing task. */
    private final Map<String, List<long[]>> tasks = new ConcurrentHashMap<>();

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        if (!end.taskInfo().successful() || end.taskMetrics() == null
                || end.taskMetrics().outputMetrics().recordsWritten() == 0) {
            return;
        }
        long millis = end.taskMetrics().executorDeserializeTime() + end.taskMetrics().executorRunTime();
        tasks.computeIfAbsent(end.taskInfo().executorId(), id -> java.util.Collections.synchronizedList(
                new ArrayList<>())).add(new long[] {end.taskInfo().launchTime(), millis});
    }

    /** Mean extra seconds of an executor's first task over the median of its later ones; NaN with too few tasks. */
    double meanFirstTaskExtraSeconds() {
        double sum = 0;
        int executors = 0;
        for (List<long[]> list : tasks.values()) {
            List<long[]> sorted;
            synchronized (list) {
                sorted = new ArrayList<>(list);
            }
            if (sorted.size() < 2) {
                continue;
            }
            sorted.sort((a, b) -> Long.compare(a[0], b[0]));
            long[] later = sorted.subList(1, sorted.size()).stream().mapToLong(t -> t[1]).sorted().toArray();
            sum += Math.max(0, sorted.get(0)[1] - later[later.length / 2]) / 1000.0;
            executors++;
        }
        return executors == 0 ? Double.NaN : sum / executors;
    }

    int executors() {
        return tasks.size();
    }

    String line() {
        double extra = meanFirstTaskExtraSeconds();
        return String.format(Locale.ROOT, "setup per executor (%d executors): first task %s than later ones"
                + " (fetching the jar and checkpoint, loading the model)", executors(),
                Double.isNaN(extra) ? "not comparable (too few tasks)" : String.format(Locale.ROOT, "%.1f s longer", extra));
    }
}
