# The Debian package (scripts/package.sh): CPack's DEB generator over what `cmake --install` puts in
# place (tests/install_layout.sh lists it), with maintainer scripts that move HPLIP's backend file
# aside (preinst) and give it back (postrm). CPack rather than debian/ + dpkg-buildpackage: the
# package is made from the tree CI has already built and tested, in seconds, instead of a second
# full build; dpkg-shlibdeps still computes the library dependencies.
set(hpaio_sane_dir "${CMAKE_INSTALL_FULL_LIBDIR}/sane")
get_filename_component(hpaio_hplip_dir "${HPAIO_HPLIP_LIBRARY}" DIRECTORY)
set(HPLIP_DIR "${hpaio_hplip_dir}")
set(SANE_DIR "${hpaio_sane_dir}")
set(SYSCONF_DIR "${CMAKE_INSTALL_FULL_SYSCONFDIR}")
set(hpaio_control "${CMAKE_BINARY_DIR}/packaging")
foreach(script preinst postrm conffiles)
  configure_file(${CMAKE_CURRENT_LIST_DIR}/${script}.in ${hpaio_control}/${script} @ONLY)
endforeach()
file(CHMOD ${hpaio_control}/preinst ${hpaio_control}/postrm
     PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

# Debian's documentation files: the copyright and the compressed changelog.
set(hpaio_doc "${CMAKE_BINARY_DIR}/packaging/doc")
file(MAKE_DIRECTORY ${hpaio_doc})
configure_file(${CMAKE_CURRENT_LIST_DIR}/copyright ${hpaio_doc}/copyright COPYONLY)
add_custom_command(OUTPUT ${hpaio_doc}/changelog.gz
                   COMMAND gzip -9nc ${CMAKE_CURRENT_LIST_DIR}/changelog > ${hpaio_doc}/changelog.gz
                   DEPENDS ${CMAKE_CURRENT_LIST_DIR}/changelog)
add_custom_target(hpaio-package-docs ALL DEPENDS ${hpaio_doc}/changelog.gz)
install(FILES ${hpaio_doc}/copyright ${hpaio_doc}/changelog.gz DESTINATION ${CMAKE_INSTALL_DOCDIR})

# The package is made from a tree that is already built and tested: cpack must not build it again.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME hpaio)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "hpaio developers <hpaio-devel@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "SANE backend for HP network all-in-ones (LEDM and eSCL)")
set(CPACK_PACKAGE_DESCRIPTION "An open replacement for the network half of HPLIP's hpaio backend.
It scans HP all-in-ones on the network that speak LEDM or eSCL, with
HPLIP's device names and options and without HP's plug-in; lists them
from CUPS queues, mDNS and hpaio.conf (also to saned's clients); and
hands USB devices and models of other protocols to HPLIP's own backend,
which it keeps in a private directory.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION graphics)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# libsane-hpaio: HPLIP's models.dat, and HPLIP's backend that this package moves aside.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libsane1, libsane-hpaio")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${hpaio_control}/preinst;${hpaio_control}/postrm;${hpaio_control}/conffiles")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
include(CPack)
