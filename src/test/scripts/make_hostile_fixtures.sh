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
ls -l "$out"
