package io.rrsis4j.infer;

import io.rrsis4j.InvalidInputException;
import java.util.Locale;

/**
 * The coordinates a scene's GeoJSON is written in ({@code --geojson-crs}): the scene's own CRS, or WGS 84 longitude
 * and latitude as RFC 7946 asks. Without the option: native when the CRS has an EPSG code (named in the "crs" member,
 * which GDAL and QGIS read), WGS 84 when it has none (see {@link GeoJsonCoordinates}).
 */
public enum GeoJsonCrs {
    NATIVE, WGS84;

    /** "native" or "wgs84" (any case); null or blank gives null, the default choice. */
    public static GeoJsonCrs parse(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "native" -> NATIVE;
            case "wgs84", "wgs-84", "epsg:4326", "crs84" -> WGS84;
            default -> throw new InvalidInputException("--geojson-crs '" + value + "': give native (the scene's CRS)"
                    + " or wgs84 (longitude, latitude; RFC 7946)");
        };
    }

    public String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
