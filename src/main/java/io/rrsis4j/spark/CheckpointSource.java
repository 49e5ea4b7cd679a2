package io.rrsis4j.spark;

import ai.djl.engine.Engine;
import io.rrsis4j.infer.BtdNetSegmenter;
import io.rrsis4j.infer.Segmenter;
import io.rrsis4j.model.weights.TrainedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkFiles;
import org.apache.spark.sql.SparkSession;

/**
 * A BTDNet checkpoint folder for the executors. In local mode they read the driver's folder. On a cluster the
 * driver ships the folder with the job ({@code SparkContext.addFile}), so only the driver's machine needs it;
 * an executor that sees the same path (a shared file system) reads it in place.
 *
 * @param checkpoint  the checkpoint folder on the driver (resolved: a run folder's best or last checkpoint)
 * @param shippedName the folder's name among the job's files, null when it was not shipped
 */
public record CheckpointSource(String checkpoint, String shippedName) implements SegmenterSource {

    /** Resolves the checkpoint on the driver and ships it when the executors may be other machines. */
    public static CheckpointSource of(SparkSession spark, Path checkpoint) {
        Path dir = TrainedModel.resolve(checkpoint).toAbsolutePath();
        if (spark.sparkContext().isLocal()) {
            return new CheckpointSource(dir.toString(), null);
        }
        spark.sparkContext().addFile(dir.toUri().toString(), true);
        return new CheckpointSource(dir.toString(), dir.getFileName().toString());
    }

    @Override
    public String key() {
        return "checkpoint:" + checkpoint;
    }

    @Override
    public Segmenter open() {
        Path local = Path.of(checkpoint);
        if (!Files.isDirectory(local) && shippedName != null) {
            local = Path.of(SparkFiles.get(shippedName));
        }
        // each executor on its own best device: a GPU where its engine sees one (as --device auto), else the CPU
        return BtdNetSegmenter.load(local, Engine.getInstance().defaultDevice());
    }
}
