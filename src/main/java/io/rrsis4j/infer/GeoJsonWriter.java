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
 * Kept regions as a GeoJSON FeatureCollection in the scene's CRS: pixel polygons are simplified
 * (TopologyPreservingSimplifier, {@value #SIMPLIFY_PIXELS} pixel) and mapped through the geotransform (pixel corner
 * convention, see {@link GeoReferencing#geoTransform()}). Coordinates are never reprojected (RFC 7946 asks for WGS 84;
 * we keep the scene's CRS, as GDAL's GeoJSON driver does without RFC7946=YES) and the legacy "crs" member is written
 * as GDAL writes it: urn:ogc:def:crs:OGC:1.3:CRS84 for EPSG:4326 (longitude first), urn:ogc:def:crs:EPSG::code for
 * other EPSG codes, and no "crs" member for a CRS without an EPSG code (a custom projection, a local grid): then a
 * "crs_citation" member gives the CRS's name from the GeoKeys, and the mask GeoTIFF, which carries the scene's
 * GeoKeys unchanged, holds its full definition. Never a code that is not the scene's; nothing when the scene is not
 * georeferenced (coordinates are then pixel corners, y down).
 * Properties: area (map units squared), pixel_area, mean_probability, max_probability.
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
                             GeoReferencing geo) {
        ObjectNode root = featureCollection(mapPolygons, regions, geo);
        try {
            AtomicFiles.write(target, out -> JSON.writerWithDefaultPrettyPrinter().writeValue(out, root));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    /** The FeatureCollection of {@link #write} as compact text (a column of the Spark job's table). */
    public static String toJson(List<Geometry> mapPolygons, List<ConnectedRegions.Region> regions,
                                GeoReferencing geo) {
        return featureCollection(mapPolygons, regions, geo).toString();
    }

    /**
     * Every connected part of a thresholded mask (8-connected, no area or score filter) as polygons in the image's
     * CRS, scored by the mean probability of its pixels.
     */
    public static String maskToJson(BinaryMask mask, float[] probability, GeoReferencing geo) {
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
        return toJson(mapPolygons, regions.kept(), geo);
    }

    private static ObjectNode featureCollection(List<Geometry> mapPolygons, List<ConnectedRegions.Region> regions,
                                                GeoReferencing geo) {
        ObjectNode root = JSON.createObjectNode();
        root.put("type", "FeatureCollection");
        crsMember(root, geo);
        ArrayNode features = root.putArray("features");
        for (int i = 0; i < mapPolygons.size(); i++) {
            Geometry g = mapPolygons.get(i);
            ConnectedRegions.Region r = regions.get(i);
            ObjectNode f = features.addObject();
            f.put("type", "Feature");
            f.set("geometry", geometry(g));
            ObjectNode props = f.putObject("properties");
            props.put("area", g.getArea());
            props.put("pixel_area", r.area());
            props.put("mean_probability", r.meanProbability());
            props.put("max_probability", r.maxProbability());
        }
        return root;
    }

    private static void crsMember(ObjectNode root, GeoReferencing geo) {
        if (!geo.isGeoreferenced()) {
            return;
        }
        if (geo.epsg().isPresent()) {
            int code = geo.epsg().getAsInt();
            ObjectNode crs = root.putObject("crs");
            crs.put("type", "name");
            crs.putObject("properties").put("name",
                    code == 4326 ? "urn:ogc:def:crs:OGC:1.3:CRS84" : "urn:ogc:def:crs:EPSG::" + code);
        } else if (geo.hasCrs()) {
            geo.crsCitation().ifPresent(name -> root.put("crs_citation", name));
        }
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
