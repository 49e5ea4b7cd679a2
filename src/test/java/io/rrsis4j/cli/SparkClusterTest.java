package io.rrsis4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rrsis4j.bench.SparkBenchmark;
import io.rrsis4j.bench.SyntheticGeoScene;
import io.rrsis4j.data.BinaryMask;
import io.rrsis4j.data.CocoMasks;
import io.rrsis4j.data.Images;
import io.rrsis4j.io.files.AtomicFiles;
import io.rrsis4j.io.raster.GeoRaster;
import io.rrsis4j.model.BtdNetConfig;
import io.rrsis4j.model.weights.ModelCheckpoint;
import io.rrsis4j.spark.CheckpointSource;
import io.rrsis4j.spark.SparkSegmentJob;
import io.rrsis4j.spark.SparkSessions;
import io.rrsis4j.spark.StandaloneCluster;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spark scene} and {@code spark segment} on a real standalone cluster: a Master and two Workers, each its own
 * JVM, whose executors get the project's classes through {@code spark.jars} and the checkpoint through the
 * application only (the driver's folder is deleted before the job). One executor is killed with SIGKILL in the middle
 * of the manifest job; every row is still written once, and every mask equals that of {@code segment --list}.
 */
class SparkClusterTest {
    @TempDir
    static Path dir;
    static StandaloneCluster cluster;
    static Path classesJar;

    @BeforeAll
    static void startCluster() throws Exception {
        classesJar = jarOfClassesFolder(dir.resolve("rrsis4j-classes.jar"));
        cluster = StandaloneCluster.start(dir.resolve("cluster"), 2, 1, "1g");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
            for (ProcessHandle p : cluster.daemons()) {
                assertFalse(p.isAlive(), "Spark daemon " + p.pid() + " stopped");
            }
        }
    }

    /** What the launcher gives executors when it runs from its jar; in the build's tests the classes are a folder. */
    static Path jarOfClassesFolder(Path jar) throws Exception {
        Path classes = Path.of(SparkSessions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isDirectory(classes), classes.toString());
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
             Stream<Path> walk = Files.walk(classes)) {
            for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new ZipEntry(classes.relativize(f).toString()));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
        return jar;
    }

    /** Driver settings of the tests: loopback only, small executors (the machine is shared), no UI. */
    static Map<String, String> clusterConf() {
        return Map.of("spark.jars", classesJar.toUri().toString(), "spark.driver.host", "127.0.0.1",
                "spark.driver.bindAddress", "127.0.0.1", "spark.ui.enabled", "false", "spark.executor.memory", "1g",
                "spark.executor.cores", "1", "spark.cores.max", "2");
    }

    static String[] confArgs() {
        return clusterConf().entrySet().stream().flatMap(e -> Stream.of("--conf", e.getKey() + "=" + e.getValue()))
                .toArray(String[]::new);
    }

    static String[] concat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    /** A 0/255 mask PNG of segment --list. */
    static BinaryMask listMask(Path png) throws Exception {
        BufferedImage image = Images.read(png);
        BinaryMask mask = new BinaryMask(image.getWidth(), image.getHeight());
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                mask.set(x, y, (image.getRGB(x, y) & 0xFF) > 127);
            }
        }
        return mask;
    }

    /**
     * Kills, with SIGKILL, the executor JVM that has just finished the first task writing rows (it is handed the
     * next task at once), and records which executors came and went.
     */
    static final class KillAfterFirstWrite extends SparkListener {
        final AtomicReference<String> killed = new AtomicReference<>();
        final Set<String> added = ConcurrentHashMap.newKeySet();
        final Set<String> removed = ConcurrentHashMap.newKeySet();
        final AtomicInteger failedTasks = new AtomicInteger();

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            if (!end.taskInfo().successful()) {
                failedTasks.incrementAndGet();
                return;
            }
            if (end.taskMetrics() == null || end.taskMetrics().outputMetrics().recordsWritten() == 0) {
                return;
            }
            String id = end.taskInfo().executorId();
            if (killed.compareAndSet(null, id)) {
                ProcessHandle executor = cluster.executors().stream()
                        .filter(p -> String.join(" ", p.info().arguments().orElse(new String[0]))
                                .contains("--executor-id " + id + " "))
                        .findFirst().orElseThrow(() -> new IllegalStateException("no process for executor " + id));
                executor.destroyForcibly(); // SIGKILL
            }
        }

        @Override
        public void onExecutorAdded(SparkListenerExecutorAdded added) {
            this.added.add(added.executorId());
        }

        @Override
        public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
            this.removed.add(removed.executorId());
        }
    }

    @Test
    void sceneAndManifestOnTwoWorkersWithTheCheckpointOnTheDriverOnlyAndAnExecutorKilled() throws Exception {
        Path checkpoint = dir.resolve("driver-only/ckpt");
        ModelCheckpoint.saveUntrained(checkpoint, BtdNetConfig.micro());

        // spark scene through the command line, on the cluster: the GeoTIFF of segment --tile
        Path scene = dir.resolve("scene.tif");
        SyntheticGeoScene.write(scene, 300);
        Path single = dir.resolve("single.tif");
        Path spread = dir.resolve("spread.tif");
        assertEquals(0, Main.run("segment", "--checkpoint", checkpoint.toString(), "--image", scene.toString(),
                "--text", "the red storage tank", "--tile", "96", "--overlap", "16", "--out", single.toString()));
        CliRun sceneRun = CliRun.of(concat(new String[] {"spark", "scene", "--checkpoint", checkpoint.toString(),
            "--image", scene.toString(), "--text", "the red storage tank", "--tile", "96", "--overlap", "16",
            "--out", spread.toString(), "--master", cluster.masterUrl(), "--partitions", "4"}, confArgs()));
        assertEquals(0, sceneRun.code(), sceneRun.toString());
        assertTrue(sceneRun.err().contains("shipped with the application"), sceneRun.err());
        GeoRaster a = GeoRaster.open(single);
        GeoRaster b = GeoRaster.open(spread);
        assertEquals(a.geo(), b.geo());
        assertArrayEquals(a.readWindow(0, 0, 300, 300, new int[] {0})[0], b.readWindow(0, 0, 300, 300, new int[] {0})[0]);

        // spark segment, the checkpoint deleted once shipped, an executor killed after the first rows
        int n = 60;
        Path rows = dir.resolve("rows");
        SparkBenchmark.writeRows(rows, n, 48, 64, 21);
        assertEquals(0, Main.run("segment", "--checkpoint", checkpoint.toString(), "--list",
                rows.resolve("pairs.tsv").toString(), "--out-dir", dir.resolve("list").toString(), "--batch", "4"));
        Path out = dir.resolve("masks.parquet");
        Path png = dir.resolve("png");
        KillAfterFirstWrite killer = new KillAfterFirstWrite();
        SparkSegmentJob.Summary summary;
        Map<Integer, Row> byRow = new HashMap<>();
        try (SparkSession spark = SparkSessions.create(cluster.masterUrl(), clusterConf())) {
            CheckpointSource source = CheckpointSource.of(spark, checkpoint, System.err);
            AtomicFiles.deleteTree(checkpoint.getParent()); // from here on, only the application has the model
            spark.sparkContext().addSparkListener(killer);
            summary = SparkSegmentJob.run(spark, source, new SparkSegmentJob.Options(
                    rows.resolve("manifest.csv").toString(), out.toString(), 4, 12, false, png.toString(), 0.5f, 1),
                    System.err);
            for (Row r : spark.read().parquet(out.toString()).collectAsList()) {
                assertEquals(null, byRow.put(Integer.parseInt(r.getAs("id")), r), "row " + r.getAs("id") + " twice");
            }
        }
        assertNotNull(killer.killed.get(), "an executor was killed");
        assertTrue(killer.removed.contains(killer.killed.get()), "the killed executor was lost: " + killer.removed);
        System.err.println("executors added after the kill: " + killer.added + ", failed task attempts: "
                + killer.failedTasks.get());
        assertEquals(n, summary.rows());
        assertEquals(0, summary.errors());
        assertEquals(n, byRow.size());
        long on = 0;
        long pixels = 0;
        for (int i = 0; i < n; i++) {
            Row r = byRow.get(i);
            assertNotNull(r, "row " + i);
            BinaryMask mask = CocoMasks.decode(CocoMasks.fromCompressedString(r.getAs("mask")),
                    r.<Integer>getAs("height"), r.<Integer>getAs("width"));
            assertEquals(listMask(dir.resolve("list").resolve(String.format("%04d-mask.png", i))), mask, "row " + i);
            assertEquals(mask, listMask(png.resolve(i + ".png")), "PNG of row " + i);
            on += mask.count();
            pixels += (long) mask.width() * mask.height();
        }
        assertTrue(on > 0 && on < pixels, "masks neither all empty nor all full: " + on + " of " + pixels);
        try (Stream<Path> files = Files.list(png)) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            assertEquals(n, names.size(), "only the masks, no .crc or other side files: " + names);
            assertTrue(names.stream().allMatch(name -> name.matches("\\d+\\.png")), names.toString());
        }
    }

    @Test
    void aMasterThatDoesNotAnswerIsOneLine() throws IOException {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path checkpoint = dir.resolve("unreachable-ckpt");
        ModelCheckpoint.saveUntrained(checkpoint, BtdNetConfig.micro());
        Files.writeString(dir.resolve("one.csv"), "image,text\na.png,the car\n");
        long start = System.nanoTime();
        CliRun run = CliRun.of("spark", "segment", "--checkpoint", checkpoint.toString(), "--manifest",
                dir.resolve("one.csv").toString(), "--out", dir.resolve("never.parquet").toString(), "--master",
                "spark://127.0.0.1:" + port);
        assertEquals(2, run.code(), run.toString());
        assertEquals(1, run.err().lines().count(), run.toString());
        assertTrue(run.err().startsWith("error: cannot reach the Spark master spark://127.0.0.1:" + port), run.err());
        assertTrue((System.nanoTime() - start) / 1e9 < 30, "answered at once");
    }

    @Test
    void anApplicationTheWorkersCannotHostIsOneLineAfterABoundedWait() {
        Path checkpoint = dir.resolve("too-big-ckpt");
        ModelCheckpoint.saveUntrained(checkpoint, BtdNetConfig.micro());
        CliRun run = CliRun.of(concat(new String[] {"spark", "segment", "--checkpoint", checkpoint.toString(),
            "--manifest", dir.resolve("none.csv").toString(), "--out", dir.resolve("never2.parquet").toString(),
            "--master", cluster.masterUrl()}, concat(confArgs(), "--conf", "spark.executor.memory=64g", "--conf",
                SparkSessions.EXECUTOR_WAIT + "=5s")));
        assertEquals(2, run.code(), run.toString());
        assertTrue(run.err().contains("error: no executor started on " + cluster.masterUrl() + " within 5 s"),
                run.toString());
        assertFalse(run.err().contains("Exception"), run.toString());
    }
}
