#!/usr/bin/env bash
# Makes DEST a torch folder as --torch takes it (lib/ with libtorch, version.py) from the CPU libtorch 2.7.1 that
# Maven brings (ai.djl.pytorch:pytorch-native-cpu, the one the full jar bundles): what the device package runs on
# where no PyTorch is installed, to check and test it on the CPU (the jar's cpu JNI is built for it).
# Usage: scripts/cpu-torch-folder.sh DEST
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="${1:?usage: scripts/cpu-torch-folder.sh DEST}"
version="$(sed -n 's:.*<pytorch.version>\(.*\)</pytorch.version>.*:\1:p' "$root/pom.xml")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$root" && mvn -o -q -B dependency:copy -Dartifact="ai.djl.pytorch:pytorch-native-cpu:$version:jar:linux-x86_64" \
  -DoutputDirectory="$tmp") >&2
mkdir -p "$dest/lib"
unzip -q -o -j "$tmp/pytorch-native-cpu-$version-linux-x86_64.jar" 'pytorch/cpu/linux-x86_64/*' -d "$dest/lib"
# what torch-env.sh reads: the version with its build, and no CUDA
printf "__version__ = '%s+cpu'\ncuda = None\nhip = None\n" "$version" >"$dest/version.py"
