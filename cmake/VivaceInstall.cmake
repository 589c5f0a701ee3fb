# `cmake --install`: headers, the libraries with their exported targets (vivace::vivace, and
# vivace::db when built), the package config with its version file, pkg-config files, and the
# FindSOCI module the config needs for SOCI 4.0 (which installs no config of its own).
# The Swagger UI / ReDoc assets are compiled into the library (src/openapi/assets.cpp), so an
# installed or relocated library serves the docs pages with no files to find at run time; a
# build without them (VIVACE_DOCS_ASSETS=OFF, as the vcpkg and Conan packages are: they build
# offline) reads them from share/vivace/docs-assets, filled by share/vivace/fetch-docs-assets.cmake.
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
  COMPATIBILITY SameMinorVersion)  # 0.x: a minor version may break the API
install(FILES "${PROJECT_BINARY_DIR}/vivaceConfig.cmake"
  "${PROJECT_BINARY_DIR}/vivaceConfigVersion.cmake" DESTINATION ${VIVACE_INSTALL_CMAKEDIR})

# pkg-config: vivace.pc, and vivace-db.pc for the database layer. Boost and SOCI 4.0 ship no
# .pc files, so their libraries are named directly; OpenSSL, zlib, SQLite and libpq are
# required through theirs.
# A shared library brings its own dependencies: they are private (needed with --static only);
# a static one needs them at every link. No -std= in Cflags: the user's project chooses its
# language level (C++20 or newer).
macro(vivace_pc_split requires libs)
  if(BUILD_SHARED_LIBS)
    set(VIVACE_PC_REQUIRES_PRIVATE "${requires}")
    set(VIVACE_PC_LIBS_PRIVATE "${libs}")
    set(VIVACE_PC_REQUIRES_MORE "")
    set(VIVACE_PC_LIBS_MORE "")
  else()
    set(VIVACE_PC_REQUIRES_PRIVATE "")
    set(VIVACE_PC_LIBS_PRIVATE "")
    set(VIVACE_PC_REQUIRES_MORE "${requires}")
    set(VIVACE_PC_LIBS_MORE "${libs}")
  endif()
endmacro()
vivace_pc_split("openssl zlib" "-lboost_url -lboost_program_options")
set(VIVACE_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
file(RELATIVE_PATH VIVACE_PC_PREFIX_FROM_PCDIR "/p/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/p")
set(VIVACE_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
configure_file(cmake/vivace.pc.in "${PROJECT_BINARY_DIR}/vivace.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/vivace.pc" DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
if(VIVACE_DB)
  set(vivace_pc_db_requires "sqlite3")
  set(vivace_pc_db_libs "-lsoci_sqlite3")
  if(VIVACE_DB_POSTGRESQL)
    string(APPEND vivace_pc_db_requires " libpq")
    string(APPEND vivace_pc_db_libs " -lsoci_postgresql")
  endif()
  vivace_pc_split("${vivace_pc_db_requires}" "${vivace_pc_db_libs} -ldl")
  configure_file(cmake/vivace-db.pc.in "${PROJECT_BINARY_DIR}/vivace-db.pc" @ONLY)
  install(FILES "${PROJECT_BINARY_DIR}/vivace-db.pc"
    DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endif()

install(FILES LICENSE DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/vivace)
# Without embedded docs assets, the script that fetches them into share/vivace/docs-assets
# (where the library looks at run time, unless VIVACE_DOCS_ASSETS_DIR says otherwise):
# cmake -P <prefix>/share/vivace/fetch-docs-assets.cmake <prefix>/share/vivace/docs-assets
if(NOT vivace_embed_assets)
  install(FILES cmake/VivaceDocsAssets.cmake DESTINATION ${CMAKE_INSTALL_DATADIR}/vivace
    RENAME fetch-docs-assets.cmake)
else()
  # The embedded Swagger UI (Apache-2.0: its NOTICE goes with it) and ReDoc (MIT) ship inside
  # the library, so their licence texts go with the package.
  install(FILES "${VIVACE_DOCS_ASSETS_DIR}/LICENSE.swagger-ui"
                "${VIVACE_DOCS_ASSETS_DIR}/NOTICE.swagger-ui"
                "${VIVACE_DOCS_ASSETS_DIR}/LICENSE.redoc"
    DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/vivace)
endif()
