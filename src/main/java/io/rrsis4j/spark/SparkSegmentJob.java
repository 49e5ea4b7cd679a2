package io.rrsis4j.spark;

import io.rrsis4j.InvalidInputException;
import io.rrsis4j.infer.MaskPrediction;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import scala.Tuple2;

/**
 * {@code rrsis4j spark segment}: every (image, sentence) of a manifest (CSV with a header, or Parquet; columns
 * {@code image}, {@code text}, optional {@code id}) segmented on the executors, written as one Parquet table
 * ({@link MaskRows}) through Spark's file committer: a failed task's attempt is discarded and its retry's rows are
 * committed once, so every manifest row is in the output exactly once.
 */
public final class SparkSegmentJob {

    /**
     * @param partitions tasks (0: four per core of the cluster)
     * @param overwrite  replace an existing output; otherwise an existing output is an error
     * @param pngDir     also write each mask as {@code <id>.png} there (null: none)
     */
    public record Options(String manifest, String out, int batch, int partitions, boolean overwrite, String pngDir,
                          float threshold, int nativeThreads) {
        public Options {
            if (batch < 1) {
                throw new InvalidInputException("--batch must be at least 1, got " + batch);
            }
            if (partitions < 0) {
                throw new InvalidInputException("--partitions must be positive, got " + partitions);
            }
        }

        public static Options of(String manifest, String out) {
            return new Options(manifest, out, 4, 0, false, null, MaskPrediction.DEFAULT_THRESHOLD, 0);
        }

        public Options withBatch(int b) {
            return new Options(manifest, out, b, partitions, overwrite, pngDir, threshold, nativeThreads);
        }

        public Options withPartitions(int p) {
            return new Options(manifest, out, batch, p, overwrite, pngDir, threshold, nativeThreads);
        }

        public Options withOverwrite(boolean o) {
            return new Options(manifest, out, batch, partitions, o, pngDir, threshold, nativeThreads);
        }

        public Options withPngDir(String dir) {
            return new Options(manifest, out, batch, partitions, overwrite, dir, threshold, nativeThreads);
        }

        public Options withNativeThreads(int threads) {
            return new Options(manifest, out, batch, partitions, overwrite, pngDir, threshold, threads);
        }
    }

