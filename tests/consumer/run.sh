#!/usr/bin/env bash
# Vivace as its users get it. Each mode builds and runs tests/consumer/project's program.
#
#   run.sh install <build dir> [cmake]     cmake --install the given build into a temporary
#                                          prefix, move the prefix (relocatable), then
#                                          find_package(vivace CONFIG) and pkg-config consumers
#   run.sh port-steps <build dir> [cmake]  what packaging/vcpkg/ports/vivace/portfile.cmake does,
#                                          with the port's configure options read from it (default
#                                          features: db, tls): configure, build, install into a
#                                          prefix, then the find_package consumer
#   run.sh shared <build dir> [cmake]      the library built shared (BUILD_SHARED_LIBS=ON), its
#                                          SONAMEs checked, installed, moved, then both consumers
#   run.sh fetchcontent <build dir> [cmake] FetchContent(SOURCE_DIR) of this tree inside the
#                                          consumer's build, without the optional parts
#                                          (VIVACE_DB=OFF, VIVACE_TLS=OFF)
#
# <build dir> is the project's build (for `install`; the others reuse its docs-assets folder
# and its compiler launcher). Prints the consumer's answer; exits non-zero on any failure.
set -euo pipefail
mode=$1
build_dir=$(cd "$2" && pwd)
cmake=${3:-cmake}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/vivace-consumer.XXXXXX")
trap 'rm -rf "$work"' EXIT
log="$work/log"
quiet() { "$@" >"$log" 2>&1 || { cat "$log"; exit 1; }; }
jobs=$(nproc)
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  # Paths relative to each build folder, so that the library's objects compiled by one mode
  # (or an earlier run) are found again by the next: the folders are at the same depth.
  export CCACHE_BASEDIR=/
fi

# consume PREFIX: the find_package consumer against an installed prefix.
consume() {
  quiet "$cmake" -S "$here/project" -B "$work/consumer" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    "${launcher[@]}" -DCONSUME=package -DCMAKE_PREFIX_PATH="$1"
  quiet "$cmake" --build "$work/consumer" -j "$jobs"
  "$work/consumer/consumer"
}

# consume_pc PREFIX: the same program, compiled and linked from the .pc files alone (and the
# language level, which is the user's to choose: the .pc files set none).
consume_pc() {
  local pc_dir flags
  pc_dir=$(dirname "$(find "$1" -name vivace.pc | head -1)")
  flags=$(PKG_CONFIG_PATH="$pc_dir" pkg-config --cflags --libs vivace-db)
  # shellcheck disable=SC2086  # the flags are words
  quiet c++ -std=c++20 -DCONSUMER_DB=1 "$here/project/main.cpp" -o "$work/pc-consumer" $flags
  CONSUMER_EXPECT_DOCS=1 "$work/pc-consumer"
}

