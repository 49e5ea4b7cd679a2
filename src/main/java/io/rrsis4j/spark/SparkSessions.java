package io.rrsis4j.spark;

import io.rrsis4j.InvalidInputException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark session of a command: the master given, else the one {@code spark-submit} set, else the embedded local
 * mode on every core ({@code local[*]}), so one command runs on a laptop and on a cluster. A local driver listens on
 * loopback only. On a cluster the executors get what the driver has: the project's jar when the driver was started
 * from it ({@code java -jar}, as {@code ./rrsis4j} does), and the launcher's engine settings.
 */
public final class SparkSessions {

    /** How long a cluster may take to start the first executor before the command gives up (a Spark time). */
    public static final String EXECUTOR_WAIT = "spark.rrsis4j.executorWait";

    private SparkSessions() {}

    /** @param master null for spark-submit's or local[*]; {@code extra} settings are applied last */
    public static SparkSession create(String master, Map<String, String> extra) {
        quietLogs();
        String chosen = master != null ? master : System.getProperty("spark.master", "local[*]");
        boolean local = chosen.startsWith("local");
        if (local) {
            // A local driver and its executor live on loopback: named so (what SPARK_LOCAL_HOSTNAME does), Spark does
            // not look up this machine's address, and does not warn when its host name resolves to loopback
            org.apache.spark.util.Utils.setCustomHostname("127.0.0.1");
        } else if (chosen.startsWith("spark://")) {
            checkReachable(chosen);
        }
        SparkSession.Builder builder = SparkSession.builder().appName("rrsis4j")
                .config("spark.ui.showConsoleProgress", "false") // the job prints rows done and rows/s itself
                .config("spark.rdd.compress", "true");
        builder.master(chosen);
        if (local) {
            builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        } else {
            clusterDefaults(extra, ownJar(), System.getenv()).forEach(builder::config);
        }
        extra.forEach(builder::config);
        SparkSession spark;
        try {
            spark = builder.getOrCreate();
        } catch (RuntimeException e) {
            if (local) {
                throw e;
            }
            throw new InvalidInputException("cannot start the Spark application on " + chosen + ": "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName()));
        }
        if (!local) {
            awaitExecutor(spark, chosen);
        }
        return spark;
    }

    /**
     * What a cluster's executors need from this driver, unless {@code extra} or {@code spark-submit} set it: the
     * jar holding this project's classes ({@code spark.jars}) when the driver runs from one, and the engine settings
     * the launcher gives a local run (libtorch's passive waiting, the PyTorch version).
     */
    static Map<String, String> clusterDefaults(Map<String, String> extra, Path jar, Map<String, String> env) {
        Map<String, String> defaults = new HashMap<>();
        if (jar != null && !extra.containsKey("spark.jars") && System.getProperty("spark.jars") == null) {
            defaults.put("spark.jars", jar.toUri().toString());
        }
        defaults.put("spark.executorEnv.OMP_WAIT_POLICY", env.getOrDefault("OMP_WAIT_POLICY", "PASSIVE"));
        if (env.get("PYTORCH_VERSION") != null) {
            defaults.put("spark.executorEnv.PYTORCH_VERSION", env.get("PYTORCH_VERSION"));
        }
        defaults.keySet().removeIf(key -> extra.containsKey(key) || System.getProperty(key) != null);
        return defaults;
    }

    /** The jar this class was loaded from, null when it runs from a classes folder (an IDE, the build's tests). */
    static Path ownJar() {
        try {
            java.security.CodeSource source = SparkSessions.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return null;
            }
            Path location = Path.of(source.getLocation().toURI());
            return Files.isRegularFile(location) && location.toString().endsWith(".jar") ? location : null;
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * A standalone master that does not answer is one line now: Spark itself would retry for a minute and then leave
     * a stopped session behind. Each of the URL's masters (a list for high availability) is tried; one is enough.
     */
    static void checkReachable(String master) {
        String hosts = master.substring("spark://".length());
        String problem = null;
        for (String hostPort : hosts.split(",")) {
            int colon = hostPort.lastIndexOf(':');
            if (colon < 0) {
                throw new InvalidInputException("--master " + master + ": expected spark://HOST:PORT");
            }
            int port;
            try {
                port = Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new InvalidInputException("--master " + master + ": the port is not a number");
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(hostPort.substring(0, colon), port), 10_000);
                return;
            } catch (IOException e) {
                problem = hostPort + ": " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
            }
        }
        throw new InvalidInputException("cannot reach the Spark master " + master + " (" + problem + ")");
    }

    /**
     * Waits, at most {@link #EXECUTOR_WAIT} (default 120 s), for the cluster to start the first executor: a master
     * that refused or dropped the application, or workers too small for the executors asked for, are one line
     * instead of a job that waits for ever.
     */
    static void awaitExecutor(SparkSession spark, String master) {
        SparkConf conf = spark.sparkContext().getConf();
        long waitMillis = 1000 * conf.getTimeAsSeconds(EXECUTOR_WAIT, "120s");
        long deadline = System.currentTimeMillis() + waitMillis;
        while (true) {
            if (spark.sparkContext().isStopped()) {
                throw new InvalidInputException("the Spark master " + master + " refused or ended the application"
                        + " (see its log for why)");
            }
            if (spark.sparkContext().statusTracker().getExecutorInfos().length > 1) { // the driver is one of them
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                String asked = "spark.executor.memory=" + conf.get("spark.executor.memory", "1g")
                        + ", spark.executor.cores=" + conf.get("spark.executor.cores", "all of a worker's");
                spark.stop();
                throw new InvalidInputException("no executor started on " + master + " within " + waitMillis / 1000
                        + " s: do the workers have the memory and cores asked for (" + asked + ")? (--conf "
                        + EXECUTOR_WAIT + "=10m waits longer)");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for executors", e);
            }
        }
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
        quiet("org.apache", "warn");
        quiet("org.sparkproject", "warn");
        // Hadoop's note that it runs without its native library (pure Java is fine here) is left out as well
        quiet("org.apache.hadoop.util.NativeCodeLoader", "error");
    }

    private static void quiet(String logger, String level) {
        String key = "org.slf4j.simpleLogger.log." + logger;
        if (System.getProperty(key) == null) {
            System.setProperty(key, level);
        }
    }
}
