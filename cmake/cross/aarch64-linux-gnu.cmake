# Cross build for arm64 with Debian's multiarch toolchain (scripts/package --arch arm64,
# scripts/test-arm64): gcc from crossbuild-essential-arm64, libraries and headers from the arm64
# -dev packages installed beside the amd64 ones (scripts/setup-deps --arm64). Binaries that run at
# build time or under ctest go through qemu-user (CMAKE_CROSSCOMPILING_EMULATOR), which finds the
# arm64 libraries in /usr/lib/aarch64-linux-gnu and the loader in /usr/aarch64-linux-gnu.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)

find_program(FK_QEMU_AARCH64 qemu-aarch64)
if(FK_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${FK_QEMU_AARCH64};-L;/usr/aarch64-linux-gnu)
endif()

# pkg-config reads the arm64 .pc files only (never the build machine's), plus ours for libpq:
# Debian 12's libpq-dev is not Multi-Arch: same, so libpq-dev:arm64 would remove the amd64 one
# the native build needs. The arm64 build takes libpq5:arm64 and the (architecture-independent)
# headers of the installed libpq-dev instead; aarch64-pkgconfig/libpq.pc points at both.
set(ENV{PKG_CONFIG_LIBDIR}
    "${CMAKE_CURRENT_LIST_DIR}/aarch64-pkgconfig:/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")

# The packages are for arm64 (cpack reads this; dpkg --print-architecture would say amd64).
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE arm64)
