package io.rrsis4j.io;

import java.util.List;
import java.util.OptionalInt;

/**
 * Georeferencing of a raster as stored in GeoTIFF tags, kept raw so that it can be written back unchanged
 * (pixel scale 33550, tiepoint 33922, transformation 34264, GeoKeyDirectory 34735, GeoDoubleParams 34736,
 * GeoAsciiParams 34737). Any of the lists may be null when the tag is absent.
 */
public record GeoReferencing(List<Double> modelPixelScale, List<Double> modelTiepoint,
                             List<Double> modelTransformation, List<Integer> geoKeyDirectory,
                             List<Double> geoDoubleParams, String geoAsciiParams) {

    static final int GT_MODEL_TYPE = 1024;
    static final int GT_RASTER_TYPE = 1025;
    static final int GEOGRAPHIC_TYPE = 2048;
    static final int PROJECTED_CS_TYPE = 3072;
    static final int RASTER_PIXEL_IS_POINT = 2;

    /** No georeferencing: pixel coordinates are the map coordinates, no CRS. */
    public static GeoReferencing none() {
        return new GeoReferencing(null, null, null, null, null, null);
    }

    /**
     * North-up georeferencing with pixel-is-area corners: upper-left corner (originX, originY), square pixels of
     * {@code pixelSize} map units. EPSG codes 4000-4999 are written as geographic CRS, all others as projected.
     */
    public static GeoReferencing northUp(int epsg, double originX, double originY, double pixelSize) {
        boolean geographic = epsg >= 4000 && epsg < 5000;
        List<Integer> keys = List.of(1, 1, 0, 3,
                GT_MODEL_TYPE, 0, 1, geographic ? 2 : 1,
                GT_RASTER_TYPE, 0, 1, 1,
                geographic ? GEOGRAPHIC_TYPE : PROJECTED_CS_TYPE, 0, 1, epsg);
        return new GeoReferencing(List.of(pixelSize, pixelSize, 0.0), List.of(0.0, 0.0, 0.0, originX, originY, 0.0),
                null, keys, null, null);
    }

    public boolean isGeoreferenced() {
        return modelTransformation != null || (modelPixelScale != null && modelTiepoint != null);
    }

    /** Value of a GeoKey stored directly in the directory (TIFFTagLocation 0). */
    public OptionalInt geoKey(int keyId) {
        if (geoKeyDirectory == null || geoKeyDirectory.size() < 4) {
            return OptionalInt.empty();
        }
        int count = geoKeyDirectory.get(3);
        for (int k = 0; k < count && 4 + 4 * k + 3 < geoKeyDirectory.size(); k++) {
            int base = 4 + 4 * k;
            if (geoKeyDirectory.get(base) == keyId && geoKeyDirectory.get(base + 1) == 0) {
                return OptionalInt.of(geoKeyDirectory.get(base + 3));
            }
        }
        return OptionalInt.empty();
    }

    /** EPSG code of ProjectedCSTypeGeoKey, else GeographicTypeGeoKey; empty when neither names an EPSG code. */
    public OptionalInt epsg() {
        OptionalInt projected = geoKey(PROJECTED_CS_TYPE);
        if (projected.isPresent() && projected.getAsInt() != 32767) {
            return projected;
        }
        OptionalInt geographic = geoKey(GEOGRAPHIC_TYPE);
        return geographic.isPresent() && geographic.getAsInt() != 32767 ? geographic : OptionalInt.empty();
    }

    public boolean pixelIsPoint() {
        return geoKey(GT_RASTER_TYPE).orElse(1) == RASTER_PIXEL_IS_POINT;
    }

    /**
     * Affine geotransform in GDAL order (originX, pixelW, rotX, originY, rotY, pixelH) mapping pixel corner
     * coordinates (col, row) to map coordinates: x = gt0 + col*gt1 + row*gt2, y = gt3 + col*gt4 + row*gt5.
     * Like GDAL, PixelIsPoint rasters are shifted by half a pixel so that (0, 0) is always the outer corner.
     * Identity (pixel = map coordinates) when the raster is not georeferenced.
     */
    public double[] geoTransform() {
        double[] gt;
        if (modelTransformation != null && modelTransformation.size() >= 16) {
            List<Double> m = modelTransformation;
            gt = new double[] {m.get(3), m.get(0), m.get(1), m.get(7), m.get(4), m.get(5)};
        } else if (modelPixelScale != null && modelTiepoint != null && modelTiepoint.size() >= 6) {
            double sx = modelPixelScale.get(0);
            double sy = modelPixelScale.get(1);
            double i = modelTiepoint.get(0);
            double j = modelTiepoint.get(1);
            gt = new double[] {modelTiepoint.get(3) - i * sx, sx, 0, modelTiepoint.get(4) + j * sy, 0, -sy};
        } else {
            return new double[] {0, 1, 0, 0, 0, 1};
        }
        if (pixelIsPoint()) {
            gt[0] -= 0.5 * (gt[1] + gt[2]);
            gt[3] -= 0.5 * (gt[4] + gt[5]);
        }
        return gt;
    }

    /** Map coordinates of a pixel-corner position (col, row); see {@link #geoTransform()}. */
    public double[] toMap(double col, double row) {
        double[] gt = geoTransform();
        return new double[] {gt[0] + col * gt[1] + row * gt[2], gt[3] + col * gt[4] + row * gt[5]};
    }
}
