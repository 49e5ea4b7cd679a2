package io.rrsis4j.infer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rrsis4j.data.BinaryMask;
import io.rrsis4j.io.files.AtomicFiles;
import io.rrsis4j.io.raster.GeoReferencing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.util.AffineTransformation;
import org.locationtech.jts.simplify.TopologyPreservingSimplifier;

/**
 * Kept regions as a GeoJSON FeatureCollection: pixel polygons are simplified (TopologyPreservingSimplifier,
 * {@value #SIMPLIFY_PIXELS} pixel), mapped through the geotransform (pixel corner convention, see
 * {@link GeoReferencing#geoTransform()}) and written in the coordinates {@link GeoJsonCoordinates} chose: the scene's
 * CRS named by its EPSG code in the legacy "crs" member as GDAL writes it, or WGS 84 longitude and latitude (RFC 7946,
 * no "crs" member), or pixel corners (y down) for a scene without georeferencing.
 * Properties: area (the scene's map units squared, whatever the output coordinates), pixel_area, mean_probability,
 * max_probability.
 */
public final class GeoJsonWriter {

    static final double SIMPLIFY_PIXELS = 1.0;
    private static final ObjectMapper JSON = new ObjectMapper();

    private GeoJsonWriter() {}

    /** Pixel polygon -> simplified polygon in map coordinates. */
    public static Geometry toMap(Geometry pixelPolygon, GeoReferencing geo) {
        Geometry simplified = TopologyPreservingSimplifier.simplify(pixelPolygon, SIMPLIFY_PIXELS);
        double[] gt = geo.geoTransform();
        return new AffineTransformation(gt[1], gt[2], gt[0], gt[4], gt[5], gt[3]).transform(simplified);
    }

    public static void write(Path target, List<Geometry> mapPolygons, List<ConnectedRegions.Region> regions,
                             GeoJsonCoordinates coordinates) {
        ObjectNode root = featureCollection(mapPolygons, regions, coordinates);
        try {
            AtomicFiles.write(target, out -> JSON.writerWithDefaultPrettyPrinter().writeValue(out, root));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    /** The FeatureCollection of {@link #write} as compact text (a column of the Spark job's table). */
    public static String toJson(List<Geometry> mapPolygons, List<ConnectedRegions.Region> regions,
                                GeoJsonCoordinates coordinates) {
        return featureCollection(mapPolygons, regions, coordinates).toString();
    }

    /**
     * Every connected part of a thresholded mask (8-connected, no area or score filter) as polygons in the default
     * coordinates of {@link GeoJsonCoordinates} (native with an EPSG code, else WGS 84), scored by the mean
     * probability of its pixels; null when the image's CRS has no EPSG code and cannot be reprojected.
     */
    public static String maskToJson(Path image, BinaryMask mask, float[] probability, GeoReferencing geo) {
        GeoJsonCoordinates coordinates;
        try {
            coordinates = GeoJsonCoordinates.choose(image, geo, null);
        } catch (io.rrsis4j.InvalidInputException e) {
            return null;
        }
        ProbabilityMap map = new ProbabilityMap(mask.width(), mask.height());
        byte[] on = mask.pixels();
        for (int i = 0; i < on.length; i++) {
            if (on[i] != 0) { // at least 0.5, so that the region rule below keeps exactly the mask's pixels
                map.set(i % mask.width(), i / mask.width(), Math.max(0.5, probability[i]));
            }
        }
        ConnectedRegions regions = ConnectedRegions.find(map, new ConnectedRegions.Rule(0.5, 1, 0));
        List<Geometry> mapPolygons = new ArrayList<>();
        for (Geometry pixel : regions.keptPixelPolygons(new GeometryFactory())) {
            mapPolygons.add(toMap(pixel, geo));
        }
        return toJson(mapPolygons, regions.kept(), coordinates);
    }

    private static ObjectNode featureCollection(List<Geometry> mapPolygons, List<ConnectedRegions.Region> regions,
                                                GeoJsonCoordinates coordinates) {
        ObjectNode root = JSON.createObjectNode();
        root.put("type", "FeatureCollection");
        coordinates.writeCrsMember(root);
        ArrayNode features = root.putArray("features");
        for (int i = 0; i < mapPolygons.size(); i++) {
            Geometry g = mapPolygons.get(i);
            ConnectedRegions.Region r = regions.get(i);
            ObjectNode f = features.addObject();
            f.put("type", "Feature");
            f.set("geometry", geometry(coordinates.toOutput(g)));
            ObjectNode props = f.putObject("properties");
            props.put("area", g.getArea());
            props.put("pixel_area", r.area());
            props.put("mean_probability", r.meanProbability());
            props.put("max_probability", r.maxProbability());
        }
        return root;
    }

    private static ObjectNode geometry(Geometry g) {
        ObjectNode node = JSON.createObjectNode();
        if (g instanceof Polygon p) {
            node.put("type", "Polygon");
            polygon(node.putArray("coordinates"), p);
        } else {
            node.put("type", "MultiPolygon");
            ArrayNode polys = node.putArray("coordinates");
            for (int i = 0; i < g.getNumGeometries(); i++) {
                if (g.getGeometryN(i) instanceof Polygon p) {
                    polygon(polys.addArray(), p);
                }
            }
        }
        return node;
    }

    private static void polygon(ArrayNode rings, Polygon p) {
        // RFC 7946: exterior counter-clockwise, holes clockwise
        ring(rings.addArray(), p.getExteriorRing(), true);
        for (int i = 0; i < p.getNumInteriorRing(); i++) {
            ring(rings.addArray(), p.getInteriorRingN(i), false);
        }
    }

    private static void ring(ArrayNode out, LineString ring, boolean counterClockwise) {
        Coordinate[] c = ring.getCoordinates();
        boolean ccw = org.locationtech.jts.algorithm.Orientation.isCCW(c);
        if (ccw != counterClockwise) {
            c = c.clone();
            java.util.Collections.reverse(java.util.Arrays.asList(c));
        }
        for (Coordinate xy : c) {
            out.addArray().add(xy.x).add(xy.y);
        }
    }
}
