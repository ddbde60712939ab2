# Shared by scripts/*: paths and the one way this project is configured and built.
# shellcheck shell=bash
FK_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
FK_BUILD=${FK_BUILD_DIR:-$FK_ROOT/build}

fk_log() { printf '\n== %s\n' "$*"; }

# fk_build [extra cmake args...]: configure (once) and build everything.
fk_build() {
  fk_log "configure and build in $FK_BUILD"
  cmake -S "$FK_ROOT" -B "$FK_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFK_WERROR=ON "$@"
  cmake --build "$FK_BUILD" --parallel "$(nproc)"
}
