package io.rrsis4j.infer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rrsis4j.InvalidInputException;
import io.rrsis4j.io.raster.GeoReferencing;
import io.rrsis4j.io.raster.GeoTiffCrs;
import io.rrsis4j.io.raster.Wgs84Reprojection;
import java.nio.file.Path;
import org.locationtech.jts.geom.CoordinateSequence;
import org.locationtech.jts.geom.CoordinateSequenceFilter;
import org.locationtech.jts.geom.Geometry;

/**
 * The coordinates a scene's polygons are written in, chosen so that no GeoJSON reader can put them in the wrong
 * place. RFC 7946 readers (GDAL, QGIS, web maps) take coordinates without a "crs" member for WGS 84 longitude and
 * latitude, so map coordinates are only written as they are when an EPSG code names their CRS:
 * <ul>
 *   <li>CRS with an EPSG code: native by default (with the "crs" member GDAL writes), or reprojected on request;</li>
 *   <li>CRS without an EPSG code (a custom projection): reprojected to WGS 84 by default, saying so; {@code
 *       --geojson-crs native} is refused in one line, since no reader could use the file;</li>
 *   <li>CRS that cannot be reprojected (a local grid, a method the projection library lacks) and has no code:
 *       refused in one line (the GeoTIFF mask keeps the CRS);</li>
 *   <li>no georeferencing at all (a PNG): pixel-corner coordinates, y down, as before; {@code wgs84} is refused.</li>
 * </ul>
 * Not thread-safe (the reprojection keeps state): one per scene and thread.
 */
public final class GeoJsonCoordinates {

    private final GeoReferencing geo;
    private final Wgs84Reprojection reprojection;
    private final String description;
    private final Path scene;

    private GeoJsonCoordinates(Path scene, GeoReferencing geo, Wgs84Reprojection reprojection, String description) {
        this.scene = scene;
        this.geo = geo;
        this.reprojection = reprojection;
        this.description = description;
    }

    /**
     * @param requested {@code --geojson-crs}, null for the default choice
     * @throws InvalidInputException (one line, naming the scene and the option) when no such GeoJSON can be written
     */
    public static GeoJsonCoordinates choose(Path scene, GeoReferencing geo, GeoJsonCrs requested) {
        if (!geo.isGeoreferenced()) {
            if (requested == GeoJsonCrs.WGS84) {
                throw new InvalidInputException(scene, "--geojson-crs wgs84: the scene has no georeferencing (no"
                        + " geotransform), so its polygons have no place on the Earth; leave out --geojson-crs for"
                        + " pixel coordinates");
            }
            return new GeoJsonCoordinates(scene, geo, null, "pixel coordinates (the scene is not georeferenced)");
        }
        boolean coded = geo.epsg().isPresent();
        if (coded && requested != GeoJsonCrs.WGS84) {
            return new GeoJsonCoordinates(scene, geo, null, "EPSG:" + geo.epsg().getAsInt() + ", the scene's CRS");
        }
        String name = geo.crsCitation().filter(c -> !c.equalsIgnoreCase("unknown")).map(c -> " '" + c + "'")
                .orElse("");
        if (requested == GeoJsonCrs.NATIVE) {
            throw new InvalidInputException(scene, "--geojson-crs native: the scene's CRS" + name + " has no EPSG code,"
                    + " so GeoJSON readers would take its coordinates for longitudes and latitudes; use --geojson-crs"
                    + " wgs84 (the default for such scenes)");
        }
        Wgs84Reprojection reprojection;
        try {
            reprojection = Wgs84Reprojection.of(geo);
        } catch (GeoTiffCrs.Unavailable e) {
            throw new InvalidInputException(scene, (requested == GeoJsonCrs.WGS84 ? "--geojson-crs wgs84"
                    : "--geojson") + ": cannot reproject to WGS 84: " + e.getMessage() + (coded ? ""
                    : "; without an EPSG code GeoJSON readers would misplace native coordinates, so none is written"
                    + " (leave out --geojson; the GeoTIFF mask keeps the CRS)"));
        }
        return new GeoJsonCoordinates(scene, geo, reprojection, coded
                ? "WGS 84 longitude, latitude, reprojected from EPSG:" + geo.epsg().getAsInt()
                : "WGS 84 longitude, latitude (RFC 7946), reprojected from the scene's CRS" + name
                + ", which has no EPSG code that GeoJSON readers could use (" + reprojection.sourceDefinition() + ")");
    }

    /** What the coordinates are, for the run's summary. */
    public String description() {
        return description;
    }

    public boolean reprojected() {
        return reprojection != null;
    }

    /** A map-coordinate geometry (the scene's CRS) in the GeoJSON's coordinates (a copy when reprojected). */
    public Geometry toOutput(Geometry map) {
        if (reprojection == null) {
            return map;
        }
        Geometry copy = map.copy();
        copy.apply(new CoordinateSequenceFilter() {
            @Override
            public void filter(CoordinateSequence seq, int i) {
                double[] lonLat;
                try {
                    lonLat = reprojection.lonLat(seq.getX(i), seq.getY(i));
                } catch (GeoTiffCrs.Unavailable e) {
                    throw new InvalidInputException(scene, "--geojson-crs wgs84: " + e.getMessage());
                }
                seq.setOrdinate(i, 0, lonLat[0]);
                seq.setOrdinate(i, 1, lonLat[1]);
            }

            @Override
            public boolean isDone() {
                return false;
            }

            @Override
            public boolean isGeometryChanged() {
                return true;
            }
        });
        return copy;
    }

    /**
     * The legacy "crs" member as GDAL writes it, only for native coordinates with an EPSG code:
     * urn:ogc:def:crs:OGC:1.3:CRS84 for EPSG:4326 (longitude first), urn:ogc:def:crs:EPSG::code otherwise. WGS 84
     * output has none (RFC 7946's default), nor do pixel coordinates.
     */
    void writeCrsMember(ObjectNode root) {
        if (reprojection != null || !geo.isGeoreferenced() || geo.epsg().isEmpty()) {
            return;
        }
        int code = geo.epsg().getAsInt();
        root.putObject("crs").put("type", "name").putObject("properties").put("name",
                code == 4326 ? "urn:ogc:def:crs:OGC:1.3:CRS84" : "urn:ogc:def:crs:EPSG::" + code);
    }
}
