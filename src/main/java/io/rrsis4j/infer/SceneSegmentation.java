package io.rrsis4j.infer;

import io.rrsis4j.io.files.OutputSet;
import io.rrsis4j.io.raster.DisplayBands;
import io.rrsis4j.io.raster.GeoRaster;
import io.rrsis4j.io.raster.StripTiffWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;

/**
 * Referring segmentation of a large (geo)referenced scene: tiled inference ({@link TiledSegmenter}), region
 * filtering ({@link ConnectedRegions}), a GeoTIFF mask carrying the source's georeferencing tags unchanged, and
 * GeoJSON polygons in the scene's CRS ({@link GeoJsonWriter}).
 */
public final class SceneSegmentation {

    /** What a run produced: kept regions with their map polygons (same order), and timing. */
    public record Result(int width, int height, int tiles, List<ConnectedRegions.Region> regions,
                         List<Geometry> mapPolygons, double seconds) {}

    private SceneSegmentation() {}

    public static Result run(Segmenter segmenter, Path image, String text, SceneOptions options) {
        return run(segmenter, image, text, options, () -> {});
    }

    /** As {@link #run(Segmenter, Path, String, SceneOptions)}, calling {@code afterTileRow} after each tile row. */
    public static Result run(Segmenter segmenter, Path image, String text, SceneOptions options,
                             Runnable afterTileRow) {
        long start = System.nanoTime();
        GeoRaster raster = GeoRaster.open(image);
        DisplayBands view = DisplayBands.of(raster, options.bands());
        try (OutputSet outputs = reserveOutputs(options, image)) {
            TiledSegmenter tiled = new TiledSegmenter(segmenter, options.tile(), options.overlap(),
                    options.batchSize(), options.progress());
            tiled.setAfterTileRow(afterTileRow);
            ProbabilityMap probability = tiled.segment(view, text);
            return writeOutputs(outputs, raster, probability, options, start);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Regions, GeoTIFF mask and GeoJSON of a blended scene probability ({@code options}' rule and outputs): the
     * second half of {@link #run}, shared with the Spark scene job, which blends its tiles elsewhere.
     */
    public static Result writeOutputs(GeoRaster raster, ProbabilityMap probability, SceneOptions options,
                                      long startNanos) {
        try (OutputSet outputs = reserveOutputs(options, raster.file())) {
            return writeOutputs(outputs, raster, probability, options, startNanos);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Claims the mask and GeoJSON targets: both outputs or neither (a GeoJSON that cannot be written takes the mask
     * GeoTIFF with it); claimed before the tiles run, so an output folder that cannot be written is reported at once.
     */
    private static OutputSet reserveOutputs(SceneOptions options, Path scene) throws IOException {
        OutputSet outputs = new OutputSet(scene);
        try {
            for (Path target : new Path[] {options.maskOut(), options.geojsonOut()}) {
                if (target != null) {
                    outputs.reserve(target);
                }
            }
            return outputs;
        } catch (IOException | RuntimeException e) {
            outputs.close();
            throw e;
        }
    }

    private static Result writeOutputs(OutputSet outputs, GeoRaster raster, ProbabilityMap probability,
                                       SceneOptions options, long startNanos) throws IOException {
        ConnectedRegions regions = ConnectedRegions.find(probability, options.rule());
        List<ConnectedRegions.Region> kept = regions.kept();
        List<Geometry> mapPolygons = new ArrayList<>();
        for (Geometry pixel : regions.keptPixelPolygons(new GeometryFactory())) {
            mapPolygons.add(GeoJsonWriter.toMap(pixel, raster.geo()));
        }
        if (options.maskOut() != null) {
            outputs.write(options.maskOut(), tmp -> {
                try (StripTiffWriter writer = new StripTiffWriter(tmp, raster.width(), raster.height(), 1, 8,
                        raster.geo())) {
                    regions.writeMask(writer);
                }
            });
        }
        if (options.geojsonOut() != null) {
            outputs.write(options.geojsonOut(), tmp -> GeoJsonWriter.write(tmp, mapPolygons, kept, raster.geo()));
        }
        outputs.commit();
        int tiles = TileGrid.origins(raster.width(), options.tile(), options.overlap()).length
                * TileGrid.origins(raster.height(), options.tile(), options.overlap()).length;
        return new Result(raster.width(), raster.height(), tiles, kept, mapPolygons,
                (System.nanoTime() - startNanos) / 1e9);
    }
}
