#!/usr/bin/env bash
# The shared libraries a folder of native code needs from the machine it runs on (ldd), for a package that must run
# on any Linux machine: only glibc, libstdc++ and libgcc may come from the system; everything else travels with it.
#
#   scripts/native-deps.sh bundle DEST DIR...
#       copies into DEST every other library the shared objects under the DIRs need, as this machine resolves them
#       (with its Debian package's copyright file under DEST/copyright/ where dpkg knows the package)
#   scripts/native-deps.sh check [--path DIR]... [--missing-ok REGEX] FILE|DIR...
#       lists each shared object under FILE|DIR with its dependencies, as ldd resolves them with the --path folders
#       on the search path; exits 1 when one comes from the system and is not glibc, libstdc++ or libgcc, or is not
#       found (names matching REGEX may be missing: libraries another install brings, e.g. a CUDA torch's)
set -euo pipefail

# glibc (libc, libm, libdl, libpthread, librt, libresolv, libutil, the loader, the kernel's vDSO), libstdc++, libgcc
system_ok='^(linux-vdso\.so|ld-linux[-a-z0-9_]*\.so|libc\.so|libm\.so|libmvec\.so|libdl\.so|libpthread\.so|librt\.so|libresolv\.so|libutil\.so|libstdc\+\+\.so|libgcc_s\.so)'

# shared_objects DIR|FILE...: the ELF shared objects under the arguments (by content, so libfoo.so.1.2 counts too)
shared_objects() {
  local f
  find "$@" -type f \( -name '*.so' -o -name '*.so.*' \) -print0 | sort -z | while IFS= read -r -d '' f; do
    if [ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ]; then printf '%s\n' "$f"; fi
  done
}

# deps LIBRARY_PATH FILE: "NAME PATH" per dependency ldd lists (PATH "not-found" when unresolved)
deps() {
  LD_LIBRARY_PATH="$1" ldd "$2" 2>/dev/null | awk '
    $2 == "=>" && $3 == "not" { print $1, "not-found"; next }
    $2 == "=>" { print $1, $3; next }
    $1 ~ /^\// { n = split($1, p, "/"); print p[n], $1; next }
    $1 ~ /^linux-vdso/ { print $1, "vdso" }'
}

inside() { # inside PATH DIR...: whether PATH lies under one of the DIRs (given canonical, as ldd prints them then)
  local path="$1" dir
  shift
  for dir in "$@"; do
    case "$path" in "$dir"/*) return 0 ;; esac
  done
  return 1
}

canonical() { local d; for d in "$@"; do readlink -f "$d"; done; }

bundle() {
  mkdir -p "$1/copyright"
  local dest
  dest="$(readlink -f "$1")"
  shift
  mapfile -t dirs < <(canonical "$@")
  set -- "${dirs[@]}"
  local search
  search="$(find "$@" -type d | paste -sd:)"
  local copied=0 so name path pkg
  while IFS= read -r so; do
    while read -r name path; do
      if [[ "$name" =~ $system_ok ]] || [ "$path" = not-found ] || [ "$path" = vdso ] || inside "$path" "$@" "$dest"; then
        continue
      fi
      if [ ! -e "$dest/$name" ]; then
        cp -L "$path" "$dest/$name"
        chmod u+w "$dest/$name"
        copied=$((copied + 1))
        if command -v dpkg >/dev/null && pkg="$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | head -n 1 | cut -d: -f1)" \
            && [ -f "/usr/share/doc/$pkg/copyright" ]; then
          cp "/usr/share/doc/$pkg/copyright" "$dest/copyright/$pkg"
        fi
      fi
    done < <(deps "$search" "$so")
  done < <(shared_objects "$@")
  echo "bundled $copied librar$([ "$copied" = 1 ] && echo y || echo ies) into $dest" >&2
}

check() {
  local paths=() missing_ok='^$'
  while [ $# -gt 0 ]; do
    case "$1" in
      --path) paths+=("$(readlink -f "$2")"); shift 2 ;;
      --missing-ok) missing_ok="$2"; shift 2 ;;
      *) break ;;
    esac
  done
  mapfile -t dirs < <(canonical "$@")
  set -- "${dirs[@]}"
  local search
  search="$(IFS=:; echo "${paths[*]:-}")"
  local bad=0 objects=0 so name path verdict
  while IFS= read -r so; do
    objects=$((objects + 1))
    echo "$so"
    while read -r name path; do
      if [ "$path" = not-found ]; then
        if [[ "$name" =~ $missing_ok ]]; then verdict="not here (brought by another install)"; else verdict="NOT FOUND"; bad=1; fi
      elif [ "$path" = vdso ] || inside "$path" "$@" ${paths[@]+"${paths[@]}"}; then
        verdict="ok"
      elif [[ "$name" =~ $system_ok ]]; then
        verdict="system (glibc, libstdc++, libgcc)"
      else
        verdict="FROM THE SYSTEM"; bad=1
      fi
      printf '  %-28s %-12s %s\n' "$name" "$verdict" "$path"
      if [[ "$verdict" =~ ^(NOT|FROM) ]]; then echo "  $so needs $name: $verdict ($path)" >&2; fi
    done < <(deps "$search" "$so")
  done < <(shared_objects "$@")
  if [ "$objects" = 0 ]; then
    echo "error: no shared objects under $*" >&2
    return 1
  fi
  # the oldest glibc and libstdc++ a machine may have: the newest symbol versions any of them asks for
  local glibc glibcxx
  glibc="$(shared_objects "$@" | xargs objdump -T 2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -n 1 || true)"
  glibcxx="$(shared_objects "$@" | xargs objdump -T 2>/dev/null | grep -o 'GLIBCXX_[0-9.]*' | sort -uV | tail -n 1 || true)"
  if [ "$bad" = 1 ]; then
    echo "error: $objects shared objects checked; the lines marked FROM THE SYSTEM or NOT FOUND need libraries only glibc, libstdc++ and libgcc may supply" >&2
    return 1
  fi
  echo "$objects shared objects need nothing from the system but glibc (${glibc:-any}), libstdc++ (${glibcxx:-any}) and libgcc" >&2
}

case "${1:-}" in
  bundle) shift; [ $# -ge 2 ] || { echo "usage: $0 bundle DEST DIR..." >&2; exit 2; }; bundle "$@" ;;
  check) shift; check "$@" ;;
  *) echo "usage: $0 bundle DEST DIR... | check [--path DIR]... [--missing-ok REGEX] FILE|DIR..." >&2; exit 2 ;;
esac
