#!/usr/bin/env bash
# Writes the GeoTIFF fixtures of GeoTiffFixturesTest with GDAL, and what GDAL reads back from each of them.
#
# One small synthetic scene (96 x 80 pixels: a textured green background, a red disc and a blue rectangle, in
# EPSG:32633 at 0.5 m) is written by gdal_translate in every layout a scene may come in: stripped and tiled,
# uncompressed, Deflate (also with the horizontal and the floating-point predictor), LZW, PackBits, JPEG (YCbCr and
# RGB), ZSTD, BigTIFF, COG (with overviews), palette colour, 16-bit 4-band band-interleaved, big-endian, signed
# 16-bit, float32 (also with a nodata value), 1-bit, pixel-is-point, a rotated transform, EPSG:4326, and CRSs
# without an EPSG code (a Transverse Mercator with odd parameters, an engineering LOCAL_CS); also 12-bit, signed 8-
# and 32-bit, float64, RGBA, min-is-white, grey JPEG, and strips of 7 rows. Compressions we refuse (LERC, LZMA, WebP,
# CCITT) get one fixture each. Plain PNG and JPEG files of the scene feed the image-reader fuzz tests.
#
# expected.json records, per fixture, what GDAL reads: size, band count after palette expansion, data type,
# geotransform, the EPSG code of the CRS (null when it has none), the CRS as WKT, and a gzip'd band-sequential
# little-endian dump of the pixels (ReadAsArray; palette files expanded to RGB by GDAL). Identical dumps are shared.
# Lossy (JPEG) files are dumped as GDAL's libjpeg decodes them; the test allows a small difference there.
#
# Needs gdal-bin and python3-gdal (run with /usr/bin/python3). Usage: src/test/scripts/make_gdal_fixtures.sh
# (writes src/test/resources/geotiff/). mvn test needs only the committed outputs, not GDAL.
set -euo pipefail
cd "$(dirname "$0")/../../.."
OUT=src/test/resources/geotiff
rm -rf "$OUT" && mkdir -p "$OUT"
TMP=$(mktemp -d) && trap 'rm -rf "$TMP"' EXIT

# the base scene: RGB uint8, 16-bit 4-band, int16 and float32 single bands, all in EPSG:32633
/usr/bin/python3 - "$TMP" <<'PY'
import sys, numpy as np
from osgeo import gdal
gdal.UseExceptions()
tmp = sys.argv[1]
w, h = 96, 80
rng = np.random.default_rng(13)
yy, xx = np.mgrid[0:h, 0:w]
r = (60 + 0.3 * xx + rng.integers(0, 12, (h, w))).astype(np.uint8)
g = (110 + 0.4 * yy + rng.integers(0, 12, (h, w))).astype(np.uint8)
b = (50 + rng.integers(0, 12, (h, w))).astype(np.uint8)
disc = (xx - 62) ** 2 + (yy - 30) ** 2 <= 14 ** 2
r[disc], g[disc], b[disc] = 220, 30, 35
rect = (xx >= 10) & (xx < 34) & (yy >= 50) & (yy < 70)
r[rect], g[rect], b[rect] = 30, 40, 210
gt = (500000.0, 0.5, 0.0, 5400000.0, 0.0, -0.5)
def write(name, arrays, dtype):
    ds = gdal.GetDriverByName('GTiff').Create(f'{tmp}/{name}', w, h, len(arrays), dtype)
    ds.SetGeoTransform(gt)
    ds.SetProjection('EPSG:32633')
    for i, a in enumerate(arrays):
        ds.GetRasterBand(i + 1).WriteArray(a)
    ds = None
write('rgb.tif', [r, g, b], gdal.GDT_Byte)
write('u16.tif', [b.astype(np.uint16) * 200 + 7, g.astype(np.uint16) * 200 + 3, r.astype(np.uint16) * 200 + 11,
                  (xx * 300 + yy * 11).astype(np.uint16)], gdal.GDT_UInt16)
write('i16.tif', [(xx * 7 - yy * 31 - 900).astype(np.int16)], gdal.GDT_Int16)
write('f32.tif', [(np.sin(xx / 9.0) * np.cos(yy / 7.0) * 0.8 + disc * 0.15).astype(np.float32)], gdal.GDT_Float32)
write('bits.tif', [disc.astype(np.uint8)], gdal.GDT_Byte)
write('i32.tif', [(xx * 100000 - yy * 77777).astype(np.int32)], gdal.GDT_Int32)
write('f64.tif', [(np.sin(xx / 5.0) * 1e3 + yy).astype(np.float64), (xx * 0.1).astype(np.float64)], gdal.GDT_Float64)
write('u12.tif', [(xx * 40 + yy).astype(np.uint16)], gdal.GDT_UInt16)
ds = gdal.GetDriverByName('GTiff').Create(f'{tmp}/i8.tif', w, h, 1, gdal.GDT_Byte, ['PIXELTYPE=SIGNEDBYTE'])
ds.SetGeoTransform(gt)
ds.SetProjection('EPSG:32633')
ds.GetRasterBand(1).WriteArray((xx - 50).astype(np.int8))
ds = None
a = np.full((h, w), 255, np.uint8)
a[:10] = 0
ds = gdal.GetDriverByName('GTiff').Create(f'{tmp}/rgba.tif', w, h, 4, gdal.GDT_Byte, ['ALPHA=YES'])
ds.SetGeoTransform(gt)
ds.SetProjection('EPSG:32633')
for i, band in enumerate([r, g, b, a]):
    ds.GetRasterBand(i + 1).WriteArray(band)
