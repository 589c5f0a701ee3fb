# `cmake --install`: headers, the libraries with their exported targets (vivace::vivace, and
# vivace::db when built), the package config with its version file, pkg-config files, and the
# FindSOCI module the config needs for SOCI 4.0 (which installs no config of its own).
# The Swagger UI / ReDoc assets are compiled into the library (src/openapi/assets.cpp), so an
# installed or relocated library serves the docs pages with no files to find at run time; a
# build without them (VIVACE_DOCS_ASSETS=OFF, as the vcpkg and Conan packages are: they build
# offline) reads them from share/vivace/docs-assets, filled by share/vivace/fetch-docs-assets.sh.
include_guard(GLOBAL)
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(VIVACE_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/vivace" CACHE STRING
  "Where the CMake package files go (vcpkg moves them to share/vivace)")

install(TARGETS vivace EXPORT vivaceTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/vivace DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  PATTERN "db" EXCLUDE PATTERN "db.hpp" EXCLUDE)
install(FILES "${PROJECT_BINARY_DIR}/generated/include/vivace/version.hpp"
  "${PROJECT_BINARY_DIR}/generated/include/vivace/config.hpp"
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/vivace)
install(EXPORT vivaceTargets NAMESPACE vivace:: DESTINATION ${VIVACE_INSTALL_CMAKEDIR})

if(VIVACE_DB)
  install(TARGETS vivace_db EXPORT vivaceDbTargets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
    INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  install(DIRECTORY include/vivace/db DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/vivace)
  install(FILES include/vivace/db.hpp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/vivace)
  install(EXPORT vivaceDbTargets NAMESPACE vivace:: DESTINATION ${VIVACE_INSTALL_CMAKEDIR})
  install(FILES cmake/FindSOCI.cmake DESTINATION ${VIVACE_INSTALL_CMAKEDIR})
endif()

# What the config needs to know of this build (find_dependency calls are in the template).
set(VIVACE_PACKAGE_SOCI_COMPONENTS "${vivace_soci_components}")
configure_package_config_file(cmake/vivaceConfig.cmake.in
  "${PROJECT_BINARY_DIR}/vivaceConfig.cmake" INSTALL_DESTINATION ${VIVACE_INSTALL_CMAKEDIR})
write_basic_package_version_file("${PROJECT_BINARY_DIR}/vivaceConfigVersion.cmake"
  COMPATIBILITY SameMajorVersion)
install(FILES "${PROJECT_BINARY_DIR}/vivaceConfig.cmake"
  "${PROJECT_BINARY_DIR}/vivaceConfigVersion.cmake" DESTINATION ${VIVACE_INSTALL_CMAKEDIR})

# pkg-config: vivace.pc, and vivace-db.pc for the database layer. Boost and SOCI 4.0 ship no
# .pc files, so their libraries are named directly; OpenSSL, zlib, SQLite and libpq are
# required through theirs.
set(VIVACE_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
file(RELATIVE_PATH VIVACE_PC_PREFIX_FROM_PCDIR "/p/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/p")
set(VIVACE_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
configure_file(cmake/vivace.pc.in "${PROJECT_BINARY_DIR}/vivace.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/vivace.pc" DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
if(VIVACE_DB)
  set(VIVACE_PC_DB_REQUIRES ", sqlite3")
  set(VIVACE_PC_DB_LIBS "-lsoci_sqlite3")
  if(VIVACE_DB_POSTGRESQL)
    string(APPEND VIVACE_PC_DB_REQUIRES ", libpq")
    string(APPEND VIVACE_PC_DB_LIBS " -lsoci_postgresql")
  endif()
  configure_file(cmake/vivace-db.pc.in "${PROJECT_BINARY_DIR}/vivace-db.pc" @ONLY)
  install(FILES "${PROJECT_BINARY_DIR}/vivace-db.pc"
    DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endif()

install(FILES LICENSE DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/vivace)
# Without embedded docs assets, the script that fetches them into share/vivace/docs-assets
# (where the library looks at run time, unless VIVACE_DOCS_ASSETS_DIR says otherwise).
if(NOT VIVACE_DOCS_ASSETS)
  install(PROGRAMS tools/docs-assets/fetch.sh DESTINATION ${CMAKE_INSTALL_DATADIR}/vivace
    RENAME fetch-docs-assets.sh)
endif()
