package io.rrsis4j.io.raster;

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
    static final int GT_CITATION = 1026;
    static final int GEOGRAPHIC_TYPE = 2048;
    static final int GEOG_CITATION = 2049;
    static final int PROJECTED_CS_TYPE = 3072;
    static final int PCS_CITATION = 3073;
    static final int USER_DEFINED = 32767;
    static final int MODEL_PROJECTED = 1;
    static final int MODEL_GEOGRAPHIC = 2;
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

    /** The GeoTIFF tags of a TIFF directory (classic or BigTIFF), as stored. */
    static GeoReferencing fromTags(TiffDirectory dir) {
        double[] keys = dir.get(34735);
        return new GeoReferencing(list(dir.get(33550)), list(dir.get(33922)), list(dir.get(34264)),
                keys == null ? null : java.util.Arrays.stream(keys).mapToObj(v -> (int) v).toList(),
                list(dir.get(34736)), dir.ascii(34737));
    }

    private static List<Double> list(double[] v) {
        return v == null ? null : java.util.Arrays.stream(v).boxed().toList();
    }

    /**
     * Whether pixels map to the CRS through an affine transform, as GDAL decides: a pixel scale with a tiepoint,
     * else a 4 x 4 model transformation. Tiepoints alone are ground control points, which give no transform.
     */
    public boolean isGeoreferenced() {
        return hasScaleAndTiepoint() || (modelTransformation != null && modelTransformation.size() == 16);
    }

    private boolean hasScaleAndTiepoint() {
        return modelPixelScale != null && modelPixelScale.size() >= 2 && modelPixelScale.get(0) != 0
                && modelPixelScale.get(1) != 0 && modelTiepoint != null && modelTiepoint.size() >= 6;
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

    /** Values of a GeoKey stored in GeoDoubleParams, null when the key is absent or stored elsewhere. */
    public double[] geoDoubles(int keyId) {
        if (geoKeyDirectory == null || geoDoubleParams == null || geoKeyDirectory.size() < 4) {
            return null;
        }
        for (int k = 0; k < geoKeyDirectory.get(3) && 4 + 4 * k + 3 < geoKeyDirectory.size(); k++) {
            int base = 4 + 4 * k;
            int count = geoKeyDirectory.get(base + 2);
            int offset = geoKeyDirectory.get(base + 3);
            if (geoKeyDirectory.get(base) == keyId && geoKeyDirectory.get(base + 1) == 34736 && offset >= 0
                    && count > 0 && offset + count <= geoDoubleParams.size()) {
                return geoDoubleParams.subList(offset, offset + count).stream().mapToDouble(Double::doubleValue)
                        .toArray();
            }
        }
        return null;
    }

    /** First value of a GeoKey stored in GeoDoubleParams. */
    public java.util.OptionalDouble geoDouble(int keyId) {
        double[] v = geoDoubles(keyId);
        return v == null ? java.util.OptionalDouble.empty() : java.util.OptionalDouble.of(v[0]);
    }

    /**
     * EPSG code of the CRS, empty when it has none: a projected model (GTModelTypeGeoKey 1) has one only when
     * ProjectedCSTypeGeoKey names it; a user-defined projection on an EPSG datum (ProjectedCSTypeGeoKey 32767,
     * GeographicTypeGeoKey 4326) is not EPSG:4326. A geographic model has GeographicTypeGeoKey's code.
     */
    public OptionalInt epsg() {
        int model = geoKey(GT_MODEL_TYPE).orElse(geoKey(PROJECTED_CS_TYPE).isPresent() ? MODEL_PROJECTED : 0);
        OptionalInt code = model == MODEL_PROJECTED ? geoKey(PROJECTED_CS_TYPE)
                : model == MODEL_GEOGRAPHIC ? geoKey(GEOGRAPHIC_TYPE) : OptionalInt.empty();
        return code.isPresent() && code.getAsInt() > 0 && code.getAsInt() != USER_DEFINED ? code : OptionalInt.empty();
    }

    /**
     * Whether the GeoKeys describe a CRS, with or without an EPSG code: any key but GTRasterTypeGeoKey (GDAL writes
     * an engineering LOCAL_CS as a citation and a unit only).
     */
    public boolean hasCrs() {
        if (geoKeyDirectory == null || geoKeyDirectory.size() < 4) {
            return false;
        }
        for (int k = 0; k < geoKeyDirectory.get(3) && 4 + 4 * k + 3 < geoKeyDirectory.size(); k++) {
            if (geoKeyDirectory.get(4 + 4 * k) != GT_RASTER_TYPE) {
                return true;
            }
        }
        return false;
    }

    /** The CRS's name as the file's citation GeoKeys give it (e.g. "unknown" or "site grid"), empty if none. */
    public java.util.Optional<String> crsCitation() {
        for (int key : new int[] {PCS_CITATION, GT_CITATION, GEOG_CITATION}) {
            java.util.Optional<String> text = asciiKey(key);
            if (text.isPresent() && !text.get().isBlank()) {
                return text;
            }
        }
        return java.util.Optional.empty();
    }

    /** Text of a GeoKey stored in GeoAsciiParams (its '|' terminator dropped). */
    private java.util.Optional<String> asciiKey(int keyId) {
        if (geoKeyDirectory == null || geoAsciiParams == null || geoKeyDirectory.size() < 4) {
            return java.util.Optional.empty();
        }
        for (int k = 0; k < geoKeyDirectory.get(3) && 4 + 4 * k + 3 < geoKeyDirectory.size(); k++) {
            int base = 4 + 4 * k;
            int count = geoKeyDirectory.get(base + 2);
            int offset = geoKeyDirectory.get(base + 3);
            if (geoKeyDirectory.get(base) == keyId && geoKeyDirectory.get(base + 1) == 34737 && offset >= 0
                    && count > 0 && offset + count <= geoAsciiParams.length()) {
                return java.util.Optional.of(geoAsciiParams.substring(offset, offset + count)
                        .replaceAll("[|\\u0000]+$", "").strip());
            }
        }
        return java.util.Optional.empty();
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
        if (hasScaleAndTiepoint()) {
            double sx = modelPixelScale.get(0);
            double sy = modelPixelScale.get(1);
            double i = modelTiepoint.get(0);
            double j = modelTiepoint.get(1);
            gt = new double[] {modelTiepoint.get(3) - i * sx, sx, 0, modelTiepoint.get(4) + j * sy, 0, -sy};
        } else if (isGeoreferenced()) {
            List<Double> m = modelTransformation;
            gt = new double[] {m.get(3), m.get(0), m.get(1), m.get(7), m.get(4), m.get(5)};
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
