package io.rrsis4j.spark;

import io.rrsis4j.infer.SceneOptions;
import io.rrsis4j.infer.SceneSegmentation;
import io.rrsis4j.infer.Segmenter;
import io.rrsis4j.infer.TileBlender;
import io.rrsis4j.infer.TileGrid;
import io.rrsis4j.infer.TiledSegmenter;
import io.rrsis4j.io.files.AtomicFiles;
import io.rrsis4j.io.raster.DisplayBands;
import io.rrsis4j.io.raster.GeoRaster;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code rrsis4j spark scene}: one large georeferenced scene, its tile rows spread over the executors. The scene is
 * named by path or URI (file:, hdfs://, s3a://...): each task opens it through Hadoop's file system and reads its
 * tile rows' windows with ranged reads (only the TIFF blocks they touch, {@link HadoopRasterBytes}), so the
 * executors need no shared folder; it predicts their tiles with {@link TiledSegmenter#tileRow} (the batches of
 * {@code segment --tile}). The rows are kept by Spark (memory, then disk, compressed) until all are done, then the
 * driver fetches them top to bottom into the same {@link TileBlender}, whose finished rows stream into
 * {@link SceneSegmentation#segment} (region scan, mask row by row), so the outputs are those of
 * {@code segment --tile}. The driver holds one partition's tile rows (one tile row by default) and the blending
 * buffer, both proportional to the scene's width, never the scene. Outputs on a non-local file system are written
 * to local temporaries and copied there when both are complete.
 */
public final class SparkSceneJob {

    /** Probabilities of the tiles of the tile row at {@code y0}, left to right. */
    record TileRow(int y0, float[][] tiles) implements Serializable {}

    /** Where the outputs go: paths or URIs, null for none. */
    public record Outputs(String mask, String geojson) {}

    private SparkSceneJob() {}

    /**
     * @param scene      the scene's path or URI
     * @param options    tiling, bands, rule and batch (its output paths are ignored: {@code outputs} says where)
     * @param partitions tasks (0: one per tile row)
     */
    public static SceneSegmentation.Result run(SparkSession spark, SegmenterSource source, int nativeThreads,
                                               String scene, String text, SceneOptions options, Outputs outputs,
                                               int partitions, PrintStream progress) {
        long start = System.nanoTime();
        HadoopFiles files = HadoopFiles.of(spark);
        GeoRaster raster = files.raster(scene);
        DisplayBands.Settings view = DisplayBands.of(raster, options.bands()).settings();
        int[] ys = TileGrid.origins(raster.height(), options.tile(), options.overlap());
        List<Integer> rows = Arrays.stream(ys).boxed().toList();
        int tile = options.tile();
        int overlap = options.overlap();
        int batch = options.batchSize();
        Path staging = null;
        try {
            Path localMask = localTarget(outputs.mask());
            Path localGeojson = localTarget(outputs.geojson());
            if ((outputs.mask() != null && localMask == null) || (outputs.geojson() != null && localGeojson == null)) {
                staging = Files.createTempDirectory("rrsis4j-scene-");
                localMask = localMask != null || outputs.mask() == null ? localMask : staging.resolve("mask.tif");
                localGeojson = localGeojson != null || outputs.geojson() == null ? localGeojson
                        : staging.resolve("regions.geojson");
            }
            SceneOptions local = options.withOutputs(localMask, localGeojson).withProgress(false);
            SceneSegmentation.geojsonCoordinates(raster, local); // refused before the executors work
            JavaRDD<TileRow> predicted = JavaSparkContext.fromSparkContext(spark.sparkContext())
                    .parallelize(rows, partitions > 0 ? Math.min(partitions, ys.length) : ys.length)
                    .mapPartitions((Iterator<Integer> origins) -> {
                        Segmenter segmenter = ExecutorModels.get(source, nativeThreads);
                        DisplayBands bands = DisplayBands.like(files.raster(scene), view);
                        TiledSegmenter tiled = new TiledSegmenter(segmenter, tile, overlap, batch, false);
                        List<TileRow> out = new ArrayList<>();
                        while (origins.hasNext()) {
                            int y0 = origins.next();
                            out.add(new TileRow(y0, tiled.tileRow(bands, y0, text, n -> {}).toArray(float[][]::new)));
                        }
                        return out.iterator();
                    })
                    .persist(StorageLevel.MEMORY_AND_DISK_SER());
            SceneSegmentation.Result result;
            try {
                long done = predicted.count(); // all tile rows, in parallel
                progress.printf(Locale.ROOT, "tile rows %d / %d predicted in %.1f s%n", done, ys.length,
                        (System.nanoTime() - start) / 1e9);
                int[] xs = TileGrid.origins(raster.width(), tile, overlap);
                result = SceneSegmentation.segment(raster, local, start, view.choice(), blended -> {
                    TileBlender blender = new TileBlender(raster.width(), raster.height(), tile, overlap, blended);
                    for (Iterator<TileRow> it = predicted.toLocalIterator(); it.hasNext(); ) {
                        TileRow row = it.next();
                        blender.startRow(row.y0());
                        for (int k = 0; k < xs.length; k++) {
                            blender.add(row.tiles()[k], xs[k]);
                        }
                    }
                    blender.finish();
                });
            } finally {
                predicted.unpersist(false);
            }
            if (staging != null) {
                upload(files, localMask, outputs.mask(), localGeojson, outputs.geojson());
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (staging != null) {
                try {
                    AtomicFiles.deleteTree(staging);
                } catch (IOException e) {
                    staging.toFile().deleteOnExit();
                }
            }
        }
    }

    /** The local path of a local output, null for none or for a URI of another file system. */
    private static Path localTarget(String target) {
        if (target == null || !HadoopFiles.isLocal(target)) {
            return null;
        }
        return Path.of(new org.apache.hadoop.fs.Path(target).toUri().getPath());
    }

    /** Copies the staged outputs to their file systems: all of them, or none is left there. */
    private static void upload(HadoopFiles files, Path mask, String maskTarget, Path geojson, String geojsonTarget)
            throws IOException {
        List<String> done = new ArrayList<>();
        try {
            for (String[] pair : new String[][] {{maskTarget, String.valueOf(mask)}, {geojsonTarget,
                String.valueOf(geojson)}}) {
                if (pair[0] != null && !HadoopFiles.isLocal(pair[0])) {
                    files.upload(Path.of(pair[1]), pair[0]);
                    done.add(pair[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            for (String target : done) {
                try {
                    files.deleteIfExists(target);
                } catch (IOException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw e;
        }
    }
}
