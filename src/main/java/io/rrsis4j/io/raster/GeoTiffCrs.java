package io.rrsis4j.io.raster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.locationtech.proj4j.CRSFactory;
import org.locationtech.proj4j.CoordinateReferenceSystem;
import org.locationtech.proj4j.Proj4jException;

/**
 * The CRS of a GeoTIFF as a PROJ definition that proj4j can use, built from the GeoKeys the way GDAL reads them: the
 * EPSG code when the file names one (ProjectedCSTypeGeoKey, GeographicTypeGeoKey), else the user-defined keys: the
 * projection method (ProjCoordTransGeoKey) with its parameters (standard parallels, natural/false/centre origin,
 * false easting and northing, scale), linear units (ProjLinearUnitsGeoKey or ProjLinearUnitSizeGeoKey; false
 * easting and northing are stored in them), angular units, and the geodetic frame (an EPSG geographic CRS or datum,
 * else the ellipsoid's axes with GeogTOWGS84GeoKey when present, the prime meridian). Methods read: transverse
 * Mercator, Mercator, Lambert conformal conic (1SP, 2SP), Lambert azimuthal equal-area, Albers, (polar, oblique)
 * stereographic, Cassini, equirectangular, sinusoidal; each checked against GDAL in Wgs84ReprojectionTest. Anything else
 * gives {@link Unavailable} with one line saying which key stops it, never a guess.
 */
public final class GeoTiffCrs {

