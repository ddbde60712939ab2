# install() rules and CPack: two Debian packages, feedback-kiosk (component kiosk) and
# kiosk-server (component server). `cpack -G DEB` in the build directory makes both;
# `cmake --install build --prefix /usr` installs the same files (add DESTDIR=... to stage them).
#
# Paths follow the FHS: binaries in <prefix>/bin, data in <prefix>/share/feedback-kiosk, units in
# <prefix>/lib/systemd/system, service users in <prefix>/lib/sysusers.d, and the admin's files in
# /etc (absolute: they are conffiles, wherever the prefix is). The units name /usr/bin/..., the
# prefix the packages use.
include(GNUInstallDirs)

set(FK_PKG_DIR ${PROJECT_SOURCE_DIR}/packaging)

# The package's /etc/feedback-kiosk/kiosk.toml: the documented example with this kiosk's ids left
# blank, so a fresh install shows the "not set up" screen until a technician fills them in (or
# copies a file from `kiosk-server add-kiosk --write-config`).
# Configure depends on the source, so an edit to kiosk-config/kiosk.toml regenerates it at the next
# build instead of packaging a stale copy.
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
                                       ${PROJECT_SOURCE_DIR}/kiosk-config/kiosk.toml)
file(READ ${PROJECT_SOURCE_DIR}/kiosk-config/kiosk.toml FK_KIOSK_TOML)
string(REGEX REPLACE "\nid = \"[^\"]*\"" "\n# id = \"store12-till3\"" FK_KIOSK_TOML "${FK_KIOSK_TOML}")
string(REGEX REPLACE "\nstore_id = \"[^\"]*\"" "\n# store_id = \"store12\"" FK_KIOSK_TOML "${FK_KIOSK_TOML}")
string(REGEX REPLACE "\nserver_url = \"[^\"]*\"" "\nserver_url = \"\"" FK_KIOSK_TOML "${FK_KIOSK_TOML}")
set(FK_KIOSK_TOML_HEADER
    "# /etc/feedback-kiosk/kiosk.toml: this kiosk's configuration (a dpkg conffile: upgrades keep your\n# changes). Set [kiosk] id and store_id below, or replace this file with the kiosk.toml written by\n# `kiosk-server add-kiosk --write-config DIR`. Until then the kiosk shows \"not set up\".\n#\n")
file(WRITE ${PROJECT_BINARY_DIR}/packaging/kiosk.toml "${FK_KIOSK_TOML_HEADER}${FK_KIOSK_TOML}")

# --- feedback-kiosk -------------------------------------------------------------------------
install(TARGETS kiosk kiosk-text RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT kiosk)
install(FILES ${PROJECT_BINARY_DIR}/packaging/kiosk.toml DESTINATION /etc/feedback-kiosk COMPONENT kiosk)
install(FILES ${FK_PKG_DIR}/pam/feedback-kiosk DESTINATION /etc/pam.d COMPONENT kiosk)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/kiosk-config/locales/
        DESTINATION ${CMAKE_INSTALL_DATADIR}/feedback-kiosk/locales COMPONENT kiosk FILES_MATCHING PATTERN "*.toml")
install(FILES ${FK_PKG_DIR}/systemd/feedback-kiosk.service DESTINATION lib/systemd/system COMPONENT kiosk)
# The service's session wrapper: cage + kiosk, stopped kiosk first, the kiosk's exit status kept.
install(PROGRAMS ${FK_PKG_DIR}/session/kiosk-session DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/feedback-kiosk
        COMPONENT kiosk)
install(FILES ${FK_PKG_DIR}/sysusers/feedback-kiosk.conf DESTINATION lib/sysusers.d COMPONENT kiosk)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/docs/OPERATIONS.md
              ${PROJECT_SOURCE_DIR}/docs/ARCHITECTURE.md
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/feedback-kiosk COMPONENT kiosk)
install(FILES ${PROJECT_SOURCE_DIR}/kiosk-config/kiosk.toml
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/feedback-kiosk/examples COMPONENT kiosk)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/kiosk-config/examples/
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/feedback-kiosk/examples COMPONENT kiosk)

