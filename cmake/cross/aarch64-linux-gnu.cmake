# Cross build for arm64 with Debian's cross gcc (g++-aarch64-linux-gnu) and the arm64 libraries, in
# one of two layouts (scripts/package --arch arm64, scripts/test-arm64):
# - a sysroot (FK_ARM64_SYSROOT, made by scripts/arm64-sysroot): Debian's arm64 packages unpacked
#   into a directory, nothing installed on the build machine;
# - dpkg multiarch (scripts/setup-deps --arm64): the :arm64 -dev packages installed beside the amd64
#   ones. On a machine whose amd64 packages are older than the archive this upgrades them (every
#   Multi-Arch: same library must have one version for both architectures).
# Binaries that run at build time or under ctest go through qemu-user (CMAKE_CROSSCOMPILING_EMULATOR).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)

if(NOT DEFINED FK_ARM64_SYSROOT)
  set(FK_ARM64_SYSROOT "$ENV{FK_ARM64_SYSROOT}")
endif()
set(FK_ARM64_SYSROOT "${FK_ARM64_SYSROOT}" CACHE PATH "arm64 sysroot (scripts/arm64-sysroot); empty: dpkg multiarch")
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES FK_ARM64_SYSROOT)

# qemu-user's -L is where the guest's absolute paths resolve first: the program's loader
# (/lib/ld-linux-aarch64.so.1) and every library it loads must come from one glibc build. With
# multiarch that is libc6:arm64 in the host's /lib; never the cross gcc's libc6-arm64-cross in
# /usr/aarch64-linux-gnu: its ld.so (2.36-8) with libc6:arm64's libc.so.6 (2.36-9+deb12u14), which
# ld.so's search path finds, hangs every pthread_create under qemu.
if(FK_ARM64_SYSROOT)
  set(CMAKE_SYSROOT "${FK_ARM64_SYSROOT}")
  set(fk_qemu_prefix "${FK_ARM64_SYSROOT}")
  set(ENV{PKG_CONFIG_LIBDIR}
      "${FK_ARM64_SYSROOT}/usr/lib/aarch64-linux-gnu/pkgconfig:${FK_ARM64_SYSROOT}/usr/share/pkgconfig")
  set(ENV{PKG_CONFIG_SYSROOT_DIR} "${FK_ARM64_SYSROOT}")
else()
  set(fk_qemu_prefix /)
  # pkg-config reads the arm64 .pc files only (never the build machine's), plus ours for libpq:
  # Debian 12's libpq-dev is not Multi-Arch: same, so libpq-dev:arm64 would remove the amd64 one
  # the native build needs. The arm64 build takes libpq5:arm64 and the (architecture-independent)
  # headers of the installed libpq-dev instead; aarch64-pkgconfig/libpq.pc points at both.
  set(ENV{PKG_CONFIG_LIBDIR}
      "${CMAKE_CURRENT_LIST_DIR}/aarch64-pkgconfig:/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig")
endif()
set(ENV{PKG_CONFIG_PATH} "")

find_program(FK_QEMU_AARCH64 qemu-aarch64)
if(FK_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${FK_QEMU_AARCH64};-L;${fk_qemu_prefix})
endif()

# The packages are for arm64 (cpack reads this; dpkg --print-architecture would say amd64).
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE arm64)
