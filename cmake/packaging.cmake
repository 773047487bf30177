# Install layout and the Debian package (CPack DEB): binary, systemd unit, example configuration
# (a conffile under /etc) and docs. `cpack --config build/<preset>/CPackConfig.cmake`, or
# `cmake --build --preset release --target package`.
include(GNUInstallDirs)
set(RRAS_DOCDIR ${CMAKE_INSTALL_DATAROOTDIR}/doc/rras-exporter)

install(TARGETS rras_exporter RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${PROJECT_SOURCE_DIR}/packaging/linux/rras_exporter.service DESTINATION lib/systemd/system)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/linux/rras_exporter.yml DESTINATION /etc/rras_exporter)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/LICENSE
        DESTINATION ${RRAS_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${RRAS_DOCDIR}/docs)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME rras-exporter)
set(CPACK_PACKAGE_VENDOR "rras_exporter")
set(CPACK_PACKAGE_CONTACT "rras_exporter maintainers <rras-exporter@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Prometheus exporter for Windows RRAS (VPN) servers")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_FILE_NAME "rras-exporter_${PROJECT_VERSION}_amd64")
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE amd64)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # samba-libs, libsystemd0, libyaml-cpp, ... from the binary
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "Polls Windows RRAS servers over MS-RRASM (DIMSVC on \\\\PIPE\\\\ROUTER, through Samba's client\nlibraries) and serves their active VPN connections as Prometheus metrics. The binary links\nSamba and is therefore distributed under GPL-3.0-or-later; the sources are Apache-2.0.")
# The example configuration is the admin's to edit: a conffile that upgrades never overwrite.
file(WRITE ${CMAKE_BINARY_DIR}/debian/conffiles "/etc/rras_exporter/rras_exporter.yml\n")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${CMAKE_BINARY_DIR}/debian/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