    /** Why a GeoTIFF's CRS cannot be built, in one line. */
    public static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message);
        }
    }

    private static final int GEOG_GEODETIC_DATUM = 2050;
    private static final int GEOG_PRIME_MERIDIAN = 2051;
    private static final int GEOG_ANGULAR_UNITS = 2054;
    private static final int GEOG_ELLIPSOID = 2056;
    private static final int GEOG_SEMI_MAJOR = 2057;
    private static final int GEOG_SEMI_MINOR = 2058;
    private static final int GEOG_INV_FLATTENING = 2059;
    private static final int GEOG_PRIME_MERIDIAN_LONG = 2061;
    private static final int GEOG_TOWGS84 = 2062;
    private static final int PROJECTION = 3074;
    private static final int PROJ_COORD_TRANS = 3075;
    private static final int PROJ_LINEAR_UNITS = 3076;
    private static final int PROJ_LINEAR_UNIT_SIZE = 3077;
    private static final int STD_PARALLEL_1 = 3078;
    private static final int STD_PARALLEL_2 = 3079;
    private static final int NAT_ORIGIN_LONG = 3080;
    private static final int NAT_ORIGIN_LAT = 3081;
    private static final int FALSE_EASTING = 3082;
    private static final int FALSE_NORTHING = 3083;
    private static final int FALSE_ORIGIN_LONG = 3084;
    private static final int FALSE_ORIGIN_LAT = 3085;
    private static final int FALSE_ORIGIN_EASTING = 3086;
    private static final int FALSE_ORIGIN_NORTHING = 3087;
    private static final int CENTER_LONG = 3088;
    private static final int CENTER_LAT = 3089;
    private static final int SCALE_AT_NAT_ORIGIN = 3092;
    private static final int SCALE_AT_CENTER = 3093;
    private static final int STRAIGHT_VERT_POLE_LONG = 3095;

    /** GeoTIFF's ProjCoordTransGeoKey codes of methods not read, named for the message. */
    private static final Map<Integer, String> UNREAD_METHODS = Map.ofEntries(
            Map.entry(2, "transverse Mercator (Alaska)"), Map.entry(3, "oblique Mercator"),
            Map.entry(4, "Laborde oblique Mercator"), Map.entry(5, "oblique Mercator (Rosenmund)"),
            Map.entry(6, "oblique Mercator (spherical)"), Map.entry(12, "azimuthal equidistant"),
            Map.entry(13, "equidistant conic"), Map.entry(19, "Gnomonic"), Map.entry(20, "Miller cylindrical"),
            Map.entry(21, "orthographic"), Map.entry(22, "polyconic"), Map.entry(23, "Robinson"),
            Map.entry(25, "Van der Grinten"), Map.entry(26, "New Zealand map grid"),
            Map.entry(27, "transverse Mercator (south oriented)"), Map.entry(9812, "Hotine oblique Mercator (A)"),
            Map.entry(9815, "Hotine oblique Mercator (B)"));

    /** EPSG ellipsoid codes GDAL writes for the common ellipsoids, as PROJ names them. */
    private static final Map<Integer, String> ELLIPSOIDS = Map.of(7030, "WGS84", 7019, "GRS80", 7004, "bessel",
            7008, "clrk66", 7022, "intl", 7001, "airy", 7024, "krass", 7043, "WGS72", 7012, "clrk80");

    private static final CRSFactory FACTORY = new CRSFactory();

    private GeoTiffCrs() {}

    /** proj4j's CRS for the GeoKeys of {@code geo}. @throws Unavailable when they do not define one it can use */
    public static CoordinateReferenceSystem of(GeoReferencing geo) {
        String definition = definition(geo);
        try {
            return definition.startsWith("EPSG:") ? FACTORY.createFromName(definition)
                    : FACTORY.createFromParameters(null, definition);
        } catch (Proj4jException | IllegalStateException | UnsupportedOperationException e) {
            throw new Unavailable("its CRS (" + definition + ") is not known to the projection library: "
                    + GeoRaster.oneLine(e));
        }
    }

    /** "EPSG:code" or a PROJ string ("+proj=... "), as {@link #of} uses it. */
    public static String definition(GeoReferencing geo) {
        if (!geo.hasCrs()) {
            throw new Unavailable("it has no CRS (no GeoKeys)");
        }
        OptionalInt epsg = geo.epsg();
        if (epsg.isPresent()) {
            return "EPSG:" + epsg.getAsInt();
        }
        int model = geo.geoKey(GeoReferencing.GT_MODEL_TYPE).orElse(
                geo.geoKey(GeoReferencing.PROJECTED_CS_TYPE).isPresent() ? GeoReferencing.MODEL_PROJECTED
                        : geo.geoKey(GeoReferencing.GEOGRAPHIC_TYPE).isPresent() ? GeoReferencing.MODEL_GEOGRAPHIC : 0);
        if (model == GeoReferencing.MODEL_GEOGRAPHIC) {
            return "+proj=longlat " + String.join(" ", geodeticFrame(geo));
        }
        if (model != GeoReferencing.MODEL_PROJECTED) {
            throw new Unavailable(model == 0 ? "its CRS" + geo.crsCitation().map(c -> " '" + c + "'").orElse("")
                    + " is a local (engineering) grid with no geodetic definition"
                    : "its GTModelTypeGeoKey " + model + " is not a projected or geographic CRS");
        }
        double metres = new Params(geo).metresPerUnit;
        String frame = String.join(" ", geodeticFrame(geo));
        return projection(geo, frame) + " " + frame + (metres == 1 ? " +units=m" : " +to_meter=" + metres) + " +no_defs";
    }

    private static String projection(GeoReferencing geo, String frame) {
        int conversion = geo.geoKey(PROJECTION).orElse(GeoReferencing.USER_DEFINED);
        if (conversion != GeoReferencing.USER_DEFINED) {
            return utmZone(conversion); // an EPSG conversion code instead of the method and its parameters
        }
        int method = geo.geoKey(PROJ_COORD_TRANS).orElseThrow(() ->
                new Unavailable("its user-defined projection has no ProjCoordTransGeoKey (projection method)"));
        Params p = new Params(geo);
        return switch (method) {
            case 1 -> "+proj=tmerc +lat_0=" + p.angle(NAT_ORIGIN_LAT, 0) + " +lon_0=" + p.angle(NAT_ORIGIN_LONG, 0)
                    + " +k=" + p.plain(SCALE_AT_NAT_ORIGIN, 1) + p.falseOrigin(FALSE_EASTING, FALSE_NORTHING);
            case 7 -> "+proj=merc +lon_0=" + p.angle(NAT_ORIGIN_LONG, 0) + " +k=" + (geo.geoDouble(STD_PARALLEL_1)
                    .isPresent() ? mercatorScale(p.angle(STD_PARALLEL_1, 0), frame) : p.plain(SCALE_AT_NAT_ORIGIN, 1))
                    + p.falseOrigin(FALSE_EASTING, FALSE_NORTHING);
            case 8 -> "+proj=lcc +lat_1=" + p.angle(STD_PARALLEL_1, Double.NaN)
                    + " +lat_2=" + p.angle(STD_PARALLEL_2, Double.NaN)
                    + " +lat_0=" + p.angle(FALSE_ORIGIN_LAT, NAT_ORIGIN_LAT, 0)
                    + " +lon_0=" + p.angle(FALSE_ORIGIN_LONG, NAT_ORIGIN_LONG, 0)
                    + p.falseOrigin(geo.geoDouble(FALSE_ORIGIN_EASTING).isPresent() ? FALSE_ORIGIN_EASTING
                    : FALSE_EASTING, geo.geoDouble(FALSE_ORIGIN_NORTHING).isPresent() ? FALSE_ORIGIN_NORTHING
                    : FALSE_NORTHING);
            case 9 -> "+proj=lcc +lat_1=" + p.angle(NAT_ORIGIN_LAT, Double.NaN) + " +lat_0="
                    + p.angle(NAT_ORIGIN_LAT, Double.NaN) + " +lon_0=" + p.angle(NAT_ORIGIN_LONG, 0)
                    + " +k_0=" + p.plain(SCALE_AT_NAT_ORIGIN, 1) + p.falseOrigin(FALSE_EASTING, FALSE_NORTHING);
            case 10 -> "+proj=laea +lat_0=" + p.angle(CENTER_LAT, NAT_ORIGIN_LAT, 0) + " +lon_0="
                    + p.angle(CENTER_LONG, NAT_ORIGIN_LONG, 0) + p.falseOrigin(FALSE_EASTING, FALSE_NORTHING);
            case 11 -> "+proj=aea +lat_1=" + p.angle(STD_PARALLEL_1, Double.NaN)
                    + " +lat_2=" + p.angle(STD_PARALLEL_2, Double.NaN)
                    + " +lat_0=" + p.angle(NAT_ORIGIN_LAT, FALSE_ORIGIN_LAT, 0)
                    + " +lon_0=" + p.angle(NAT_ORIGIN_LONG, FALSE_ORIGIN_LONG, 0)
                    + p.falseOrigin(FALSE_EASTING, FALSE_NORTHING);
            case 14 -> "+proj=stere +lat_0=" + p.angle(CENTER_LAT, NAT_ORIGIN_LAT, 0) + " +lon_0="
                    + p.angle(CENTER_LONG, NAT_ORIGIN_LONG, 0) + " +k=" + p.plain(SCALE_AT_NAT_ORIGIN, 1)
                    + p.falseOrigin(FALSE_EASTING, FALSE_NORTHING);
            case 15 -> polarStereographic(p);
            case 16 -> "+proj=sterea +lat_0=" + p.angle(NAT_ORIGIN_LAT, 0) + " +lon_0=" + p.angle(NAT_ORIGIN_LONG, 0)
                    + " +k=" + p.plain(SCALE_AT_NAT_ORIGIN, 1) + p.falseOrigin(FALSE_EASTING, FALSE_NORTHING);
            case 17 -> "+proj=eqc +lat_ts=" + trueScaleAtEquator(p.angle(STD_PARALLEL_1, 0)) + " +lat_0="
                    + p.angle(CENTER_LAT, NAT_ORIGIN_LAT, 0) + " +lon_0=" + p.angle(CENTER_LONG, NAT_ORIGIN_LONG, 0)
                    + p.falseOrigin(FALSE_EASTING, FALSE_NORTHING);
            case 18 -> "+proj=cass +lat_0=" + p.angle(NAT_ORIGIN_LAT, 0) + " +lon_0=" + p.angle(NAT_ORIGIN_LONG, 0)
                    + p.falseOrigin(FALSE_EASTING, FALSE_NORTHING);
            case 24 -> "+proj=sinu +lon_0=" + p.angle(CENTER_LONG, NAT_ORIGIN_LONG, 0)
                    + p.falseOrigin(FALSE_EASTING, FALSE_NORTHING);
            default -> throw new Unavailable("its projection method (ProjCoordTransGeoKey " + method
                    + (UNREAD_METHODS.containsKey(method) ? ", " + UNREAD_METHODS.get(method) : "")
                    + ") is not one that can be reprojected here");
        };
    }

    /**
     * Mercator's scale at the equator for a true-scale latitude (EPSG Guidance Note 7-2, Mercator variant B to A):
     * proj4j 1.4 ignores +lat_ts for Mercator.
     */
    private static double mercatorScale(double trueScaleLatitude, String frame) {
        double es = FACTORY.createFromParameters(null, "+proj=longlat " + frame).getProjection().getEllipsoid()
                .getEccentricitySquared();
        double phi = Math.toRadians(trueScaleLatitude);
        return Math.cos(phi) / Math.sqrt(1 - es * Math.sin(phi) * Math.sin(phi));
    }

    /** proj4j 1.4 ignores +lat_ts for the equirectangular projection: only the equator as true-scale latitude. */
    private static double trueScaleAtEquator(double trueScaleLatitude) {
        if (trueScaleLatitude != 0) {
            throw new Unavailable("its equirectangular projection has a true-scale latitude other than the equator ("
                    + trueScaleLatitude + "), which the projection library does not read");
        }
        return 0;
    }

    /** Polar stereographic as GDAL writes it: the latitude of true scale in ProjNatOriginLatGeoKey (its sign the pole). */
    private static String polarStereographic(Params p) {
        double latitude = p.angle(NAT_ORIGIN_LAT, Double.NaN);
        String pole = " +lat_0=" + (latitude < 0 ? -90 : 90) + " +lon_0=" + p.angle(STRAIGHT_VERT_POLE_LONG,
                NAT_ORIGIN_LONG, 0);
        String scale = Math.abs(latitude) == 90 ? " +k=" + p.plain(SCALE_AT_NAT_ORIGIN, 1) : " +lat_ts=" + latitude;
        return "+proj=stere" + pole + scale + p.falseOrigin(FALSE_EASTING, FALSE_NORTHING);
    }

    /** EPSG's UTM conversions (16001-16060 north, 16101-16160 south), the only ProjectionGeoKey codes read. */
    private static String utmZone(int conversion) {
        if (conversion >= 16001 && conversion <= 16060) {
            return "+proj=utm +zone=" + (conversion - 16000);
        }
        if (conversion >= 16101 && conversion <= 16160) {
            return "+proj=utm +south +zone=" + (conversion - 16100);
        }
        throw new Unavailable("its ProjectionGeoKey " + conversion + " (an EPSG conversion other than UTM) is not"
                + " one that can be reprojected here");
    }

    /**
     * The geodetic frame as PROJ parameters: an EPSG geographic CRS's definition, else the one of the EPSG datum's
     * geographic CRS (datum code - 2000, EPSG's numbering), else the ellipsoid (axes or EPSG code) with its
     * shift to WGS 84 when the file gives one; the prime meridian when not Greenwich.
     */
    private static List<String> geodeticFrame(GeoReferencing geo) {
        int gcs = geo.geoKey(GeoReferencing.GEOGRAPHIC_TYPE).orElse(GeoReferencing.USER_DEFINED);
        if (gcs != GeoReferencing.USER_DEFINED) {
            return frameOf(gcs, "its GeographicTypeGeoKey " + gcs);
        }
        int datum = geo.geoKey(GEOG_GEODETIC_DATUM).orElse(GeoReferencing.USER_DEFINED);
        if (datum != GeoReferencing.USER_DEFINED) {
            return frameOf(datum - 2000, "its GeogGeodeticDatumGeoKey " + datum);
        }
        List<String> frame = new ArrayList<>();
        OptionalDouble a = geo.geoDouble(GEOG_SEMI_MAJOR);
        OptionalDouble rf = geo.geoDouble(GEOG_INV_FLATTENING);
        OptionalDouble b = geo.geoDouble(GEOG_SEMI_MINOR);
        int ellipsoid = geo.geoKey(GEOG_ELLIPSOID).orElse(GeoReferencing.USER_DEFINED);
        if (a.isPresent() && (rf.isPresent() || b.isPresent())) {
            frame.add("+a=" + a.getAsDouble());
            frame.add("+b=" + (rf.isPresent() && rf.getAsDouble() != 0 ? semiMinor(a.getAsDouble(), rf.getAsDouble())
                    : b.isPresent() ? b.getAsDouble() : a.getAsDouble()));
        } else if (ELLIPSOIDS.containsKey(ellipsoid)) {
            frame.add("+ellps=" + ELLIPSOIDS.get(ellipsoid));
        } else {
            throw new Unavailable("its user-defined datum has no ellipsoid that can be read (GeogEllipsoidGeoKey "
                    + ellipsoid + ", no semi-axes)");
        }
        double[] toWgs84 = geo.geoDoubles(GEOG_TOWGS84);
        if (toWgs84 != null && (toWgs84.length == 3 || toWgs84.length == 7)) {
            frame.add("+towgs84=" + String.join(",", Arrays.stream(toWgs84).mapToObj(Double::toString).toList()));
        }
        double primeMeridian = geo.geoDouble(GEOG_PRIME_MERIDIAN_LONG).orElse(0);
        int meridianCode = geo.geoKey(GEOG_PRIME_MERIDIAN).orElse(8901);
        if (meridianCode != 8901 && meridianCode != GeoReferencing.USER_DEFINED) {
            throw new Unavailable("its GeogPrimeMeridianGeoKey " + meridianCode + " (not Greenwich) is not read");
        }
        if (primeMeridian != 0) {
            frame.add("+pm=" + new Params(geo).toDegrees(primeMeridian));
        }
        return frame;
    }

    private static List<String> frameOf(int geographicCode, String what) {
        String[] params;
        try {
            params = FACTORY.createFromName("EPSG:" + geographicCode).getParameters();
        } catch (Proj4jException | IllegalStateException e) {
            throw new Unavailable(what + " is not an EPSG geodetic frame known to the projection library");
        }
        List<String> frame = new ArrayList<>();
        for (String param : params) {
            String p = param.startsWith("+") ? param : "+" + param;
            if (p.startsWith("+datum=") || p.startsWith("+ellps=") || p.startsWith("+towgs84=") || p.startsWith("+a=")
                    || p.startsWith("+b=") || p.startsWith("+rf=") || p.startsWith("+pm=") || p.startsWith("+nadgrids=")) {
                frame.add(p);
            }
        }
        if (frame.isEmpty()) {
            throw new Unavailable(what + " has no datum the projection library can use");
        }
        String a = frame.stream().filter(p -> p.startsWith("+a=")).findFirst().orElse(null);
        String rf = frame.stream().filter(p -> p.startsWith("+rf=")).findFirst().orElse(null);
        if (a != null && rf != null) {
            frame.set(frame.indexOf(rf), "+b=" + semiMinor(Double.parseDouble(a.substring(3)),
                    Double.parseDouble(rf.substring(4))));
        }
        return frame;
    }

    /** The semi-minor axis: proj4j 1.4 misreads +rf (a negative eccentricity), so it gets +a and +b. */
    private static double semiMinor(double semiMajor, double inverseFlattening) {
        return semiMajor * (1 - 1 / inverseFlattening);
    }

    /** Parameters of a user-defined projection in PROJ's units: degrees, metres. */
    private static final class Params {
        private final GeoReferencing geo;
        private final double metresPerUnit;
        private final double degreesPerUnit;

        Params(GeoReferencing geo) {
            this.geo = geo;
            int linear = geo.geoKey(PROJ_LINEAR_UNITS).orElse(9001);
            this.metresPerUnit = switch (linear) {
                case 9001 -> 1;
                case 9002 -> 0.3048;
                case 9003 -> 1200.0 / 3937.0;
                case 9036 -> 1000;
                default -> geo.geoDouble(PROJ_LINEAR_UNIT_SIZE).orElseThrow(() ->
                        new Unavailable("its ProjLinearUnitsGeoKey " + linear + " is not a unit that can be read"));
            };
            int angular = geo.geoKey(GEOG_ANGULAR_UNITS).orElse(9102);
            this.degreesPerUnit = switch (angular) {
                case 9102, 9122 -> 1;
                case 9101 -> 180 / Math.PI;
                case 9105 -> 0.9;
                case 9103 -> 1 / 60.0;
                case 9104 -> 1 / 3600.0;
                default -> throw new Unavailable("its GeogAngularUnitsGeoKey " + angular
                        + " is not a unit that can be read");
            };
        }

        double toDegrees(double value) {
            return value * degreesPerUnit;
        }

        /** An angle in degrees; NaN {@code fallback} = required. */
        double angle(int key, double fallback) {
            OptionalDouble v = geo.geoDouble(key);
            if (v.isEmpty() && Double.isNaN(fallback)) {
                throw new Unavailable("its user-defined projection lacks GeoKey " + key + " that its method needs");
            }
            return v.isPresent() ? toDegrees(v.getAsDouble()) : fallback;
        }

        double angle(int key, int otherKey, double fallback) {
            return geo.geoDouble(key).isPresent() ? angle(key, fallback) : angle(otherKey, fallback);
        }

        double plain(int key, double fallback) {
            return geo.geoDouble(key).orElse(geo.geoDouble(key == SCALE_AT_NAT_ORIGIN ? SCALE_AT_CENTER : key)
                    .orElse(fallback));
        }

        /** False easting and northing (stored in the linear unit) in metres, as PROJ wants them. */
        String falseOrigin(int eastingKey, int northingKey) {
            return " +x_0=" + geo.geoDouble(eastingKey).orElse(0) * metresPerUnit + " +y_0="
                    + geo.geoDouble(northingKey).orElse(0) * metresPerUnit;
        }
    }
}