    /** Rows written (each manifest row once), of which error rows, and the job's time. */
    public record Summary(long rows, long errors, double seconds) {
        public double rowsPerSecond() {
            return seconds > 0 ? rows / seconds : 0;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d rows (%d with errors) in %.1f s: %.2f rows/s", rows, errors,
                    seconds, rowsPerSecond());
        }
    }

    private SparkSegmentJob() {}

    public static Summary run(SparkSession spark, SegmenterSource source, Options options, PrintStream progress) {
        HadoopFiles files = HadoopFiles.of(spark);
        if (files.exists(options.out()) && !options.overwrite()) {
            throw new InvalidInputException(options.out() + ": the output already exists; pass --mode overwrite to"
                    + " replace it");
        }
        boolean madePngDir = options.pngDir() != null && makeFolder(spark, options.pngDir());
        Dataset<Row> manifest = readManifest(spark, options.manifest());
        long total = manifest.count();
        int partitions = options.partitions() > 0 ? options.partitions()
                : (int) Math.max(1, Math.min(4L * spark.sparkContext().defaultParallelism(),
                        (total + options.batch() - 1) / options.batch()));
        JavaPairRDD<Long, ManifestEntry> indexed = manifest.javaRDD().zipWithIndex().mapToPair(t -> {
            Row r = t._1();
            long index = t._2();
            String id = r.isNullAt(2) ? Long.toString(index) : r.getString(2);
            return new Tuple2<>(index, new ManifestEntry(index, id, r.getString(0), r.getString(1)));
        });
        String folder = new org.apache.hadoop.fs.Path(options.manifest()).getParent() == null ? null
                : new org.apache.hadoop.fs.Path(options.manifest()).getParent().toString();
        SegmentPartition.Settings settings = new SegmentPartition.Settings(source, options.nativeThreads(),
                options.batch(), options.threshold(), folder, options.pngDir(), files);
        JavaRDD<Row> rows = indexed
                .repartitionAndSortWithinPartitions(new BatchPartitioner(partitions, options.batch()))
                .mapPartitions(new SegmentPartition(settings));
        RowProgress listener = new RowProgress(total, progress);
        SetupCosts setup = new SetupCosts();
        spark.sparkContext().addSparkListener(listener);
        spark.sparkContext().addSparkListener(setup);
        try {
            spark.createDataFrame(rows, MaskRows.SCHEMA).write()
                    .mode(options.overwrite() ? SaveMode.Overwrite : SaveMode.ErrorIfExists)
                    .parquet(options.out());
        } catch (Exception failed) { // Spark's SparkException is checked, though Scala does not say so
            if (!options.overwrite()) { // it did not exist before: a failed job leaves no half table (_temporary)
                deleteQuietly(spark, options.out(), failed);
            }
            if (madePngDir) {
                deleteQuietly(spark, options.pngDir(), failed);
            }
            throw failed;
        } finally {
            spark.sparkContext().removeSparkListener(listener);
            spark.sparkContext().removeSparkListener(setup);
        }
        if (!spark.sparkContext().isLocal()) {
            progress.println(setup.line());
        }
        double seconds = listener.seconds();
        Dataset<Row> written = spark.read().parquet(options.out());
        long count = written.count();
        long errors = written.where(functions.col("error").isNotNull()).count();
        return new Summary(count, errors, seconds);
    }

    /**
     * Makes a folder the tasks write into, on the driver before the job: a file in the way or a folder that cannot
     * be made is one line now, not a task failure logged by every executor. True when it was made here.
     */
    private static boolean makeFolder(SparkSession spark, String folder) {
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(folder);
        try {
            org.apache.hadoop.fs.FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (fs.exists(path)) {
                if (fs.getFileStatus(path).isFile()) {
                    throw new InvalidInputException(folder + ": is a file where a folder is needed");
                }
                return false;
            }
            if (!fs.mkdirs(path)) {
                throw new InvalidInputException(folder + ": cannot make this folder");
            }
            return true;
        } catch (java.io.IOException e) {
            throw new InvalidInputException(folder + ": cannot make this folder: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    private static void deleteQuietly(SparkSession spark, String out, Exception failure) {
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(out);
        try {
            path.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(path, true);
        } catch (java.io.IOException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * A single file that is not Parquet is refused here, on the driver, in one line: Spark would find out in a task,
     * after logging the task's failure with its stack trace. (A folder is a Parquet dataset; Spark reads it.)
     */
    private static void checkParquetFile(SparkSession spark, String manifest) {
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(manifest);
        try {
            org.apache.hadoop.fs.FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.getFileStatus(path).isFile()) {
                return;
            }
            byte[] magic = new byte[4];
            try (java.io.InputStream in = fs.open(path)) {
                if (in.readNBytes(magic, 0, 4) < 4 || !"PAR1".equals(new String(magic, StandardCharsets.US_ASCII))) {
                    throw new InvalidInputException(manifest + ": not a Parquet file (a CSV manifest must be named"
                            + " *.csv)");
                }
            }
        } catch (java.io.FileNotFoundException e) {
            throw new InvalidInputException(manifest + ": manifest not found");
        } catch (java.io.IOException e) {
            throw new InvalidInputException(manifest + ": cannot read the manifest: " + e.getMessage());
        }
    }

    /** The manifest's image, text and id columns (id null when it has none), all as strings. */
    static Dataset<Row> readManifest(SparkSession spark, String manifest) {
        if (!manifest.toLowerCase(Locale.ROOT).endsWith(".csv")) {
            checkParquetFile(spark, manifest);
        }
        Dataset<Row> table;
        try {
            table = manifest.toLowerCase(Locale.ROOT).endsWith(".csv")
                    ? spark.read().option("header", "true").option("mode", "PERMISSIVE").csv(manifest)
                    : spark.read().parquet(manifest);
        } catch (Exception e) { // Spark's AnalysisException (a missing path) is checked, though Scala does not say so
            throw new InvalidInputException(manifest + ": cannot read the manifest (CSV with a header, or Parquet): "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        if (!Arrays.asList(table.columns()).containsAll(java.util.List.of("image", "text"))) {
            throw new InvalidInputException(manifest + ": the manifest needs columns image and text (it has "
                    + String.join(", ", table.columns()) + ")");
        }
        boolean hasId = Arrays.asList(table.columns()).contains("id");
        return table.select(functions.col("image").cast("string"), functions.col("text").cast("string"),
                hasId ? functions.col("id").cast("string") : functions.lit(null).cast("string").as("id"));
    }
}
