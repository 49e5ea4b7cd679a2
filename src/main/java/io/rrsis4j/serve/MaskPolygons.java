package io.rrsis4j.serve;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.operation.union.UnaryUnionOp;
import org.locationtech.jts.simplify.TopologyPreservingSimplifier;

/**
 * Mask outlines as polygons in pixel coordinates (x right, y down, pixel (x, y) covers [x, x+1] x [y, y+1]).
 * Each row's runs of target pixels become rectangles; runs repeated on following rows merge into one taller
 * rectangle; the union of the rectangles is the exact outline, which is then simplified.
 */
public final class MaskPolygons {
    private static final GeometryFactory GEOMETRY = new GeometryFactory();

    private MaskPolygons() {}

    /** Polygons of the 0/1 mask, simplified with the given tolerance in pixels (0 keeps the exact staircase). */
    public static List<Polygon> outline(byte[] mask, int width, int height, double tolerance) {
        List<Geometry> rectangles = new ArrayList<>();
        Map<Long, Integer> open = new LinkedHashMap<>(); // run (x0, x1) -> row where it started
        for (int y = 0; y <= height; y++) {
            Map<Long, Integer> current = new LinkedHashMap<>();
            if (y < height) {
                int x = 0;
                while (x < width) {
                    if (mask[y * width + x] == 0) {
                        x++;
                        continue;
                    }
                    int start = x;
                    while (x < width && mask[y * width + x] != 0) {
                        x++;
                    }
                    long key = ((long) start << 32) | x;
                    current.put(key, open.getOrDefault(key, y));
                }
            }
            for (Map.Entry<Long, Integer> run : open.entrySet()) {
                if (!current.containsKey(run.getKey())) {
                    int x0 = (int) (run.getKey() >>> 32);
                    int x1 = (int) (run.getKey() & 0xffffffffL);
                    rectangles.add(GEOMETRY.toGeometry(new Envelope(x0, x1, run.getValue(), y)));
                }
            }
            open = current;
        }
        if (rectangles.isEmpty()) {
            return List.of();
        }
        Geometry union = UnaryUnionOp.union(rectangles);
        Geometry simplified = tolerance > 0 ? TopologyPreservingSimplifier.simplify(union, tolerance) : union;
        List<Polygon> polygons = new ArrayList<>();
        for (int i = 0; i < simplified.getNumGeometries(); i++) {
            if (simplified.getGeometryN(i) instanceof Polygon polygon && !polygon.isEmpty()) {
                polygons.add(polygon);
            }
        }
        return polygons;
    }

    /** A GeoJSON FeatureCollection (as maps for Jackson) with one Polygon feature per outline. */
    public static Map<String, Object> featureCollection(
            List<Polygon> polygons, float[] probability, byte[] mask, int width, int height, boolean confidence) {
        List<Object> features = new ArrayList<>();
        for (Polygon polygon : polygons) {
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("areaPixels", Math.round(polygon.getArea()));
            if (confidence) {
                properties.put("meanConfidence", meanInside(polygon, probability, mask, width));
            }
            Map<String, Object> feature = new LinkedHashMap<>();
            feature.put("type", "Feature");
            feature.put("geometry", Map.of("type", "Polygon", "coordinates", rings(polygon)));
            feature.put("properties", properties);
            features.add(feature);
        }
        Map<String, Object> collection = new LinkedHashMap<>();
        collection.put("type", "FeatureCollection");
        collection.put("properties", Map.of("width", width, "height", height, "coordinates", "pixel (x right, y down)"));
        collection.put("features", features);
        return collection;
    }

    private static List<List<double[]>> rings(Polygon polygon) {
        List<List<double[]>> rings = new ArrayList<>();
        rings.add(ring(polygon.getExteriorRing()));
        for (int i = 0; i < polygon.getNumInteriorRing(); i++) {
            rings.add(ring(polygon.getInteriorRingN(i)));
        }
        return rings;
    }

    private static List<double[]> ring(LineString ring) {
        List<double[]> points = new ArrayList<>();
        for (Coordinate c : ring.getCoordinates()) {
            points.add(new double[] {c.x, c.y});
        }
        return points;
    }

    /** Mean probability of the mask pixels inside the polygon's bounding box (close enough for a summary). */
    private static double meanInside(Polygon polygon, float[] probability, byte[] mask, int width) {
        Envelope box = polygon.getEnvelopeInternal();
        int height = probability.length / width;
        double sum = 0;
        long count = 0;
        for (int y = Math.max(0, (int) box.getMinY()); y < Math.min(height, (int) Math.ceil(box.getMaxY())); y++) {
            for (int x = Math.max(0, (int) box.getMinX()); x < Math.min(width, (int) Math.ceil(box.getMaxX())); x++) {
                if (mask[y * width + x] != 0) {
                    sum += probability[y * width + x];
                    count++;
                }
            }
        }
        return count == 0 ? 0 : sum / count;
    }
}
