// Built without embedded assets (VIVACE_DOCS_ASSETS=OFF, as package builds that cannot reach the
// npm registry are, or a build that could not download them): the assets are read at run time,
// once, from a folder filled by cmake/VivaceDocsAssets.cmake (which `cmake --install` puts in
// <prefix>/share/vivace/fetch-docs-assets.cmake):
//   1. the folder named by the environment variable VIVACE_DOCS_ASSETS_DIR, else
//   2. share/vivace/docs-assets of the prefix this code is installed in, found from the file it
//      was loaded from (dladdr): libvivace.so in <prefix>/lib, or a program linked with the
//      static library in <prefix>/bin, started by a path or through PATH (the relative paths
//      come from CMake's install dirs), so that a relocated installation finds its own.
// Without all five files the pages say where the assets would come from.

#include <dlfcn.h>
#include <link.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "vivace/openapi/docs.hpp"

namespace vivace::openapi {

namespace {

struct loaded {
  std::string_view name;
  std::string_view content_type;
  std::string data;
};

std::filesystem::path assets_folder() {
  if (const char* dir = std::getenv("VIVACE_DOCS_ASSETS_DIR"); dir && *dir)
    return dir;
  Dl_info info{};
  std::filesystem::path file;
#ifdef __GLIBC__
  // For the main program glibc names argv[0], which may be a bare name found through PATH:
  // the kernel's link to the executable says where it is.
  link_map* map = nullptr;
  if (::dladdr1(reinterpret_cast<const void*>(&assets_folder), &info,
                reinterpret_cast<void**>(&map), RTLD_DL_LINKMAP) == 0)
    return {};
  if (map && map->l_name && !*map->l_name)
    file = "/proc/self/exe";
#else
  if (::dladdr(reinterpret_cast<const void*>(&assets_folder), &info) == 0)
    return {};
#endif
  if (file.empty()) {
    if (!info.dli_fname)
      return {};
    file = info.dli_fname;
  }
  std::error_code ec;
  const auto loaded_from = std::filesystem::canonical(file, ec);
  if (ec)
    return {};
  for (const char* relative : {VIVACE_DOCS_ASSETS_FROM_LIB, VIVACE_DOCS_ASSETS_FROM_BIN}) {
    auto dir = (loaded_from.parent_path() / relative).lexically_normal();
    if (std::filesystem::is_directory(dir, ec))
      return dir;
  }
  return {};
}

// Every asset, or none: a partial folder serves no half-working page.
const std::array<loaded, 5>* load() {
  static const auto table = []() -> std::optional<std::array<loaded, 5>> {
    std::array<loaded, 5> t{{
        {"swagger-ui-bundle.js", "text/javascript; charset=utf-8", {}},
        {"swagger-ui.css", "text/css; charset=utf-8", {}},
        {"oauth2-redirect.html", "text/html; charset=utf-8", {}},
        {"oauth2-redirect.js", "text/javascript; charset=utf-8", {}},
        {"redoc.standalone.js", "text/javascript; charset=utf-8", {}},
    }};
    const auto dir = assets_folder();
    if (dir.empty())
      return std::nullopt;
    for (auto& e : t) {
      std::ifstream in(dir / std::string(e.name), std::ios::binary);
      if (!in)
        return std::nullopt;
      std::ostringstream bytes;
      bytes << in.rdbuf();
      e.data = std::move(bytes).str();
      if (e.data.empty())
        return std::nullopt;
    }
    return t;
  }();
  return table ? &*table : nullptr;
}

}  // namespace

std::optional<Asset> find_asset(std::string_view name) noexcept {
  try {
    if (const auto* t = load())
      for (const auto& e : *t)
        if (e.name == name)
          return Asset{e.data, e.content_type};
  } catch (...) {  // an unreadable folder is a missing one
  }
  return std::nullopt;
}

bool have_assets() noexcept {
  try {
    return load() != nullptr;
  } catch (...) {
    return false;
  }
}

}  // namespace vivace::openapi