ds = None
# a float band whose left 40 columns are nodata (-9999), as scene edges often are
dem = (100 + xx * 0.5 + yy * 0.25).astype(np.float32)
dem[:, :40] = -9999
write('nodata.tif', [dem], gdal.GDT_Float32)
ds = gdal.Open(f'{tmp}/nodata.tif', gdal.GA_Update)
ds.GetRasterBand(1).SetNoDataValue(-9999)
ds = None
# a rotated (ModelTransformation) georeferencing
ds = gdal.GetDriverByName('GTiff').CreateCopy(f'{tmp}/rotated.tif', gdal.Open(f'{tmp}/rgb.tif'))
ds.SetGeoTransform((500000.0, 0.45, 0.1, 5400000.0, 0.12, -0.5))
ds = None
PY

t() { gdal_translate -q "$@"; }
RGB=$TMP/rgb.tif
t $RGB $OUT/strip_none.tif -co COMPRESS=NONE
t $RGB $OUT/tiled_none.tif -co TILED=YES -co BLOCKXSIZE=32 -co BLOCKYSIZE=32
t $RGB $OUT/strip_deflate.tif -co COMPRESS=DEFLATE
t $RGB $OUT/tiled_deflate_predictor.tif -co COMPRESS=DEFLATE -co PREDICTOR=2 -co TILED=YES -co BLOCKXSIZE=32 -co BLOCKYSIZE=16
t $RGB $OUT/strip_lzw.tif -co COMPRESS=LZW -co PREDICTOR=2
t $RGB $OUT/strip_packbits.tif -co COMPRESS=PACKBITS
t $RGB $OUT/tiled_jpeg_ycbcr.tif -co COMPRESS=JPEG -co PHOTOMETRIC=YCBCR -co TILED=YES -co BLOCKXSIZE=32 -co BLOCKYSIZE=32
t $RGB $OUT/strip_jpeg_rgb.tif -co COMPRESS=JPEG -co PHOTOMETRIC=RGB
t $RGB $OUT/strip_zstd.tif -co COMPRESS=ZSTD -co PREDICTOR=2
t $RGB $OUT/bigtiff_strip_none.tif -co BIGTIFF=YES
t $RGB $OUT/bigtiff_tiled_zstd.tif -co BIGTIFF=YES -co COMPRESS=ZSTD -co TILED=YES -co BLOCKXSIZE=32 -co BLOCKYSIZE=32
t -of COG $RGB $OUT/cog_deflate.tif -co COMPRESS=DEFLATE -co BLOCKSIZE=32
t -of COG $RGB $OUT/cog_jpeg.tif -co COMPRESS=JPEG -co BLOCKSIZE=32
t $RGB $OUT/big_endian.tif -co ENDIANNESS=BIG -co COMPRESS=LZW
rgb2pct.py -n 64 $RGB $TMP/palette_raw.tif >/dev/null
t $TMP/palette_raw.tif $OUT/palette.tif -co COMPRESS=DEFLATE
t -expand rgb $OUT/palette.tif $OUT/palette_as_rgb.tif
t $TMP/u16.tif $OUT/uint16_4band_planar.tif -co COMPRESS=DEFLATE -co PREDICTOR=2 -co INTERLEAVE=BAND
t $TMP/u16.tif $OUT/uint16_4band_big_endian.tif -co ENDIANNESS=BIG
t $TMP/i16.tif $OUT/int16_lzw.tif -co COMPRESS=LZW -co PREDICTOR=2
t $TMP/f32.tif $OUT/float32_predictor3.tif -co COMPRESS=DEFLATE -co PREDICTOR=3
t $TMP/bits.tif $OUT/bit1.tif -co NBITS=1
t $TMP/u12.tif $OUT/uint12_lzw.tif -co NBITS=12 -co COMPRESS=LZW
t $TMP/i32.tif $OUT/int32_lzw_big_endian.tif -co COMPRESS=LZW -co PREDICTOR=2 -co ENDIANNESS=BIG
t $TMP/f64.tif $OUT/float64_zstd_tiles.tif -co COMPRESS=ZSTD -co PREDICTOR=3 -co TILED=YES -co BLOCKXSIZE=32 -co BLOCKYSIZE=32
t $TMP/i8.tif $OUT/int8_packbits.tif -co COMPRESS=PACKBITS
t $TMP/rgba.tif $OUT/rgba_deflate.tif -co COMPRESS=DEFLATE
t $RGB $OUT/min_is_white.tif -b 2 -co PHOTOMETRIC=MINISWHITE -co COMPRESS=DEFLATE
t $RGB $OUT/grey_jpeg_tiled.tif -b 2 -co COMPRESS=JPEG -co TILED=YES -co BLOCKXSIZE=32 -co BLOCKYSIZE=32
t $RGB $OUT/strip_jpeg_ycbcr.tif -co COMPRESS=JPEG -co PHOTOMETRIC=YCBCR -co JPEG_QUALITY=60
t $RGB $OUT/strip_none_7rows.tif -co BLOCKYSIZE=7
t $TMP/nodata.tif $OUT/float32_nodata.tif -co COMPRESS=DEFLATE
t $RGB $OUT/pixel_is_point.tif -mo AREA_OR_POINT=Point -co COMPRESS=DEFLATE
t $TMP/rotated.tif $OUT/rotated.tif -co COMPRESS=DEFLATE
t $RGB $OUT/epsg4326.tif -a_srs EPSG:4326 -a_ullr 16.2 48.3 16.2096 48.292 -co COMPRESS=DEFLATE
t $RGB $OUT/custom_tm.tif -co COMPRESS=DEFLATE \
  -a_srs '+proj=tmerc +lat_0=12.5 +lon_0=17.3 +k=0.9991 +x_0=250000 +y_0=-30000 +ellps=GRS80 +units=m +no_defs'
