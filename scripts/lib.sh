# Shared helpers for scripts/*: where things are, and building.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
build_dir="${COOPWATCH_BUILD_DIR:-$root/build}"
shared_dir="${COOPWATCH_SHARED_DIR:-$root/../shared}"

# build_in DIR [cmake configure args...]: configures DIR once, then builds
# everything in it. Quiet on success; the tail of the log on failure.
build_in() {
  local dir="$1"
  shift
  mkdir -p "$dir"
  if [[ ! -f "$dir/build.ninja" ]]; then
    cmake -S "$root" -B "$dir" -G Ninja "$@" >"$dir/configure.log" 2>&1 ||
      { tail -n 40 "$dir/configure.log" >&2; return 1; }
  fi
  cmake --build "$dir" -j "$(nproc)" >"$dir/build.log" 2>&1 ||
    { grep -E 'error|FAILED' "$dir/build.log" | head -n 40 >&2; tail -n 20 "$dir/build.log" >&2; return 1; }
}

# build [Release|RelWithDebInfo|...]: the main build in $build_dir.
build() { build_in "$build_dir" -DCMAKE_BUILD_TYPE="${1:-Release}"; }
