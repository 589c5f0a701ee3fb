# vcpkg port of Vivace. AN OVERLAY PORT, not a registry port:
#   vcpkg install vivace --overlay-ports=<vivace>/packaging/vcpkg/ports
# `tests/consumer/run.sh port-steps` performs the same configure options, install and config fix-up
# (it reads them from this file) and builds a consumer against the result, so CI proves what
# this port does without reaching vcpkg's registry.
# The port lives in Vivace's own tree and builds that tree (a registry port would instead
# take a release with vcpkg_from_github and its SHA512).
get_filename_component(SOURCE_PATH "${CMAKE_CURRENT_LIST_DIR}/../../../.." ABSOLUTE)

vcpkg_check_features(OUT_FEATURE_OPTIONS FEATURE_OPTIONS
    FEATURES
        db          VIVACE_DB
        postgresql  VIVACE_DB_POSTGRESQL
        tls         VIVACE_TLS
)

# The Swagger UI / ReDoc assets come from the npm registry when the library is configured;
# vcpkg builds offline, so the port builds without them: the library reads them at run time
# from $VIVACE_DOCS_ASSETS_DIR or <prefix>/share/vivace/docs-assets, which
# `cmake -P <prefix>/share/vivace/fetch-docs-assets.cmake <folder>` fills (the docs pages say
# so until then). BUILD_SHARED_LIBS follows the triplet.
# port-options-begin
vcpkg_cmake_configure(
    SOURCE_PATH "${SOURCE_PATH}"
    OPTIONS
        ${FEATURE_OPTIONS}
        -DVIVACE_BUILD_TESTS=OFF
        -DVIVACE_BUILD_EXAMPLES=OFF
        -DVIVACE_BUILD_BENCH=OFF
        -DVIVACE_INSTALL=ON
        -DVIVACE_DOCS_ASSETS=OFF
        -DVIVACE_INSTALL_CMAKEDIR=share/vivace
)
# port-options-end

vcpkg_cmake_install()
vcpkg_cmake_config_fixup(PACKAGE_NAME vivace CONFIG_PATH share/vivace)
vcpkg_fixup_pkgconfig()

file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/debug/include" "${CURRENT_PACKAGES_DIR}/debug/share")
file(INSTALL "${CMAKE_CURRENT_LIST_DIR}/usage" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE")
