# Shared helpers for scripts/*: where things are, and building.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
build_dir="${COOPWATCH_BUILD_DIR:-$root/build}"
shared_dir="${COOPWATCH_SHARED_DIR:-$root/../shared}"

# build [Release|RelWithDebInfo|...]: configures once, then builds everything.
build() {
  local type="${1:-Release}"
  if [[ ! -f "$build_dir/build.ninja" ]]; then
    cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" >/dev/null
  fi
  cmake --build "$build_dir" -j "$(nproc)" | grep -vE '^\[[0-9]+/[0-9]+\]' || true
  test "${PIPESTATUS[0]}" -eq 0
}
