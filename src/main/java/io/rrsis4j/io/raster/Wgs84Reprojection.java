package io.rrsis4j.io.raster;

import org.locationtech.proj4j.BasicCoordinateTransform;
import org.locationtech.proj4j.CRSFactory;
import org.locationtech.proj4j.CoordinateReferenceSystem;
import org.locationtech.proj4j.CoordinateTransform;
import org.locationtech.proj4j.ProjCoordinate;
import org.locationtech.proj4j.Proj4jException;

/**
 * Map coordinates of a GeoTIFF's CRS to WGS 84 longitude and latitude in degrees (RFC 7946's order), with proj4j
 * from the CRS {@link GeoTiffCrs} builds out of the GeoKeys. Not thread-safe (proj4j's transforms keep state): one
 * per thread.
 */
public final class Wgs84Reprojection {

    private static final CoordinateReferenceSystem WGS84 = new CRSFactory().createFromName("EPSG:4326");

    private final CoordinateTransform transform;
    private final String source;
    private final ProjCoordinate in = new ProjCoordinate();
    private final ProjCoordinate out = new ProjCoordinate();

    private Wgs84Reprojection(CoordinateTransform transform, String source) {
        this.transform = transform;
        this.source = source;
    }

    /** @throws GeoTiffCrs.Unavailable when the GeoKeys give no CRS that can be reprojected */
    public static Wgs84Reprojection of(GeoReferencing geo) {
        CoordinateReferenceSystem crs = GeoTiffCrs.of(geo);
        return new Wgs84Reprojection(new BasicCoordinateTransform(crs, WGS84), GeoTiffCrs.definition(geo));
    }

    /** The source CRS as given to the projection library ("EPSG:code" or a PROJ string). */
    public String sourceDefinition() {
        return source;
    }

    /**
     * {longitude, latitude} in degrees of map point (x, y).
     * @throws GeoTiffCrs.Unavailable for a point the projection cannot take (outside its domain)
     */
    public double[] lonLat(double x, double y) {
        in.x = x;
        in.y = y;
        try {
            transform.transform(in, out);
        } catch (Proj4jException e) {
            throw new GeoTiffCrs.Unavailable("point (" + x + ", " + y + ") cannot be reprojected to WGS 84: "
                    + GeoRaster.oneLine(e));
        }
        if (!Double.isFinite(out.x) || !Double.isFinite(out.y)) {
            throw new GeoTiffCrs.Unavailable("point (" + x + ", " + y + ") lies outside its projection's domain");
        }
        return new double[] {out.x, out.y};
    }
}
