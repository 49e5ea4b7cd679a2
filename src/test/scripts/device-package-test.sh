#!/usr/bin/env bash
# End-to-end test of the device package (scripts/package-device.sh) on the CPU. It takes minutes (the package build
# alone takes 3 to 5 on 2 cores), so it is run by hand, not by mvn test:
#   1. builds the package unless target/rrsis4j-device.tar.gz exists (--rebuild builds it anew) and unpacks it
#   2. checks with ldd, on the unpacked package, that its native libraries and the jar's JNIs need nothing from the
#      system but glibc, libstdc++ and libgcc (scripts/native-deps.sh)
#   3. through the package's ./run --torch DIR, on a torch folder made from the CPU libtorch Maven brings
#      (scripts/cpu-torch-folder.sh): synth, train a micro model, evaluate, segment a JPEG and a GeoTIFF, serve (start,
#      one JPEG request, stop by pid). While it serves, every shared library the JVM has mapped (/proc/PID/maps) must
#      be the package's, the torch folder's, the JNI DJL extracted, or glibc, libstdc++ and libgcc.
# --chroot ROOT runs step 3 inside ROOT, as root: a minimal Debian without the build machine's libraries, made by
#   debootstrap --variant=minbase bookworm ROOT MIRROR   (MIRROR: the Debian mirror apt uses)
# Usage: src/test/scripts/device-package-test.sh [--rebuild] [--chroot ROOT]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
rebuild=no
chroot_dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rebuild) rebuild=yes; shift ;;
    --chroot) chroot_dir="$(readlink -f "$2")"; shift 2 ;;
    *) echo "usage: $0 [--rebuild] [--chroot ROOT]" >&2; exit 2 ;;
  esac
done

tarball="$root/target/rrsis4j-device.tar.gz"
if [ "$rebuild" = yes ] || [ ! -f "$tarball" ]; then
  "$root/scripts/package-device.sh"
fi

# $work: the scratch folder as this script sees it; $in: the same folder as the package's commands see it
name="rrsis4j-device-test.$$"
if [ -n "$chroot_dir" ]; then
  [ -x "$chroot_dir/bin/bash" ] || { echo "error: --chroot $chroot_dir: no /bin/bash there; make it with debootstrap" >&2; exit 2; }
  work="$chroot_dir/tmp/$name"
  in="/tmp/$name"
else
  work="/tmp/$name"
  in="$work"
fi
server=""
mounted_proc=no
cleanup() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then kill "$server"; fi
  if [ "$mounted_proc" = yes ]; then umount "$chroot_dir/proc"; fi
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/home"
if [ -n "$chroot_dir" ] && [ ! -e "$chroot_dir/proc/self" ]; then
  mount -t proc proc "$chroot_dir/proc"
  mounted_proc=yes
fi

step() { printf '\n== %s\n' "$*" >&2; }
fail() { echo "FAILED: $*" >&2; exit 1; }

step "unpacking $tarball"
tar -xzf "$tarball" -C "$work"
"$root/scripts/cpu-torch-folder.sh" "$work/torch"

step "native libraries (ldd)"
unzip -q "$work/device/rrsis4j.jar" 'jnilib/linux-x86_64/cpu/*' -d "$work/jni"
"$work/device/scripts/native-deps.sh" check --path "$work/device/jre/lib" --path "$work/device/jre/lib/server" \
  "$work/device" >"$work/ldd-package.txt" || fail "the package's libraries (above)"
"$work/device/scripts/native-deps.sh" check --path "$work/torch/lib" "$work/jni" "$work/torch/lib" \
  >"$work/ldd-jni.txt" || fail "the cpu JNI and the torch folder (above)"

# run COMMAND...: the package's ./run --torch on the CPU torch folder, in the chroot when one is given, with a clean
# environment (no JAVA_HOME, no library path) and HOME and DJL's cache (where it extracts its JNI) in the scratch folder.
# run_exec is the same in place of the calling (sub)shell, so that a server's pid is the JVM's (every step execs).
run_exec() {
  local env=(env -i "HOME=$in/home" "DJL_CACHE_DIR=$in/home/.djl.ai" PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8)
  if [ -n "$chroot_dir" ]; then
    exec chroot "$chroot_dir" "${env[@]}" /bin/bash -c 'cd "$0" && exec ./run --torch "$@"' "$in/device" "$in/torch" "$@"
  fi
  cd "$work/device" && exec "${env[@]}" ./run --torch "$in/torch" "$@"
}
run() { (run_exec "$@"); }

