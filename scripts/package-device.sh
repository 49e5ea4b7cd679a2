#!/usr/bin/env bash
# Packs rrsis4j for a GPU machine that has its own PyTorch: target/device/ (and target/rrsis4j-device.tar.gz) with
#   rrsis4j.jar  the runnable jar without Spark (spark-submit brings it) and without the bundled CPU libtorch (about 440 MB of the jar's 130 MB compressed)
#   jre/         a Java runtime cut to the modules the jar uses (jdeps + jlink), so the machine needs no JDK, with the
#                libraries its native code links to (libjpeg, libpng, lcms2, zlib, freetype, X11, ... as this machine has
#                them) copied into jre/lib: the package needs nothing from the system but glibc, libstdc++ and libgcc
#   run          ./rrsis4j on those two; it needs --torch DIR (or RRSIS4J_TORCH), the machine's torch folder
# Copy the tarball over, unpack, then: ./run --torch /path/to/site-packages/torch bench model --device gpu
# Usage: scripts/package-device.sh [TORCH_DIR]   (with TORCH_DIR: also runs a micro forward on it as a check)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/target/device"
check_torch="${1:-}"

echo "building the jar ..." >&2
# the cluster profile's jar: everything but Spark (about 200 MB the GPU machine's commands do not use)
(cd "$root" && mvn -q -B -DskipTests -Pcluster package) >&2
rm -rf "$out"
mkdir -p "$out/scripts"
cp "$root/target/rrsis4j-cluster.jar" "$out/rrsis4j.jar"
# the CPU libtorch (pytorch-native-cpu) and the JNIs of other platforms; the Linux x86_64 JNIs (cpu, cu128) stay
zip -q -d "$out/rrsis4j.jar" 'pytorch/*' 'native/lib/pytorch.properties' 'jnilib/linux-aarch64/*' 'jnilib/osx-*' \
  'jnilib/win-*' >/dev/null
if unzip -l "$out/rrsis4j.jar" | grep -q 'libtorch'; then
  echo "error: $out/rrsis4j.jar still holds a libtorch" >&2
  exit 1
fi

modules="$(jdeps --ignore-missing-deps --multi-release 17 --print-module-deps "$out/rrsis4j.jar")"
# jdk.unsupported: DJL and Jetty reach sun.misc.Unsafe by reflection, which jdeps cannot see
jlink --add-modules "$modules,jdk.unsupported,jdk.crypto.ec" --strip-debug --no-man-pages --no-header-files \
  --compress=2 --output "$out/jre"
# Text in images (word maps, galleries) needs fonts. Java would ask fontconfig (opened at run time, so ldd does not
# list it) for the machine's fonts, and a machine without fonts fails on the first caption; the package carries DejaVu
# and a font configuration that names it (./run passes it as sun.awt.fontconfig, so fontconfig is never asked).
dejavu=/usr/share/fonts/truetype/dejavu
if [ ! -f "$dejavu/DejaVuSans.ttf" ] || [ ! -f "$dejavu/DejaVuSans-Bold.ttf" ]; then
  echo "error: the package carries the DejaVu fonts: apt-get install fonts-dejavu-core" >&2
  exit 1
fi
mkdir -p "$out/jre/lib/fonts"
cp "$dejavu/DejaVuSans.ttf" "$dejavu/DejaVuSans-Bold.ttf" "$out/jre/lib/fonts/"
cp /usr/share/doc/fonts-dejavu-core/copyright "$out/jre/lib/fonts/copyright"
{
  echo "version=1"
  echo "sequence.allfonts=latin-1"
  for family in serif sansserif monospaced dialog dialoginput; do
    for style in plain italic; do echo "$family.$style.latin-1=DejaVu Sans"; done
    for style in bold bolditalic; do echo "$family.$style.latin-1=DejaVu Sans Bold"; done
  done
  echo 'filename.DejaVu_Sans=$JRE_LIB_FONTS/DejaVuSans.ttf'
  echo 'filename.DejaVu_Sans_Bold=$JRE_LIB_FONTS/DejaVuSans-Bold.ttf'
  echo 'awtfontpath.latin-1=$JRE_LIB_FONTS'
} >"$out/jre/lib/fonts/fontconfig.properties"
# The runtime's native libraries find what they link to in jre/lib first (their RPATH is $ORIGIN): carry it there.
"$root/scripts/native-deps.sh" bundle "$out/jre/lib" "$out/jre"
"$root/scripts/native-deps.sh" check --path "$out/jre/lib" --path "$out/jre/lib/server" "$out/jre" >"$out/native-deps.txt"
# The jar's JNIs for Linux x86_64 link only to libtorch: checked against the CPU libtorch Maven brings (the cu128
# JNI also needs its CUDA torch's libc10_cuda and libtorch_cuda, which only a CUDA torch folder has)
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
unzip -q "$out/rrsis4j.jar" 'jnilib/linux-x86_64/*' 'com/sun/jna/linux-x86-64/*' 'org/jline/nativ/Linux/x86_64/*' \
  -d "$scratch/jni"
"$root/scripts/cpu-torch-folder.sh" "$scratch/torch"
"$root/scripts/native-deps.sh" check --path "$scratch/torch/lib" --missing-ok '^lib(c10|torch)_cuda\.so$' \
  "$scratch/jni" "$scratch/torch/lib" >>"$out/native-deps.txt"

cp "$root/rrsis4j" "$out/rrsis4j"
cp "$root/scripts/torch-env.sh" "$root/scripts/native-deps.sh" "$out/scripts/"
mkdir -p "$out/src/main/sh" # the launcher's stderr filter
cp "$root/src/main/sh/drop-libtorch-warnings" "$out/src/main/sh/"
cat > "$out/run" <<'RUN'
#!/usr/bin/env bash
# ./rrsis4j with this package's jar and Java runtime; the jar carries no libtorch, so a torch folder is required.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ -z "${RRSIS4J_TORCH:-}" ] && [[ "${1:-}" != --torch* ]]; then
  echo "error: this package has no libtorch: run ./run --torch /path/to/site-packages/torch COMMAND ..." >&2
  exit 2
fi
export RRSIS4J_FONTCONFIG="$here/jre/lib/fonts/fontconfig.properties" # the package's fonts, not the machine's
RRSIS4J_JAR="$here/rrsis4j.jar" RRSIS4J_JAVA="$here/jre/bin/java" exec "$here/rrsis4j" "$@"
RUN
chmod +x "$out/run" "$out/rrsis4j"
tar -C "$root/target" -czf "$root/target/rrsis4j-device.tar.gz" device

"$out/jre/bin/java" -version 2>&1 | head -n 1 >&2
if [ -n "$check_torch" ]; then
  "$out/run" --torch "$check_torch" bench model --config micro --no-train --iterations 1 --warmup 0 --matmul-size 64 \
    | grep -E '^(BTDNet|forward)'
fi
printf 'thin jar %s MB, jre %s MB (modules %s), package %s MB: %s\n' \
  "$(du -m "$out/rrsis4j.jar" | cut -f1)" "$(du -sm "$out/jre" | cut -f1)" \
  "$modules" "$(du -m "$root/target/rrsis4j-device.tar.gz" | cut -f1)" "$root/target/rrsis4j-device.tar.gz"