case $mode in
  install)
    quiet "$cmake" --install "$build_dir" --prefix "$work/prefix"
    mv "$work/prefix" "$work/moved-prefix"
    prefix=$work/moved-prefix
    for f in LICENSE LICENSE.swagger-ui NOTICE.swagger-ui LICENSE.redoc; do  # embedded: licences
      [[ -s $prefix/share/doc/vivace/$f ]] || { echo "install: no share/doc/vivace/$f" >&2; exit 1; }
    done
    CONSUMER_EXPECT_DOCS=1 consume "$prefix"  # the dev build embeds the docs assets
    consume_pc "$prefix"
    ;;
  shared)
    # BUILD_SHARED_LIBS=ON: libvivace.so and libvivace_db.so with a SONAME of major.minor, both
    # consumers linked against them from a moved prefix.
    quiet "$cmake" -S "$root" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      "${launcher[@]}" -DBUILD_SHARED_LIBS=ON -DVIVACE_BUILD_TESTS=OFF \
      -DVIVACE_BUILD_EXAMPLES=OFF -DVIVACE_DOCS_ASSETS_DIR="$build_dir/docs-assets"
    quiet "$cmake" --build "$work/build" -j "$jobs"
    quiet "$cmake" --install "$work/build" --prefix "$work/prefix"
    mv "$work/prefix" "$work/moved-prefix"
    prefix=$work/moved-prefix
    version=$(sed -n 's/^ *VERSION \([0-9]*\.[0-9]*\)\..*/\1/p' "$root/CMakeLists.txt" | head -1)
    for lib in vivace vivace_db; do
      so=$(find "$prefix" -name "lib$lib.so" | head -1)
      [[ -n $so ]] || { echo "shared: no lib$lib.so installed" >&2; exit 1; }
      soname=$(objdump -p "$so" | awk '$1 == "SONAME" { print $2 }')
      [[ $soname == "lib$lib.so.$version" ]] ||
        { echo "shared: lib$lib.so has SONAME '$soname', not lib$lib.so.$version" >&2; exit 1; }
    done
    CONSUMER_EXPECT_DOCS=1 consume "$prefix"
    LD_LIBRARY_PATH="$(dirname "$(find "$prefix" -name libvivace.so | head -1)")" \
      consume_pc "$prefix"
    ;;
  port-steps)
    portfile=$root/packaging/vcpkg/ports/vivace/portfile.cmake
    # The OPTIONS of the port's vcpkg_cmake_configure call, between its marker comments;
    # ${FEATURE_OPTIONS} becomes the default features (db, tls) as vcpkg_check_features would.
    mapfile -t options < <(sed -n '/# port-options-begin/,/# port-options-end/p' "$portfile" |
      grep -E '^\s+-D' | sed 's/^\s*//')
    features=(-DVIVACE_DB=ON -DVIVACE_DB_POSTGRESQL=OFF -DVIVACE_TLS=ON)
    ((${#options[@]} > 3)) || { echo "port-steps: no options found in $portfile" >&2; exit 1; }
    echo "port options: ${features[*]} ${options[*]}"
    quiet "$cmake" -S "$root" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      "${launcher[@]}" "${features[@]}" "${options[@]}"
    quiet "$cmake" --build "$work/build" -j "$jobs"          # vcpkg_cmake_install: build,
    quiet "$cmake" --install "$work/build" --prefix "$work/packages"  # then install
    # vcpkg_cmake_config_fixup(CONFIG_PATH share/vivace): the package files must be there.
    [[ -f $work/packages/share/vivace/vivaceConfig.cmake ]] ||
      { echo "port-steps: no share/vivace/vivaceConfig.cmake" >&2; exit 1; }
    # Built offline without the docs assets: the package has the script that fetches them,
    # and the library reads them at run time (here from the project build's folder).
    [[ -f $work/packages/share/vivace/fetch-docs-assets.cmake ]] ||
      { echo "port-steps: no share/vivace/fetch-docs-assets.cmake" >&2; exit 1; }
    VIVACE_DOCS_ASSETS_DIR="$build_dir/docs-assets" CONSUMER_EXPECT_DOCS=1 consume "$work/packages"
    # Without the variable: the assets in the prefix's share/vivace/docs-assets (as the fetch
    # script fills it), found from where the program is (installed in <prefix>/bin), after the
    # whole prefix moved.
    cp -r "$build_dir/docs-assets" "$work/packages/share/vivace/docs-assets"
    mkdir -p "$work/packages/bin"
    cp "$work/consumer/consumer" "$work/packages/bin/"
    mv "$work/packages" "$work/moved-packages"
    CONSUMER_EXPECT_DOCS=1 "$work/moved-packages/bin/consumer"
    # Started by its bare name through PATH (the loader then knows it only as "consumer").
    (cd "$work" && PATH="$work/moved-packages/bin:$PATH" CONSUMER_EXPECT_DOCS=1 consumer)
    ;;
  fetchcontent)
    quiet "$cmake" -S "$here/project" -B "$work/consumer" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      "${launcher[@]}" -DCONSUME=fetchcontent -DVIVACE_SOURCE_DIR="$root" \
      -DVIVACE_DB=OFF -DVIVACE_TLS=OFF -DVIVACE_DOCS_ASSETS_DIR="$build_dir/docs-assets"
    quiet "$cmake" --build "$work/consumer" -j "$jobs"
    CONSUMER_EXPECT_DOCS=1 "$work/consumer/consumer"
    ;;
  *)
    echo "usage: $0 install|shared|port-steps|fetchcontent <build dir> [cmake]" >&2
    exit 2
    ;;
esac
