#!/bin/sh
# Images that the server must accept although Java's own writers do not make them: a CMYK JPEG (Adobe APP14), as
# photo tools write it. Needs ImageMagick. Output: src/test/resources/serve/.
set -eu
out="$(dirname "$0")/../resources/serve"
mkdir -p "$out"
convert -size 24x16 xc:'rgb(230,20,20)' -fill 'rgb(20,40,220)' -draw 'rectangle 12,0 23,15' \
    -colorspace CMYK -quality 90 "$out/cmyk.jpg"