# --- kiosk-server ---------------------------------------------------------------------------
install(TARGETS kiosk-server RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT server)
install(FILES ${FK_PKG_DIR}/etc/kiosk-server.env DESTINATION /etc/kiosk-server COMPONENT server)
install(FILES ${FK_PKG_DIR}/etc/server.toml DESTINATION /etc/kiosk-server COMPONENT server)
install(FILES ${FK_PKG_DIR}/haproxy/kiosk-server.cfg DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/kiosk-server/examples
        RENAME haproxy.cfg COMPONENT server)
install(FILES ${FK_PKG_DIR}/systemd/kiosk-server.service DESTINATION lib/systemd/system COMPONENT server)
install(FILES ${FK_PKG_DIR}/sysusers/kiosk-server.conf DESTINATION lib/sysusers.d COMPONENT server)
# TLS through nginx (issue 13): a site file to copy into /etc/nginx/sites-available (OPERATIONS.md).
install(FILES ${FK_PKG_DIR}/nginx/kiosk-server.conf DESTINATION ${CMAKE_INSTALL_DATADIR}/kiosk-server/nginx
        COMPONENT server)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/docs/OPERATIONS.md
              ${PROJECT_SOURCE_DIR}/docs/API.md
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/kiosk-server COMPONENT server)

# --- CPack ----------------------------------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME feedback-kiosk)
set(CPACK_PACKAGE_VENDOR "Feedback Kiosk")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "Feedback Kiosk maintainers <feedback-kiosk@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "customer feedback touchscreen kiosk and its central server")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_INSTALL_PREFIX /usr)
# /etc paths are absolute: stage through DESTDIR so they land in the package, not on this machine.
set(CPACK_SET_DESTDIR ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_COMPONENTS_ALL kiosk server)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_GROUPING IGNORE)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Depends from the shared libraries the binaries link (dpkg-shlibdeps, from dpkg-dev).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)

set(CPACK_DEBIAN_KIOSK_PACKAGE_NAME feedback-kiosk)
set(CPACK_COMPONENT_KIOSK_DESCRIPTION
    "customer feedback touchscreen kiosk\n A full-screen kiosk app: customers rate their visit with smiley faces, pick\n who served them and why; every tap is stored at once and synced to kiosk-server.\n Runs as a cage (Wayland) session on tty1 (feedback-kiosk.service).")
# The service runs the kiosk in cage through Xwayland (Debian's GLFW 3.3 is the X11 build): without
# either, feedback-kiosk.service shows nothing. libasound2 and libespeak-ng1 come from shlibdeps;
# the voices "listen" reads with are espeak-ng-data.
# systemd: the postinst creates the service user with systemd-sysusers, and the package is a
# systemd service; a clean Debian 12 root has no systemd until something asks for it
# (scripts/test-clean-root found the users missing).
set(CPACK_DEBIAN_KIOSK_PACKAGE_DEPENDS "fonts-noto-core, cage, xwayland, espeak-ng-data, systemd")
set(CPACK_DEBIAN_KIOSK_PACKAGE_CONTROL_EXTRA
    ${FK_PKG_DIR}/debian/feedback-kiosk/conffiles ${FK_PKG_DIR}/debian/feedback-kiosk/postinst
    ${FK_PKG_DIR}/debian/feedback-kiosk/prerm ${FK_PKG_DIR}/debian/feedback-kiosk/postrm)
set(CPACK_DEBIAN_KIOSK_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_SERVER_PACKAGE_NAME kiosk-server)
set(CPACK_COMPONENT_SERVER_DESCRIPTION
    "central server for Feedback Kiosks\n Receives the kiosks' ratings over HTTPS, serves their configuration and\n rosters, and reports per store and representative. SQLite or PostgreSQL.")
# systemd for systemd-sysusers in the postinst and for the unit, as for feedback-kiosk.
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "systemd")
set(CPACK_DEBIAN_SERVER_PACKAGE_SUGGESTS "postgresql, sqlite3, nginx-light | nginx, certbot")
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA
    ${FK_PKG_DIR}/debian/kiosk-server/conffiles ${FK_PKG_DIR}/debian/kiosk-server/postinst
    ${FK_PKG_DIR}/debian/kiosk-server/prerm ${FK_PKG_DIR}/debian/kiosk-server/postrm)
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
