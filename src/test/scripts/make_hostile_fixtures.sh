#!/usr/bin/env bash
# Fixtures of the hostile command-line tests (HostileOptionsTest), written by GDAL: a 30000 x 30000 RGB GeoTIFF
# with every tile missing (SPARSE_OK), a few KB on disk but 2.7 GB as one Java image.
set -euo pipefail
out="$(cd "$(dirname "$0")/../resources" && pwd)/hostile"
mkdir -p "$out"
/usr/bin/python3 - "$out" <<'PY'
import sys
from osgeo import gdal, osr
ds = gdal.GetDriverByName('GTiff').Create(sys.argv[1] + '/too-large-for-one-image.tif', 30000, 30000, 3, gdal.GDT_Byte,
                                          ['TILED=YES', 'BLOCKXSIZE=1024', 'BLOCKYSIZE=1024', 'SPARSE_OK=TRUE'])
ds.SetGeoTransform((500000, 0.5, 0, 4000000, 0, -0.5))
srs = osr.SpatialReference()
srs.ImportFromEPSG(32633)
ds.SetProjection(srs.ExportToWkt())
ds = None
PY
# A tiled, uncompressed GeoTIFF with two of its four 256 x 256 tiles never written (SPARSE_OK: offset and byte count
# 0); GDAL reads them as 0.
/usr/bin/python3 - "$out" <<'PY'
import sys
import numpy as np
from osgeo import gdal
ds = gdal.GetDriverByName('GTiff').Create(sys.argv[1] + '/sparse-tiles.tif', 512, 512, 3, gdal.GDT_Byte,
                                          ['TILED=YES', 'BLOCKXSIZE=256', 'BLOCKYSIZE=256', 'SPARSE_OK=TRUE'])
for b in range(3):
    ds.GetRasterBand(b + 1).WriteArray(np.full((256, 256), 100 + b, dtype='uint8'), 0, 0)
    ds.GetRasterBand(b + 1).WriteArray(np.full((256, 256), 200 + b, dtype='uint8'), 256, 256)
ds = None
a = gdal.Open(sys.argv[1] + '/sparse-tiles.tif').ReadAsArray()
assert a[0, 0, 0] == 100 and a[2, 300, 300] == 202 and a[:, :256, 256:].max() == 0 and a[:, 256:, :256].max() == 0
PY
ls -l "$out"