step "synth"
run synth --out "$in/data" --count 24 --size 64 --seed 3
jpeg="$(find "$work/data/images" -name '*.jpg' | sort | head -n 1)"
[ -n "$jpeg" ] || fail "synth wrote no JPEG"
jpeg_in="$in${jpeg#"$work"}"

step "train a micro model"
run train --data "$in/data" --format rrsisd --config micro --epochs 2 --batch 4 --out "$in/run" --quiet
[ -s "$work/run/log.jsonl" ] || fail "train wrote no log.jsonl"

step "evaluate"
run evaluate --checkpoint "$in/run" --data "$in/data" --format rrsisd --split test --quiet | tee "$work/evaluate.txt"
grep -q 'oIoU' "$work/evaluate.txt" || fail "evaluate printed no oIoU"

step "segment a JPEG (with an overlay and the captioned word maps)"
run segment --checkpoint "$in/run" --image "$jpeg_in" --text "the large building" --out "$in/mask.png" \
  --overlay "$in/overlay.png" --explain "$in/explain" --quiet
[ "$(head -c 8 "$work/mask.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "mask.png is not a PNG"
# the word maps are captioned: text drawn with the runtime's fonts
ls "$work/explain"/*.png >/dev/null 2>&1 || fail "segment --explain drew no word maps"

step "segment a GeoTIFF (JPEG-compressed tiles, EPSG:4326) tile by tile"
cp "$root/src/test/resources/geotiff/cog_jpeg.tif" "$work/scene.tif"
run segment --checkpoint "$in/run" --image "$in/scene.tif" --text "the large building" --tile 64 --overlap 16 \
  --out "$in/scene-mask.tif" --geojson "$in/scene.geojson" --quiet
[ -s "$work/scene-mask.tif" ] && [ -s "$work/scene.geojson" ] || fail "segment --tile wrote no GeoTIFF mask or GeoJSON"
grep -q '"FeatureCollection"' "$work/scene.geojson" || fail "scene.geojson is no FeatureCollection"

step "serve: start, one request, stop"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
(run_exec serve --checkpoint "$in/run" --port "$port") >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 180); do
  if curl -fsS "http://127.0.0.1:$port/api/health" >/dev/null 2>&1; then break; fi
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.log" >&2; fail "serve exited before answering"; }
  sleep 1
done
code="$(curl -sS -o "$work/response.json" -w '%{http_code}' -F "image=@$jpeg" -F 'text=the large building' \
  -F format=json "http://127.0.0.1:$port/api/segment")"
[ "$code" = 200 ] || { cat "$work/response.json" "$work/serve.log" >&2; fail "POST /api/segment answered $code"; }
grep -q '"maskPngBase64":"iVBORw0KGgo' "$work/response.json" || fail "the answer has no mask: $(head -c 300 "$work/response.json")"
# every shared library the serving JVM has mapped, JPEG decoding's included; besides glibc, libstdc++ and libgcc,
# the machine's CUDA runtime and driver where it has them (DJL opens libcudart to look for a GPU)
system_ok='^(ld-linux[-a-z0-9_]*\.so|libc\.so|libm\.so|libmvec\.so|libdl\.so|libpthread\.so|librt\.so|libresolv\.so|libutil\.so|libstdc\+\+\.so|libgcc_s\.so|libnss_[a-z]+\.so|libcudart\.so|libcuda\.so|libnvidia-[a-z-]+\.so)'
awk '$6 ~ /\.so/ { print $6 }' "/proc/$server/maps" | sort -u >"$work/mapped.txt"
grep -q 'libjavajpeg\.so' "$work/mapped.txt" || fail "the JVM never loaded libjavajpeg.so: $(cat "$work/mapped.txt")"
bad=0
while IFS= read -r lib; do
  case "$lib" in
    "$work"/* | "$in"/*) ;;
    *) if [[ ! "$(basename "$lib")" =~ $system_ok ]]; then echo "  from the system: $lib" >&2; bad=1; fi ;;
  esac
done <"$work/mapped.txt"
[ "$bad" = 0 ] || fail "the serving JVM mapped libraries from the system (above)"
echo "the serving JVM maps $(wc -l <"$work/mapped.txt") shared libraries, none from the system but glibc, libstdc++, libgcc (and CUDA's):" >&2
sed "s|^$work/|  |; s|^$in/|  |; s|^/|  /|" "$work/mapped.txt" >&2
kill "$server"
for _ in $(seq 1 30); do kill -0 "$server" 2>/dev/null || break; sleep 1; done
if kill -0 "$server" 2>/dev/null; then fail "serve still runs 30 s after SIGTERM"; fi
server=""

step "all passed$([ -n "$chroot_dir" ] && echo " in $chroot_dir")"
