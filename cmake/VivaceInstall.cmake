include_guard(GLOBAL)
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(VIVACE_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/vivace")

install(TARGETS vivace EXPORT vivaceTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/vivace DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES "${PROJECT_BINARY_DIR}/generated/include/vivace/version.hpp"
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/vivace)
install(EXPORT vivaceTargets NAMESPACE vivace:: DESTINATION ${VIVACE_CMAKE_DIR})

configure_package_config_file(cmake/vivaceConfig.cmake.in
  "${PROJECT_BINARY_DIR}/vivaceConfig.cmake" INSTALL_DESTINATION ${VIVACE_CMAKE_DIR})
write_basic_package_version_file("${PROJECT_BINARY_DIR}/vivaceConfigVersion.cmake"
  COMPATIBILITY SameMajorVersion)
install(FILES "${PROJECT_BINARY_DIR}/vivaceConfig.cmake"
  "${PROJECT_BINARY_DIR}/vivaceConfigVersion.cmake" DESTINATION ${VIVACE_CMAKE_DIR})
install(FILES LICENSE DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/vivace)
