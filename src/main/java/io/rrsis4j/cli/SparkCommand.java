package io.rrsis4j.cli;

import io.rrsis4j.InvalidInputException;
import io.rrsis4j.infer.ConnectedRegions;
import io.rrsis4j.infer.SceneOptions;
import io.rrsis4j.infer.SceneSegmentation;
import io.rrsis4j.io.raster.DisplayBands;
import io.rrsis4j.model.weights.TrainedModel;
import io.rrsis4j.spark.CheckpointSource;
import io.rrsis4j.spark.SparkSceneJob;
import io.rrsis4j.spark.SparkSegmentJob;
import io.rrsis4j.spark.SparkSessions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rrsis4j spark}: the segment commands on Apache Spark (embedded local mode by default, or a cluster). */
@Command(name = "spark", mixinStandardHelpOptions = true,
        description = "Segment image archives (spark segment) or one large scene (spark scene) on Apache Spark.",
        subcommands = {SparkCommand.Segment.class, SparkCommand.Scene.class})
public final class SparkCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.out.println("usage: rrsis4j spark segment|scene [options]  (rrsis4j spark segment --help)");
        return 2;
    }

    /** Options both subcommands share. */
    static final class Cluster {
        @Option(names = "--checkpoint", required = true, description = "Checkpoint folder or training run folder (on the driver).")
        Path checkpoint;

        @Option(names = "--master", description = "Spark master: local[*] (default), local[N], spark://HOST:PORT, yarn, ... (spark-submit's when it sets one).")
        String master;

        @Option(names = "--partitions", defaultValue = "0", description = "Tasks (default: spark segment four per core, spark scene one per tile row).")
        int partitions;

        @Option(names = "--batch", defaultValue = "4", description = "Images (or tiles) per forward pass (default ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--conf", description = "Extra Spark setting KEY=VALUE (repeatable), e.g. spark.executor.memory=8g.")
        Map<String, String> conf = new LinkedHashMap<>();

        SparkSession session() {
            TrainedModel.resolve(checkpoint); // a wrong path fails before Spark starts
            if (master != null && !master.matches("local(\\[(\\d+|\\*)(,\\d+)?])?|spark://.+|yarn|k8s://.+|mesos://.+")) {
                throw new InvalidInputException("--master must be local[*], local[N], spark://HOST:PORT, yarn or k8s://..., got " + master);
            }
            long start = System.nanoTime();
            SparkSession spark = SparkSessions.create(master, conf);
            if (!spark.sparkContext().isLocal()) { // one-time cost of a cluster run, as bench spark reports it
                System.err.printf(Locale.ROOT, "application %s on %s: first executor up %.1f s after start%n",
                        spark.sparkContext().applicationId(), spark.sparkContext().master(),
                        (System.nanoTime() - start) / 1e9);
            }
            return spark;
        }
    }

    @Command(name = "segment", mixinStandardHelpOptions = true,
            description = "Every (image, sentence) of a manifest -> one Parquet table (COCO RLE masks, boxes, GeoJSON for GeoTIFFs, errors).")
    static final class Segment implements Callable<Integer> {
        @Mixin
        Cluster cluster;

        @Option(names = "--manifest", required = true, description = "CSV (with a header) or Parquet with columns image, text and optional id; image is a path or URI (hdfs://, s3a://), relative to the manifest's folder.")
        String manifest;

        @Option(names = "--out", required = true, description = "Parquet output folder (path or URI).")
        String out;

        @Option(names = "--mode", defaultValue = "error", description = "What to do when --out exists: error (default) or overwrite.")
        String mode;

        @Option(names = "--png-dir", description = "Also write each mask as ID.png into this folder (path or URI).")
        String pngDir;

        @Option(names = "--threshold", defaultValue = "0.5", description = "Probability above which a pixel is the target (default ${DEFAULT-VALUE}).")
        float threshold;

        @Override
        public Integer call() throws Exception {
            boolean overwrite = switch (mode.toLowerCase(Locale.ROOT)) {
                case "error", "errorifexists" -> false;
                case "overwrite" -> true;
                default -> throw new InvalidInputException("--mode must be error or overwrite, got " + mode);
            };
            try (SparkSession spark = cluster.session()) {
                SparkSegmentJob.Options options = new SparkSegmentJob.Options(manifest, out, cluster.batch,
                        cluster.partitions, overwrite, pngDir, threshold, SparkSessions.executorCores(spark));
                SparkSegmentJob.Summary summary = SparkSegmentJob.run(spark,
                        CheckpointSource.of(spark, cluster.checkpoint, System.err), options, System.err);
                System.out.println(out + ": " + summary);
            }
            return 0;
        }
    }

    @Command(name = "scene", mixinStandardHelpOptions = true,
            description = "One large (georeferenced) scene, its tiles spread over the executors: GeoTIFF mask and GeoJSON as segment --tile.")
    static final class Scene implements Callable<Integer> {
        @Mixin
        Cluster cluster;

        @Option(names = "--image", required = true, description = "The scene (GeoTIFF): a path, or a URI (file:, hdfs://, s3a://) the executors read by ranged reads.")
        String image;

        @Option(names = "--text", required = true, description = "The referring sentence.")
        String text;

        @Option(names = "--out", required = true, description = "GeoTIFF mask to write (255 target, 0 background): path or URI.")
        String out;

        @Option(names = "--geojson", description = "Also write the kept regions as polygons (path or URI; see --geojson-crs).")
        String geojson;

        @Option(names = "--geojson-crs", paramLabel = "native|wgs84", description = "With --geojson: the scene's CRS"
                + " (needs an EPSG code) or WGS 84 longitude, latitude (RFC 7946). Default: native when the CRS has an"
                + " EPSG code, else wgs84.")
        String geojsonCrs;

        @Option(names = "--tile", defaultValue = "480", description = "Tile side (default ${DEFAULT-VALUE}).")
        int tile;

        @Option(names = "--overlap", defaultValue = "64", description = "Overlap of neighbouring tiles (default ${DEFAULT-VALUE}).")
        int overlap;

        @Option(names = "--bands", description = "1-based bands shown as RGB, e.g. 3,2,1.")
        String bands;

        @Override
        public Integer call() throws Exception {
            io.rrsis4j.infer.BtdNetSegmenter.checkSentence(text);
            // as the executors' model will read it: refused here, not in every task
            List<String> warnings = io.rrsis4j.model.weights.TrainedModel.tokenizer(cluster.checkpoint).read(text)
                    .requireSomethingToFind(text).warnings();
            ImageOutputNames.require(Path.of(new org.apache.hadoop.fs.Path(out).getName()), "--out", "GeoTIFF mask",
                    "tif", "tiff");
            if (geojsonCrs != null && geojson == null) {
                throw new io.rrsis4j.InvalidInputException("--geojson-crs " + geojsonCrs
                        + " needs --geojson (the file to write)");
            }
            SceneOptions options = SceneOptions.defaults(null, null).withTiling(tile, overlap)
                    .withBatchSize(cluster.batch).withProgress(false).withBands(DisplayBands.parse(bands))
                    .withGeojsonCrs(io.rrsis4j.infer.GeoJsonCrs.parse(geojsonCrs));
            try (SparkSession spark = cluster.session()) {
                SceneSegmentation.Result result = SparkSceneJob.run(spark, CheckpointSource.of(spark, cluster.checkpoint, System.err),
                        SparkSessions.executorCores(spark), image, text, options,
                        new SparkSceneJob.Outputs(out, geojson), cluster.partitions, System.err);
                long kept = result.regions().stream().filter(ConnectedRegions.Region::kept).count();
                System.out.printf(Locale.ROOT, "%s (%d x %d, %d tiles, %.1f s): %d region(s) kept -> %s%s%n", image,
                        result.width(), result.height(), result.tiles(), result.seconds(), kept, out,
                        geojson == null ? "" : ", " + geojson);
                System.out.println("bands shown: " + result.bands());
                if (result.geojsonCoordinates() != null) {
                    System.out.println("GeoJSON coordinates: " + result.geojsonCoordinates());
                }
                warnings.forEach(w -> System.out.println("warning: " + w));
            }
            return 0;
        }
    }
}
