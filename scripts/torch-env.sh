# Sourced by ./rrsis4j: points DJL at the libraries of a PyTorch installation (the torch folder of a pip install)
# instead of the CPU library bundled in the jar, after checking that a DJL JNI built for that torch exists.
# A JNI built for another torch version crashes or corrupts tensors (the ABI differs), so a mismatch must stop the
# launcher before the JVM starts.

# Keep in step with pom.xml (djl.version, pytorch.version; TorchLauncherTest checks it).
RRSIS4J_DJL_VERSION=0.36.0
RRSIS4J_JNI_TORCH=2.7.1
# The JNI flavours the pytorch-jni jar carries for Linux x86_64.
RRSIS4J_JNI_FLAVORS=" cpu cu128 "

# rrsis4j_torch_env TORCH_DIR: exports PYTORCH_LIBRARY_PATH, PYTORCH_VERSION and PYTORCH_FLAVOR for TORCH_DIR, or prints
# one line starting "error:" to stderr and returns 2.
rrsis4j_torch_env() {
  local dir="${1%/}"
  if [ ! -f "$dir/version.py" ]; then
    echo "error: --torch $dir: no version.py here; give the torch folder of a PyTorch install (python -c 'import torch, os; print(os.path.dirname(torch.__file__))')" >&2
    return 2
  fi
  if [ ! -e "$dir/lib/libtorch.so" ]; then
    echo "error: --torch $dir: no lib/libtorch.so here; this torch install has no C++ libraries" >&2
    return 2
  fi
  local full cuda hip
  full="$(sed -n "s/^__version__[^=]*= *['\"]\([^'\"]*\)['\"].*/\1/p" "$dir/version.py" | head -n 1)"
  cuda="$(sed -n "s/^cuda[^=]*= *['\"]\([0-9.]*\)['\"].*/\1/p" "$dir/version.py" | head -n 1)"
  hip="$(sed -n "s/^hip[^=]*= *['\"]\([^'\"]*\)['\"].*/\1/p" "$dir/version.py" | head -n 1)"
  if [[ ! "$full" =~ ^([0-9]+\.[0-9]+\.[0-9]+) ]]; then
    echo "error: --torch $dir: cannot read the torch version from version.py (__version__ = '$full')" >&2
    return 2
  fi
  local version="${BASH_REMATCH[1]}"
  if [ -n "$hip" ] || [[ "$full" == *+rocm* ]]; then
    echo "error: --torch $dir: torch $full is a ROCm build; DJL's PyTorch engine runs CPU and CUDA builds only" >&2
    return 2
  fi
  local flavor
  if [[ "$full" =~ \+(cu[0-9]+)$ ]]; then
    flavor="${BASH_REMATCH[1]}"
  elif [ -n "$cuda" ]; then
    flavor="cu${cuda//./}"
  else
    flavor="cpu"
  fi
  local arch
  case "$(uname -m)" in
    x86_64|amd64) arch=x86_64 ;;
    aarch64|arm64) arch=aarch64 ;;
    *) arch="$(uname -m)" ;;
  esac
  # Where DJL looks for a JNI before it takes the one in its jar (ai.djl.pytorch.jni.LibUtils.findJniLibrary).
  local cache="${ENGINE_CACHE_DIR:-${DJL_CACHE_DIR:-$HOME/.djl.ai}}"
  local jni="$cache/pytorch/$version-$flavor-linux-$arch/$RRSIS4J_DJL_VERSION-libdjl_torch.so"
  local jar_jni=no
  if [ "$version" = "$RRSIS4J_JNI_TORCH" ] && [ "$arch" = x86_64 ] && [[ "$RRSIS4J_JNI_FLAVORS" == *" $flavor "* ]]; then
    jar_jni=yes
  fi
  if [ "$jar_jni" = no ] && [ ! -f "$jni" ] && [ ! -f "$dir/lib/$RRSIS4J_DJL_VERSION-libdjl_torch.so" ] \
      && [ ! -f "$dir/lib/libdjl_torch.so" ]; then
    echo "error: --torch $dir: torch $full ($flavor) needs a DJL $RRSIS4J_DJL_VERSION JNI built for it at $jni (this build's JNI is for torch $RRSIS4J_JNI_TORCH, cpu or cu128): install torch==$RRSIS4J_JNI_TORCH, or see README 'GPU'" >&2
    return 2
  fi
  export PYTORCH_LIBRARY_PATH="$dir/lib"
  export PYTORCH_VERSION="$version"
  export PYTORCH_FLAVOR="$flavor"
}
