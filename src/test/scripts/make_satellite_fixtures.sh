#!/usr/bin/env bash
# Writes the satellite-product fixtures of SatelliteBandsTest (src/test/resources/geotiff/satellite/) with GDAL, and
# what GDAL reads from each.
#
# Small multiband scenes (96 x 80) as satellite products come: a Sentinel-2 L2A-like 12-band uint16 stack (band
# descriptions B1..B12 with B8A, reflectance x 10,000 with an offset of -0.1 as scale/offset metadata, nodata 0 on a
# corner cut off by the swath edge), a Landsat 8/9 Collection 2-like 7-band stack (SR_B1..SR_B7, scale 2.75e-5 and
# offset -0.2, nodata 0), float32 reflectance with NaN where there is no data (bands named Blue, Green, Red, NIR),
# float32 RGB (PhotometricInterpretation RGB) with nodata -9999, 12-bit data in a 16-bit container (NBITS=12), a
# 4-band scene in EPSG:4326 (pixels in degrees) whose colours are only in GDAL's colour interpretation, a 5-band
# stack without descriptions or colours, and descriptions carrying central wavelengths as GDAL's SENTINEL2 driver
# writes them. Each has a red rectangle (high red, low green and blue reflectance) on a green-grey background.
#
# expected.json records, per fixture, what GDAL reads: band count, data type, band descriptions, colour
# interpretations, scale, offset, nodata, and the valid-data mask of each band (GetMaskBand, with NaN as no data
# too; gzip'd, 1 byte a pixel, band-sequential) in a .mask.gz file.
#
# Needs gdal-bin and python3-gdal (run with /usr/bin/python3). Usage: src/test/scripts/make_satellite_fixtures.sh.
# mvn test needs only the committed outputs.
set -euo pipefail
cd "$(dirname "$0")/../../.."
OUT=src/test/resources/geotiff/satellite
rm -rf "$OUT" && mkdir -p "$OUT"

/usr/bin/python3 - "$OUT" <<'PY'
import sys, gzip, json, numpy as np
from osgeo import gdal
gdal.UseExceptions()
out = sys.argv[1]
w, h = 96, 80
rng = np.random.default_rng(22)
yy, xx = np.mgrid[0:h, 0:w]
rect = (xx >= 50) & (xx < 74) & (yy >= 20) & (yy < 44)
edge = xx + yy < 30  # a corner outside the swath

def reflectance(red, green, blue, nir):
    """Surface reflectance of four bands: vegetation-like background, a red roof."""
    noise = lambda: rng.normal(0, 0.01, (h, w))
    r = np.where(rect, red, 0.06) + noise()
    g = np.where(rect, green, 0.09) + noise()
    b = np.where(rect, blue, 0.05) + noise()
    n = np.where(rect, nir, 0.35) + noise()
    return [np.clip(v, 0.001, 1) for v in (r, g, b, n)]

def create(name, bands, dtype, options=(), srs='EPSG:32633', gt=(400000.0, 10.0, 0.0, 5000000.0, 0.0, -10.0)):
    ds = gdal.GetDriverByName('GTiff').Create(f'{out}/{name}', w, h, len(bands), dtype,
                                              ['COMPRESS=DEFLATE'] + list(options))
    ds.SetGeoTransform(gt)
    ds.SetProjection(srs)
    for i, a in enumerate(bands):
        ds.GetRasterBand(i + 1).WriteArray(a)
    return ds

R, G, B, N = reflectance(0.45, 0.08, 0.07, 0.30)

# Sentinel-2 L2A (processing baseline 04.00): DN = 10000 * reflectance + 1000, nodata 0
names = ['B1', 'B2', 'B3', 'B4', 'B5', 'B6', 'B7', 'B8', 'B8A', 'B9', 'B11', 'B12']
src = {'B1': B * 0.9, 'B2': B, 'B3': G, 'B4': R, 'B5': R * 0.9 + N * 0.1, 'B6': N * 0.8, 'B7': N * 0.9,
       'B8': N, 'B8A': N, 'B9': N * 0.5, 'B11': G * 2, 'B12': G * 1.5}
dn = [np.where(edge, 0, np.round(src[n] * 10000 + 1000)).astype(np.uint16) for n in names]
ds = create('sentinel2_l2a_12band.tif', dn, gdal.GDT_UInt16)
for i, n in enumerate(names):
    band = ds.GetRasterBand(i + 1)
    band.SetDescription(n)
    band.SetScale(0.0001)
    band.SetOffset(-0.1)
    band.SetNoDataValue(0)
ds = None

# the same bands as GDAL's SENTINEL2 driver describes them (central wavelengths), no colours
ds = create('sentinel2_wavelengths.tif', dn[1:5] + [dn[7]], gdal.GDT_UInt16)
for i, n in enumerate(['B2, central wavelength 490 nm', 'B3, central wavelength 560 nm',
                       'B4, central wavelength 665 nm', 'B5, central wavelength 705 nm',
                       'B8, central wavelength 842 nm']):
    ds.GetRasterBand(i + 1).SetDescription(n)
    ds.GetRasterBand(i + 1).SetNoDataValue(0)
