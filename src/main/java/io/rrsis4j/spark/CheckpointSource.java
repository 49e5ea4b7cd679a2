package io.rrsis4j.spark;

import ai.djl.engine.Engine;
import io.rrsis4j.infer.BtdNetSegmenter;
import io.rrsis4j.infer.Segmenter;
import io.rrsis4j.model.weights.TrainedModel;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;
import org.apache.spark.SparkFiles;
import org.apache.spark.sql.SparkSession;

/**
 * A BTDNet checkpoint folder for the executors. In local mode they read the driver's folder. On a cluster the
 * driver zips the folder into its own scratch folder and ships the zip with the application
 * ({@code SparkContext.addArchive}); each executor fetches it once from the driver and Spark unpacks it there, so the
 * checkpoint needs to be on the driver's machine only, and only while the session starts (docs/DESIGN-NOTES.md,
 * "Shipping the checkpoint").
 *
 * @param checkpoint  the checkpoint folder on the driver (resolved: a run folder's best or last checkpoint)
 * @param shippedName the unpacked folder's name among the application's files, null in local mode
 */
public record CheckpointSource(String checkpoint, String shippedName) implements SegmenterSource {

    /** Resolves the checkpoint on the driver and ships it when the executors may be other machines. */
    public static CheckpointSource of(SparkSession spark, Path checkpoint, PrintStream progress) {
        Path dir = TrainedModel.resolve(checkpoint).toAbsolutePath();
        if (spark.sparkContext().isLocal()) {
            return new CheckpointSource(dir.toString(), null);
        }
        long start = System.nanoTime();
        String name = "checkpoint-" + UUID.randomUUID();
        // the driver's scratch folder of this application, deleted when the session stops
        Path zip = Path.of(SparkFiles.getRootDirectory(), name + ".zip");
        long bytes = CheckpointArchive.write(dir, zip);
        double zipped = (System.nanoTime() - start) / 1e9;
        addArchive(spark, zip.toUri() + "#" + name);
        progress.printf(Locale.ROOT, "checkpoint %s shipped with the application: %.0f MB, zipped in %.1f s,"
                + " registered in %.1f s%n", dir, bytes / 1e6, zipped, (System.nanoTime() - start) / 1e9 - zipped);
        return new CheckpointSource(dir.toString(), name);
    }

    /**
     * Adds the archive for this session's SQL queries as well as for plain RDD jobs. Spark 4 gives each session its
     * own set of added files, copied from the application's when the session starts: a SQL query's tasks (the
     * manifest job's Parquet write) would not get an archive added later to the application only. Added inside the
     * session's set, the archive reaches both (RDD jobs take the union of all sets).
     */
    private static void addArchive(SparkSession spark, String uri) {
        if (spark instanceof org.apache.spark.sql.classic.SparkSession classic) {
            classic.artifactManager().withResources(new scala.runtime.AbstractFunction0<Object>() {
                @Override
                public Object apply() {
                    spark.sparkContext().addArchive(uri);
                    return null;
                }
            });
        } else {
            spark.sparkContext().addArchive(uri);
        }
    }

    @Override
    public String key() {
        return "checkpoint:" + (shippedName != null ? shippedName : checkpoint);
    }

    @Override
    public Segmenter open() {
        // a shipped checkpoint is always read from the executor's copy, even where the driver's path also exists:
        // a folder of that name on a worker may hold another model
        Path local = shippedName == null ? Path.of(checkpoint) : unpacked(shippedName);
        // each executor on its own best device: a GPU where its engine sees one (as --device auto), else the CPU
        return BtdNetSegmenter.load(local, Engine.getInstance().defaultDevice());
    }

    /**
     * Where Spark unpacked the archive on this executor: among the application's files, or, for the tasks of a SQL
     * query (the manifest job's Parquet write), in the folder Spark keeps for the query's session, one level down.
     * The name is a random UUID, so the first match is the one.
     */
    private static Path unpacked(String name) {
        Path root = Path.of(SparkFiles.getRootDirectory());
        Path direct = root.resolve(name);
        if (Files.isDirectory(direct)) {
            return direct;
        }
        try (java.util.stream.Stream<Path> folders = Files.list(root)) {
            return folders.map(folder -> folder.resolve(name)).filter(Files::isDirectory).findFirst()
                    .orElseThrow(() -> new IllegalStateException("the shipped checkpoint " + name
                            + " is not among this executor's files in " + root.toAbsolutePath()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot list this executor's files in " + root, e);
        }
    }
}
