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
 * GeoJSON polygons in the scene's CRS or WGS 84 ({@link GeoJsonCoordinates}, {@link GeoJsonWriter}). The scene is
 * never held whole: blended rows stream into the region scan and the mask is written row by row, so memory depends
 * on the scene's width (the blending buffer of one tile row) and on the number of regions, not on its height.
 */
public final class SceneSegmentation {

    /**
     * What a run produced: kept regions with their map polygons (same order, the scene's CRS), timing, what the
     * GeoJSON's coordinates are (null without a GeoJSON), and which bands the model saw ({@link DisplayBands#choice()}).
     */
    public record Result(int width, int height, int tiles, List<ConnectedRegions.Region> regions,
                         List<Geometry> mapPolygons, double seconds, String geojsonCoordinates, String bands) {}

    private SceneSegmentation() {}

    public static Result run(Segmenter segmenter, Path image, String text, SceneOptions options) {
        return run(segmenter, image, text, options, () -> {});
    }

    /** As {@link #run(Segmenter, Path, String, SceneOptions)}, calling {@code afterTileRow} after each tile row. */
    public static Result run(Segmenter segmenter, Path image, String text, SceneOptions options,
                             Runnable afterTileRow) {
        long start = System.nanoTime();
        GeoRaster raster = GeoRaster.open(image);
        geojsonCoordinates(raster, options); // a GeoJSON that cannot be written is refused before the tiles run
        DisplayBands view = DisplayBands.of(raster, options.bands());
        TiledSegmenter tiled = new TiledSegmenter(segmenter, options.tile(), options.overlap(),
                options.batchSize(), options.progress());
        tiled.setAfterTileRow(afterTileRow);
        return segment(raster, options, start, view.choice(), rows -> tiled.segment(view, text, rows));
    }

    /** Produces a scene's blended probability, row by row, top to bottom. */
    @FunctionalInterface
    public interface Blending {
        void blendInto(ProbabilityRows rows);
    }

    /**
     * Regions, GeoTIFF mask and GeoJSON of a scene whose blended probability {@code blending} produces row by row
     * (tiled here, or the Spark scene job's tile rows from the executors): the outputs are claimed first, the rows
     * go straight to the streaming region scan, and the mask is written row by row from its spill, so no step holds
     * the scene. {@code options}' rule and outputs apply; {@code bands} says which bands the model saw.
     */
    public static Result segment(GeoRaster raster, SceneOptions options, long startNanos, String bands,
                                 Blending blending) {
        try (OutputSet outputs = reserveOutputs(options, raster.file());
             ConnectedRegions regions = ConnectedRegions.streaming(raster.width(), raster.height(), options.rule())) {
            blending.blendInto(regions);
            regions.finish();
            return writeOutputs(outputs, raster, regions, options, startNanos, bands);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The coordinates of the scene's GeoJSON ({@code options.geojsonCrs()}), null without a GeoJSON output.
     * @throws io.rrsis4j.InvalidInputException when no GeoJSON that readers place right can be written
     */
    public static GeoJsonCoordinates geojsonCoordinates(GeoRaster raster, SceneOptions options) {
        return options.geojsonOut() == null ? null
                : GeoJsonCoordinates.choose(raster.file(), raster.geo(), options.geojsonCrs());
    }

    /**
     * Claims the mask and GeoJSON targets: both outputs or neither (a GeoJSON that cannot be written takes the mask
     * GeoTIFF with it); claimed before the tiles run, so an output folder that cannot be written is reported at once.
     */
    private static OutputSet reserveOutputs(SceneOptions options, Path scene) throws IOException {
        OutputSet outputs = scene == null ? new OutputSet() : new OutputSet(scene);
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

    private static Result writeOutputs(OutputSet outputs, GeoRaster raster, ConnectedRegions regions,
                                       SceneOptions options, long startNanos, String bands) throws IOException {
        GeoJsonCoordinates coordinates = geojsonCoordinates(raster, options);
        List<ConnectedRegions.Region> kept = regions.kept();
        if (options.maskOut() != null) {
            outputs.write(options.maskOut(), tmp -> {
                try (StripTiffWriter writer = new StripTiffWriter(tmp, raster.width(), raster.height(), 1, 8,
                        raster.geo())) {
                    regions.writeMask(writer);
                }
            });
        }
        List<Geometry> mapPolygons = new ArrayList<>();
        for (Geometry pixel : regions.keptPixelPolygons(new GeometryFactory())) {
            mapPolygons.add(GeoJsonWriter.toMap(pixel, raster.geo()));
        }
        if (options.geojsonOut() != null) {
            outputs.write(options.geojsonOut(), tmp -> GeoJsonWriter.write(tmp, mapPolygons, kept, coordinates));
        }
        outputs.commit();
        int tiles = TileGrid.origins(raster.width(), options.tile(), options.overlap()).length
                * TileGrid.origins(raster.height(), options.tile(), options.overlap()).length;
        return new Result(raster.width(), raster.height(), tiles, kept, mapPolygons,
                (System.nanoTime() - startNanos) / 1e9, coordinates == null ? null : coordinates.description(),
                bands);
    }
}
