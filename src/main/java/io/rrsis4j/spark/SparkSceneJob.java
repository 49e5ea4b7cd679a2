package io.rrsis4j.spark;

import io.rrsis4j.infer.SceneOptions;
import io.rrsis4j.infer.SceneSegmentation;
import io.rrsis4j.infer.Segmenter;
import io.rrsis4j.infer.TileBlender;
import io.rrsis4j.infer.TileGrid;
import io.rrsis4j.infer.TiledSegmenter;
import io.rrsis4j.io.raster.DisplayBands;
import io.rrsis4j.io.raster.GeoRaster;
import java.io.PrintStream;
import java.io.Serializable;
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
 * {@code rrsis4j spark scene}: one large georeferenced scene, its tile rows spread over the executors. Each task
 * reads its tile rows' windows from the scene file and predicts their tiles with
 * {@link TiledSegmenter#tileRow} (the batches of {@code segment --tile}); the rows are kept by Spark (memory, then
 * disk, compressed) until all are done, then the driver feeds them top to bottom to the same {@link TileBlender} and
 * writes the outputs with {@link SceneSegmentation#writeOutputs}, so the mask is that of {@code segment --tile}. The
 * driver holds one tile row of probabilities and the byte-per-pixel map. The scene must be readable at the same
 * path on the driver and the executors (local mode, or a shared file system).
 */
public final class SparkSceneJob {

    /** Probabilities of the tiles of the tile row at {@code y0}, left to right. */
    record TileRow(int y0, float[][] tiles) implements Serializable {}

    private SparkSceneJob() {}

    /** @param partitions tasks (0: one per tile row) */
    public static SceneSegmentation.Result run(SparkSession spark, SegmenterSource source, int nativeThreads,
                                               Path scene, String text, SceneOptions options, int partitions,
                                               PrintStream progress) {
        long start = System.nanoTime();
        GeoRaster raster = GeoRaster.open(scene);
        SceneSegmentation.geojsonCoordinates(raster, options); // refused before the executors work
        DisplayBands.Settings view = DisplayBands.of(raster, options.bands()).settings();
        int[] ys = TileGrid.origins(raster.height(), options.tile(), options.overlap());
        List<Integer> rows = Arrays.stream(ys).boxed().toList();
        String path = scene.toAbsolutePath().toString();
        int tile = options.tile();
        int overlap = options.overlap();
        int batch = options.batchSize();
        JavaRDD<TileRow> predicted = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(rows, partitions > 0 ? Math.min(partitions, ys.length) : ys.length)
                .mapPartitions((Iterator<Integer> origins) -> {
                    Segmenter segmenter = ExecutorModels.get(source, nativeThreads);
                    DisplayBands bands = DisplayBands.like(GeoRaster.open(Path.of(path)), view);
                    TiledSegmenter tiled = new TiledSegmenter(segmenter, tile, overlap, batch, false);
                    List<TileRow> out = new ArrayList<>();
                    while (origins.hasNext()) {
                        int y0 = origins.next();
                        out.add(new TileRow(y0, tiled.tileRow(bands, y0, text, n -> {}).toArray(float[][]::new)));
                    }
                    return out.iterator();
                })
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
        try {
            long done = predicted.count(); // all tile rows, in parallel
            progress.printf(Locale.ROOT, "tile rows %d / %d predicted in %.1f s%n", done, ys.length,
                    (System.nanoTime() - start) / 1e9);
            int[] xs = TileGrid.origins(raster.width(), tile, overlap);
            TileBlender blender = new TileBlender(raster.width(), raster.height(), tile, overlap);
            for (Iterator<TileRow> it = predicted.toLocalIterator(); it.hasNext(); ) {
                TileRow row = it.next();
                blender.startRow(row.y0());
                for (int k = 0; k < xs.length; k++) {
                    blender.add(row.tiles()[k], xs[k]);
                }
            }
            return SceneSegmentation.writeOutputs(raster, blender.finish(), options, start, view.choice());
        } finally {
            predicted.unpersist(false);
        }
    }
}
