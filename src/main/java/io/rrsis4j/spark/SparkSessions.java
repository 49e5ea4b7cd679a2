package io.rrsis4j.spark;

import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark session of a command: the master given, else the one {@code spark-submit} set, else the embedded local
 * mode on every core ({@code local[*]}), so one command runs on a laptop and on a cluster. A local driver listens on
 * loopback only.
 */
public final class SparkSessions {

    private SparkSessions() {}

    /** @param master null for spark-submit's or local[*]; {@code extra} settings are applied last */
    public static SparkSession create(String master, Map<String, String> extra) {
        quietLogs();
        SparkSession.Builder builder = SparkSession.builder().appName("rrsis4j")
                .config("spark.ui.showConsoleProgress", "false") // the job prints rows done and rows/s itself
                .config("spark.rdd.compress", "true");
        String chosen = master != null ? master : System.getProperty("spark.master", "local[*]");
        builder.master(chosen);
        if (chosen.startsWith("local")) {
            builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        }
        extra.forEach(builder::config);
        return builder.getOrCreate();
    }

    /**
     * Cores of one executor: N of local[N] (all cores for local[*]), else spark.executor.cores when set, else 0 (the
     * engine's default, one thread per core of the executor's machine).
     */
    public static int executorCores(SparkSession spark) {
        String master = spark.sparkContext().master();
        java.util.regex.Matcher local = java.util.regex.Pattern.compile("local\\[(\\d+|\\*)(,\\d+)?]").matcher(master);
        if (local.matches()) {
            return "*".equals(local.group(1)) ? Runtime.getRuntime().availableProcessors()
                    : Integer.parseInt(local.group(1));
        }
        if ("local".equals(master)) {
            return 1;
        }
        return spark.conf().contains("spark.executor.cores")
                ? Integer.parseInt(spark.conf().get("spark.executor.cores")) : 0;
    }

    /** Spark, Hadoop and Parquet say only warnings through slf4j-simple unless the user chose a level. */
    private static void quietLogs() {
        // Hadoop's note that it runs without its native library (pure Java is fine here) is left out as well
        String[][] levels = {{"org.apache", "warn"}, {"org.sparkproject", "warn"},
            {"org.apache.hadoop.util.NativeCodeLoader", "error"}};
        for (String[] level : levels) {
            String key = "org.slf4j.simpleLogger.log." + level[0];
            if (System.getProperty(key) == null) {
                System.setProperty(key, level[1]);
            }
        }
    }
}
