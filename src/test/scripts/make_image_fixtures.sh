#!/usr/bin/env bash
# Image encodings as cameras, phones, print tools and web tools write them, for ImageEncodingsTest. Every file shows
# the same upright picture (upright.png, 48 x 32: red top-left, green top-right, blue bottom-left, white bottom-right
# quadrants) once decoded as ImageMagick and every viewer decode it. Needs Debian's imagemagick, libjpeg-turbo-progs,
# libimage-exiftool-perl and webp; ImageMagick is called as /usr/bin/convert (the real one).
set -euo pipefail
out="$(cd "$(dirname "$0")/../resources" && pwd)/encodings"
rm -rf "$out"
mkdir -p "$out"
cd "$out"
im=/usr/bin/convert
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

$im -size 48x32 xc:white -fill red -draw 'rectangle 0,0 23,15' -fill lime -draw 'rectangle 24,0 47,15' \
    -fill blue -draw 'rectangle 0,16 23,31' -define png:color-type=2 upright.png

# Camera JPEGs with each EXIF orientation: the pixels are stored turned, the tag says how to turn them upright.
inverse=(none none -flop "-rotate 180" -flip -transpose "-rotate 270" -transverse "-rotate 90")
for n in 1 2 3 4 5 6 7 8; do
    if [ "$n" = 1 ]; then $im upright.png -quality 95 "orientation-$n.jpg"; else
        # shellcheck disable=SC2086
        $im upright.png ${inverse[$n]} -quality 95 "orientation-$n.jpg"; fi
    exiftool -q -overwrite_original -n -Orientation="$n" "orientation-$n.jpg"
    # the check every viewer makes: turned upright, it is the picture again
    $im "orientation-$n.jpg" -auto-orient "$tmp/check.png"
    [ "$(/usr/bin/compare -metric AE -fuzz 20% "$tmp/check.png" upright.png null: 2>&1 || true)" = 0 ] \
        || { echo "orientation $n does not turn upright" >&2; exit 1; }
done

# Print tools' CMYK JPEGs: Pillow (libjpeg) writes plain Adobe CMYK (APP14 transform 0); ImageMagick writes YCCK
# (APP14 transform 2), as Photoshop does.
/usr/bin/python3 -c "from PIL import Image; Image.open('upright.png').convert('CMYK').save('cmyk.jpg', quality=95)"
$im upright.png -colorspace CMYK -quality 95 ycck.jpg
[ "$(exiftool -s -s -s -ColorTransform cmyk.jpg)" = "Unknown (RGB or CMYK)" ] && [ "$(exiftool -s -s -s -ColorTransform ycck.jpg)" = YCCK ]

# libjpeg-turbo's own encodings: progressive (web tools) and arithmetic-coded (no Java decoder: refused by name).
$im upright.png ppm:"$tmp/upright.ppm"
cjpeg -quality 95 -progressive -outfile progressive.jpg "$tmp/upright.ppm"
cjpeg -quality 95 -arithmetic -outfile arithmetic.jpg "$tmp/upright.ppm"
cjpeg -quality 95 -grayscale -outfile grey.jpg "$tmp/upright.ppm"

# PNG layouts: 16-bit RGB and grey, Adam7-interlaced, grey + alpha (8 and 16 bit), palette with a transparent entry.
# The transparent ones are transparent in their right half; drawn on black, the left half is the picture.
$im upright.png -depth 16 -define png:color-type=2 rgb16.png
$im upright.png -colorspace Gray -depth 16 -define png:color-type=0 grey16.png
$im upright.png -interlace PNG interlaced.png
$im upright.png -colorspace Gray \( -size 48x32 xc:white -fill black -draw 'rectangle 24,0 47,31' \) \
    -alpha off -compose CopyOpacity -composite -define png:color-type=4 -depth 8 grey-alpha.png
$im upright.png -colorspace Gray \( -size 48x32 xc:white -fill black -draw 'rectangle 24,0 47,31' \) \
    -alpha off -compose CopyOpacity -composite -define png:color-type=4 -depth 16 grey-alpha16.png
$im upright.png \( -size 48x32 xc:white -fill black -draw 'rectangle 24,0 47,31' \) \
    -alpha off -compose CopyOpacity -composite PNG8:palette-transparent.png
$im upright.png \( -size 48x32 xc:white -fill black -draw 'rectangle 24,0 47,31' \) \
    -alpha off -compose CopyOpacity -composite -depth 16 PNG64:rgba16.png
# RGB with one colour marked transparent (tRNS chunk, no alpha channel): the white quadrant
$im upright.png -transparent white PNG24:rgb-transparent-colour.png

# Web tools' WebP (lossy, lossless with alpha).
cwebp -quiet -q 95 upright.png -o lossy.webp
$im upright.png \( -size 48x32 xc:white -fill black -draw 'rectangle 24,0 47,31' \) \
    -alpha off -compose CopyOpacity -composite "$tmp/alpha.png"
cwebp -quiet -lossless "$tmp/alpha.png" -o lossless-alpha.webp

# Formats no Java reader here decodes, refused by name.
$im upright.png -quality 60 phone.heic
$im upright.png avif.avif
$im upright.png jpeg2000.jp2
$im upright.png codestream.j2k
$im upright.png photoshop.psd

# What ImageMagick decodes at the middle of each quadrant of the upright picture (turned by EXIF, transparency drawn
# on black): the values the test compares with. One line per readable file: NAME R,G,B R,G,B R,G,B R,G,B.
for f in *.jpg *.png *.webp; do
    [ "$f" = arithmetic.jpg ] && continue
    $im "$f" -auto-orient -background black -alpha remove -alpha off -colorspace sRGB -depth 8 "$tmp/flat.png"
    printf '%s' "$f"
    for p in 8,8 40,8 8,24 40,24; do
        printf ' %s' "$($im "$tmp/flat.png" -format "%[fx:int(255*p{$p}.r+0.5)],%[fx:int(255*p{$p}.g+0.5)],%[fx:int(255*p{$p}.b+0.5)]" info:)"
    done
    echo
done > expected-by-imagemagick.txt
ls -l "$out"
