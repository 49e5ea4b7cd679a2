#!/usr/bin/env bash
# Writes the CRS fixtures of Wgs84ReprojectionTest and GeoJsonCrsSceneTest (src/test/resources/geotiff/crs/) with
# GDAL, and where GDAL puts a few pixel positions of each in WGS 84.
#
# Each fixture is a 32 x 32 RGB GeoTIFF (grey, a red rectangle with corners at pixels 8,6 and 24,20) written by
# gdal_translate -a_srs -a_ullr: EPSG CRSs (UTM 33N, the French national grid Lambert-93, ETRS89 LAEA Europe, Web
# Mercator, WGS 84 with pixels in degrees) and CRSs that GDAL writes as user-defined GeoKeys without an EPSG code
# (transverse Mercator, Lambert conformal conic with two and with one standard parallel in US survey feet, Albers,
# polar stereographic, MODIS's sinusoidal on a sphere, a transverse Mercator on Bessel with a 7-parameter shift to
# WGS 84, Mercator with a true-scale latitude, Lambert azimuthal equal-area, oblique stereographic, Cassini,
# equirectangular). refused_*.tif hold CRSs that cannot be reprojected (an oblique Mercator, an equirectangular with
# a true-scale latitude off the equator, an engineering LOCAL_CS).
#
# wgs84.json records, per fixture, pixel positions (col, row; pixel corners, GDAL's convention: the image's and the
# image's corners, its centre, a fractional position, every pixel corner on the rectangle's outline) and GDAL's longitude and latitude of each, from
# `gdaltransform -t_srs EPSG:4326 -output_xy FILE` (the file's georeferencing, then PROJ's choice of transformation
# to WGS 84), and the CRS as GDAL's PROJ string.
#
# Needs gdal-bin. Usage: src/test/scripts/make_crs_fixtures.sh. mvn test needs only the committed outputs.
set -euo pipefail
cd "$(dirname "$0")/../../.."
OUT=src/test/resources/geotiff/crs
rm -rf "$OUT" && mkdir -p "$OUT"
TMP=$(mktemp -d) && trap 'rm -rf "$TMP"' EXIT
export PROJ_NETWORK=OFF

# 32 x 32 RGB, grey with a red rectangle over pixel columns 8-23 and rows 6-19 (corners 8,6 and 24,20)
/usr/bin/python3 - "$TMP/base.tif" <<'PY'
import sys, numpy as np
from osgeo import gdal
gdal.UseExceptions()
ds = gdal.GetDriverByName('GTiff').Create(sys.argv[1], 32, 32, 3, gdal.GDT_Byte)
rgb = np.full((3, 32, 32), 90, np.uint8)
rgb[:, 6:20, 8:24] = np.array([230, 20, 25], np.uint8)[:, None, None]
for i in range(3):
    ds.GetRasterBand(i + 1).WriteArray(rgb[i])
ds = None
PY
f() { # name, srs, ulx uly lrx lry
  gdal_translate -q "$TMP/base.tif" "$OUT/$1.tif" -co COMPRESS=DEFLATE -a_srs "$2" -a_ullr $3 $4 $5 $6
}
f epsg_utm33n EPSG:32633 499000 5401000 499480 5400520
f epsg_lambert93 EPSG:2154 650000 6862000 650800 6861200
f epsg_laea_europe EPSG:3035 4321000 3211000 4322600 3209400
f epsg_web_mercator EPSG:3857 1500000 6000000 1503200 5996800
f epsg_wgs84_degrees EPSG:4326 16.2 48.3 16.2096 48.2904
f custom_tm '+proj=tmerc +lat_0=12.5 +lon_0=17.3 +k=0.9991 +x_0=250000 +y_0=-30000 +ellps=GRS80 +units=m +no_defs' \
  500000 5400000 500480 5399520
f custom_lcc_2sp '+proj=lcc +lat_1=43.2 +lat_2=47.7 +lat_0=45.1 +lon_0=5.4 +x_0=600000 +y_0=200000 +ellps=GRS80 +units=m +no_defs' \
  612000 231000 612800 230200
f custom_lcc_1sp_us_feet '+proj=lcc +lat_1=35.5 +lat_0=35.5 +lon_0=-97.3 +k_0=0.9999 +x_0=609601.2192 +y_0=30480.06096 +datum=WGS84 +units=us-ft +no_defs' \
  2010000 250000 2011600 248400
