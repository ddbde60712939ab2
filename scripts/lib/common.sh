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

# The arm64 cross build (scripts/package --arch arm64, scripts/test-arm64): its own build directory,
# Debian's cross gcc and the arm64 libraries (scripts/setup-deps --arm64, or the sysroot
# FK_ARM64_SYSROOT made by scripts/arm64-sysroot), tests run under qemu-user.
FK_BUILD_ARM64=${FK_BUILD_ARM64_DIR:-$FK_ROOT/build-arm64}

# fk_build_arm64 TARGET...: configure (once) the cross build and build only the given targets.
# install does not build everything first, so cpack packages what was built for it.
fk_build_arm64() {
  fk_log "configure and cross-build for arm64 in $FK_BUILD_ARM64: $*"
  cmake -S "$FK_ROOT" -B "$FK_BUILD_ARM64" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFK_WERROR=ON \
    -DCMAKE_TOOLCHAIN_FILE="$FK_ROOT/cmake/cross/aarch64-linux-gnu.cmake" \
    -DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON -DFK_ARM64_SYSROOT="${FK_ARM64_SYSROOT:-}"
  cmake --build "$FK_BUILD_ARM64" --parallel "$(nproc)" --target "$@"
}
