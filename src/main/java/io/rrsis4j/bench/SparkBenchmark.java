package io.rrsis4j.bench;

import io.rrsis4j.data.Images;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rows per second of {@code spark segment} in local mode against {@code segment --list} on one JVM, on the same
 * synthetic (image, sentence) rows. Each run is a child JVM started as the launcher starts one, so that each gets
 * its own engine thread count (the engine reads it once per JVM). Spark's rate is its job's (model load included,
 * session start not); the list's is rows over the child's whole wall time (JVM start and model load included, and
 * it writes a mask and an overlay PNG per row where Spark writes Parquet rows).
 */
public final class SparkBenchmark {

    /** One measurement: what ran, rows per second, and the child's wall time (JVM start included). */
    public record Measurement(String what, double rowsPerSecond, double wallSeconds) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%-30s %8.2f rows/s   (%.1f s wall, JVM start included)",
                    what, rowsPerSecond, wallSeconds);
        }
    }

    private static final Pattern RATE = Pattern.compile("([0-9.]+) rows/s");
    private static final String[] SENTENCES = {"the red car on the left", "the large white storage tank",
        "a small blue roof", "the building at the top", "green field next to the road"};

    private SparkBenchmark() {}

    /**
     * Writes {@code rows} images (coloured discs on a plain ground; sides from {@code minSize} to {@code maxSize} px)
     * under img/, with sentences, as pairs.tsv (for --list) and manifest.csv (image, text), paths relative.
     */
    public static void writeRows(Path dir, int rows, int minSize, int maxSize, long seed) {
        try {
            Files.createDirectories(dir.resolve("img"));
            Random random = new Random(seed);
            StringBuilder tsv = new StringBuilder();
            StringBuilder csv = new StringBuilder("image,text\n");
            for (int i = 0; i < rows; i++) {
                int w = minSize + random.nextInt(maxSize - minSize + 1);
                int h = minSize + random.nextInt(maxSize - minSize + 1);
                BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
                Graphics2D g = image.createGraphics();
                g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
                g.fillRect(0, 0, w, h);
                for (int k = 0; k < 3; k++) {
                    g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
                    g.fillOval(random.nextInt(w), random.nextInt(h), w / 6 + random.nextInt(w / 3),
                            h / 6 + random.nextInt(h / 3));
                }
                g.dispose();
                Images.write(image, "png", dir.resolve("img/" + i + ".png"));
                String sentence = SENTENCES[random.nextInt(SENTENCES.length)];
                tsv.append("img/").append(i).append(".png\t").append(sentence).append('\n');
                csv.append("img/").append(i).append(".png,").append(sentence).append('\n');
            }
            Files.writeString(dir.resolve("pairs.tsv"), tsv, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("manifest.csv"), csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write benchmark rows to " + dir, e);
        }
    }

    /** {@code segment --list} in a child JVM with {@code threads} native threads: rows / wall seconds. */
    public static Measurement list(Path dir, Path checkpoint, int rows, int batch, int threads) {
        long start = System.nanoTime();
        runChild(List.of("-Dai.djl.pytorch.num_threads=" + threads, "-Dai.djl.pytorch.num_interop_threads=1"),
                List.of("segment", "--checkpoint", checkpoint.toString(), "--list", dir.resolve("pairs.tsv").toString(),
                        "--out-dir", dir.resolve("list-out").toString(), "--batch", Integer.toString(batch)));
        double wall = (System.nanoTime() - start) / 1e9;
        return new Measurement("segment --list, " + threads + " thread" + (threads == 1 ? "" : "s"), rows / wall, wall);
    }

    /** {@code spark segment --master local[N]} in a child JVM: the job's own rows/s. */
    public static Measurement spark(Path dir, Path checkpoint, int executorThreads, int batch) {
        long start = System.nanoTime();
        String out = runChild(List.of(), List.of("spark", "segment", "--checkpoint", checkpoint.toString(), "--manifest",
                dir.resolve("manifest.csv").toString(), "--out", dir.resolve("spark-" + executorThreads).toString(),
                "--mode", "overwrite", "--master", "local[" + executorThreads + "]", "--batch",
                Integer.toString(batch), "--conf", "spark.ui.enabled=false"));
        double wall = (System.nanoTime() - start) / 1e9;
        Matcher m = RATE.matcher(out);
        double rate = -1;
        while (m.find()) {
            rate = Double.parseDouble(m.group(1));
        }
        return new Measurement("spark segment local[" + executorThreads + "]", rate, wall);
    }

    /**
     * One-time costs of a cluster run, in seconds: the session until its first executor is up, zipping and
     * registering the checkpoint on the driver, and how much longer each executor's first task took than its later
     * ones (fetching the jar and checkpoint, loading the model). NaN where the run did not say.
     */
    public record SetupCosts(double firstExecutor, double zip, double register, double firstTaskExtra) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%-30s executor start %.1f s, checkpoint zip %.1f s +"
                    + " register %.1f s (driver), first task +%.1f s per executor (fetch jar and checkpoint, load"
                    + " model)", "  one-time costs:", firstExecutor, zip, register, firstTaskExtra);
        }
    }

    /** A measurement on a cluster and its one-time costs. */
    public record ClusterMeasurement(Measurement rate, SetupCosts setup) {
        @Override
        public String toString() {
            return rate + System.lineSeparator() + setup;
        }
    }

    /**
     * {@code spark segment} from a driver in a child JVM against a standalone {@code master} on this machine, with
     * {@code executors} executors of one core each (spark.cores.max).
     */
    public static ClusterMeasurement standalone(Path dir, Path checkpoint, String master, int executors,
                                                String executorMemory, int batch) {
        long start = System.nanoTime();
        List<String> args = new ArrayList<>(List.of("spark", "segment", "--checkpoint", checkpoint.toString(),
                "--manifest", dir.resolve("manifest.csv").toString(), "--out",
                dir.resolve("standalone-" + executors).toString(), "--mode", "overwrite", "--master", master,
                "--batch", Integer.toString(batch)));
        for (String conf : List.of("spark.ui.enabled=false", "spark.driver.host=127.0.0.1",
                "spark.driver.bindAddress=127.0.0.1", "spark.executor.cores=1", "spark.executor.memory=" + executorMemory,
                "spark.cores.max=" + executors)) {
            args.add("--conf");
            args.add(conf);
        }
        String out = runChild(List.of(), args, true);
        double wall = (System.nanoTime() - start) / 1e9;
        Matcher m = RATE.matcher(out);
        double rate = -1;
        while (m.find()) {
            rate = Double.parseDouble(m.group(1));
        }
        SetupCosts setup = new SetupCosts(number(out, "first executor up ([0-9.]+) s"),
                number(out, "zipped in ([0-9.]+) s"), number(out, "registered in ([0-9.]+) s"),
                number(out, "first task ([0-9.]+) s longer"));
        return new ClusterMeasurement(new Measurement("spark segment standalone, " + executors + " exec",
                rate, wall), setup);
    }

    private static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    static String runChild(List<String> jvmOptions, List<String> args) {
        return runChild(jvmOptions, args, false);
    }

    /** Runs {@code rrsis4j ARGS} in a new JVM like the launcher (same class path, Spark's --add-opens); stdout (and stderr). */
    static String runChild(List<String> jvmOptions, List<String> args, boolean withStderr) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx4g");
        for (String flag : org.apache.spark.launcher.JavaModuleOptions.defaultModuleOptionArray()) {
            if (!flag.startsWith("--add-modules")) { // the incubator vector module only prints a warning here
                command.add(flag);
            }
        }
        command.add("-Dai.djl.offline=true");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.rrsis4j.cli.Main");
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        if (withStderr) {
            builder.redirectErrorStream(true);
        } else {
            builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        }
        builder.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        builder.environment().putIfAbsent("PYTORCH_VERSION", "2.7.1");
        try {
            Process p = builder.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("rrsis4j " + String.join(" ", args) + " failed:\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a child JVM", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