ds = None

# Landsat 8/9 Collection 2 Level-2 surface reflectance: DN = (reflectance + 0.2) / 2.75e-5, nodata 0
lnames = ['SR_B1', 'SR_B2', 'SR_B3', 'SR_B4', 'SR_B5', 'SR_B6', 'SR_B7']
lsrc = [B * 0.9, B, G, R, N, G * 2, G * 1.5]
ldn = [np.where(edge, 0, np.round((v + 0.2) / 2.75e-5)).astype(np.uint16) for v in lsrc]
ds = create('landsat_c2_sr_7band.tif', ldn, gdal.GDT_UInt16)
for i, n in enumerate(lnames):
    band = ds.GetRasterBand(i + 1)
    band.SetDescription(n)
    band.SetScale(2.75e-5)
    band.SetOffset(-0.2)
    band.SetNoDataValue(0)
ds = None

# float32 reflectance, NaN outside the swath, bands named by colour (blue first)
f = [np.where(edge, np.nan, v).astype(np.float32) for v in (B, G, R, N)]
ds = create('float32_reflectance_nan.tif', f, gdal.GDT_Float32, ['PREDICTOR=3'])
for i, n in enumerate(['Blue', 'Green', 'Red', 'NIR']):
    ds.GetRasterBand(i + 1).SetDescription(n)
ds = None

# float32 RGB (PhotometricInterpretation RGB), nodata -9999
f = [np.where(edge, -9999, v).astype(np.float32) for v in (R, G, B)]
ds = create('float32_rgb_nodata.tif', f, gdal.GDT_Float32, ['PHOTOMETRIC=RGB'])
for i in range(3):
    ds.GetRasterBand(i + 1).SetNoDataValue(-9999)
ds = None

# 12-bit data in a 16-bit container (NBITS=12), RGB, nodata 0
t = [np.where(edge, 0, np.clip(np.round(v * 4095 / 0.6), 1, 4095)).astype(np.uint16) for v in (R, G, B)]
ds = create('uint12_rgb_nbits.tif', t, gdal.GDT_UInt16, ['NBITS=12', 'PHOTOMETRIC=RGB'])
for i in range(3):
    ds.GetRasterBand(i + 1).SetNoDataValue(0)
ds = None

# 4 bands (blue, green, red, NIR) in EPSG:4326, colours in GDAL's colour interpretation only
u = [np.where(edge, 0, np.round(v * 10000)).astype(np.uint16) for v in (B, G, R, N)]
ds = create('degrees_bgrn_colorinterp.tif', u, gdal.GDT_UInt16, srs='EPSG:4326',
            gt=(16.3, 0.0001, 0.0, 48.2, 0.0, -0.0001))
for i, c in enumerate([gdal.GCI_BlueBand, gdal.GCI_GreenBand, gdal.GCI_RedBand, gdal.GCI_Undefined]):
    ds.GetRasterBand(i + 1).SetColorInterpretation(c)
    ds.GetRasterBand(i + 1).SetNoDataValue(0)
ds = None

# 5 bands, nothing says which is which
ds = create('unnamed_5band.tif', [np.round(v * 10000).astype(np.uint16) for v in (R, G, B, N, N * 0.5)],
            gdal.GDT_UInt16)
ds = None

expected = {}
for name in sorted(n for n in __import__('os').listdir(out) if n.endswith('.tif')):
    ds = gdal.Open(f'{out}/{name}')
    bands = [ds.GetRasterBand(i + 1) for i in range(ds.RasterCount)]
    # GDAL's mask bands; NaN is no data too (GDAL masks it only when NaN is the declared nodata value)
    masks = np.stack([np.where(np.isnan(b.ReadAsArray().astype(np.float64)), 0, b.GetMaskBand().ReadAsArray())
                      for b in bands]).astype(np.uint8)
    with open(f'{out}/{name[:-4]}.mask.gz', 'wb') as fh:
        fh.write(gzip.compress(masks.tobytes(), mtime=0))
    expected[name] = {
        'bands': ds.RasterCount,
        'dtype': gdal.GetDataTypeName(bands[0].DataType),
        'descriptions': [b.GetDescription() for b in bands],
        'colorinterp': [gdal.GetColorInterpretationName(b.GetColorInterpretation()) for b in bands],
        'scale': [b.GetScale() for b in bands],
        'offset': [b.GetOffset() for b in bands],
        'nodata': bands[0].GetNoDataValue(),
        'nbits': bands[0].GetMetadataItem('NBITS', 'IMAGE_STRUCTURE'),
        'geotransform': list(ds.GetGeoTransform()),
        'masks': name[:-4] + '.mask.gz',
    }
with open(f'{out}/expected.json', 'w') as fh:
    json.dump(expected, fh, indent=1, sort_keys=True)
PY
rm -f "$OUT"/*.aux.xml
ls -l "$OUT" && du -sh "$OUT"