f custom_albers '+proj=aea +lat_1=29.5 +lat_2=45.5 +lat_0=23 +lon_0=-96.5 +x_0=10000 +y_0=-5000 +datum=WGS84 +units=m +no_defs' \
  -420000 1650000 -418400 1648400
f custom_polar_stereographic '+proj=stere +lat_0=90 +lat_ts=71 +lon_0=-40 +k=1 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs' \
  120000 -2100000 121600 -2101600
f custom_sinusoidal_sphere '+proj=sinu +lon_0=0 +x_0=0 +y_0=0 +R=6371007.181 +units=m +no_defs' \
  1112000 5000000 1115200 4996800
f custom_tm_bessel_towgs84 '+proj=tmerc +lat_0=0 +lon_0=13.3333333333333 +k=1 +x_0=0 +y_0=-5000000 +ellps=bessel +towgs84=577.326,90.129,463.919,5.137,1.474,5.297,2.4232 +units=m +no_defs' \
  10000 320000 10800 319200
f custom_mercator_lat_ts '+proj=merc +lat_ts=41.5 +lon_0=12.5 +x_0=1000 +y_0=2000 +ellps=GRS80 +units=m +no_defs' \
  150000 4100000 151600 4098400
f custom_laea '+proj=laea +lat_0=40 +lon_0=-20 +x_0=500000 +y_0=600000 +datum=WGS84 +units=m +no_defs' \
  700000 900000 701600 898400
f custom_oblique_stereographic '+proj=sterea +lat_0=47.3 +lon_0=8.7 +k=0.9995 +x_0=150000 +y_0=250000 +ellps=GRS80 +units=m +no_defs' \
  160000 260000 160800 259200
f custom_cassini '+proj=cass +lat_0=10.5 +lon_0=-61.3 +x_0=40000 +y_0=30000 +ellps=GRS80 +units=m +no_defs' \
  52000 41000 52800 40200
f custom_equirectangular '+proj=eqc +lat_ts=0 +lat_0=0 +lon_0=45 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs' \
  96000 3300000 99200 3296800
f refused_equirectangular_true_scale '+proj=eqc +lat_ts=30 +lat_0=0 +lon_0=45 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs' \
  96000 3300000 99200 3296800
f refused_oblique_mercator '+proj=omerc +lat_0=4 +lonc=102.25 +alpha=323.0257905 +gamma=323.1301023611 +k=0.99984 +x_0=804671 +y_0=0 +ellps=GRS80 +units=m +no_defs' \
  400000 500000 400800 499200
f refused_local_grid 'LOCAL_CS["site grid",UNIT["metre",1],AXIS["Easting",EAST],AXIS["Northing",NORTH]]' 100 900 116 884
rm -f "$OUT"/*.aux.xml

# the image's corners, its centre, a fractional position, and every pixel corner on the red rectangle's outline
POINTS=$(printf '0 0\n32 0\n0 32\n32 32\n16 16\n3.25 11.5\n'
         for c in $(seq 8 24); do printf '%s 6\n%s 20\n' "$c" "$c"; done
         for r in $(seq 7 19); do printf '8 %s\n24 %s\n' "$r" "$r"; done)
{
  echo '{'
  first=1
  for tif in "$OUT"/*.tif; do
    name=$(basename "$tif")
    case $name in refused_*) continue ;; esac
    [ $first = 1 ] || echo ','
    first=0
    printf ' "%s": {\n  "proj4": "%s",\n  "points": [' "$name" "$(gdalsrsinfo -o proj4 "$tif" | tr -d '\n' | sed 's/ *$//')"
    paste -d ' ' <(echo "$POINTS") <(echo "$POINTS" | gdaltransform -t_srs EPSG:4326 -output_xy "$tif") \
      | awk 'BEGIN { sep = "" } { printf "%s\n   {\"col\": %s, \"row\": %s, \"lon\": %s, \"lat\": %s}", sep, $1, $2, $3, $4; sep = "," }'
    printf '\n  ]\n }'
  done
  echo
  echo '}'
} > "$OUT/wgs84.json"
/usr/bin/python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$OUT/wgs84.json"
ls -l "$OUT" && du -sh "$OUT"