t $RGB $OUT/local_cs.tif -co COMPRESS=DEFLATE -a_srs 'LOCAL_CS["site grid",UNIT["metre",1],AXIS["Easting",EAST],AXIS["Northing",NORTH]]'
t $RGB $OUT/refused_lerc.tif -co COMPRESS=LERC -co TILED=YES -co BLOCKXSIZE=32 -co BLOCKYSIZE=32
t $RGB $OUT/refused_lzma.tif -co COMPRESS=LZMA
t $RGB $OUT/refused_webp.tif -co COMPRESS=WEBP
t $RGB $OUT/refused_ccitt.tif -b 1 -ot Byte -co NBITS=1 -co COMPRESS=CCITTFAX4
t -of PNG $RGB $OUT/scene.png
t -of JPEG $RGB $OUT/scene.jpg -co QUALITY=90
rm -f $OUT/*.aux.xml

/usr/bin/python3 - "$OUT" <<'PY'
import sys, os, gzip, json, hashlib, numpy as np
from osgeo import gdal, osr
gdal.UseExceptions()
out = sys.argv[1]
expected, dumps = {}, {}
for name in sorted(os.listdir(out)):
    if not name.endswith('.tif'):
        continue
    ds = gdal.Open(f'{out}/{name}')
    md = ds.GetMetadata('IMAGE_STRUCTURE')
    e = {'width': ds.RasterXSize, 'height': ds.RasterYSize, 'compression': md.get('COMPRESSION', 'NONE')}
    if name.startswith('refused_'):
        expected[name] = e
        continue
    band1 = ds.GetRasterBand(1)
    if band1.GetColorTable() is not None:
        ds = gdal.Translate('', ds, format='MEM', rgbExpand='rgb')
    arrays = [ds.GetRasterBand(i + 1).ReadAsArray() for i in range(ds.RasterCount)]
    data = np.stack(arrays)
    srs = ds.GetSpatialRef()
    e.update({'bands': ds.RasterCount, 'dtype': str(data.dtype), 'geotransform': list(ds.GetGeoTransform()),
              'nodata': ds.GetRasterBand(1).GetNoDataValue(),
              'epsg': int(srs.GetAuthorityCode(None)) if srs is not None and srs.GetAuthorityName(None) == 'EPSG' else None,
              'wkt': srs.ExportToWkt() if srs is not None else None,
              'lossy': 'JPEG' in md.get('COMPRESSION', '')})
    raw = data.astype(data.dtype.newbyteorder('<')).tobytes()
    key = hashlib.sha256(raw).hexdigest()
    if key not in dumps:
        dumps[key] = name.replace('.tif', '.pixels.gz')
        with open(f'{out}/{dumps[key]}', 'wb') as f:
            f.write(gzip.compress(raw, mtime=0))
    e['pixels'] = dumps[key]
    expected[name] = e
with open(f'{out}/expected.json', 'w') as f:
    json.dump(expected, f, indent=1, sort_keys=True)
PY
ls -l "$OUT" && du -sh "$OUT"
