// The docs assets, embedded with the assembler's .incbin (GCC and Clang, ELF targets): the
// bytes go straight into .rodata without a multi-megabyte C++ array to compile.
// VIVACE_DOCS_ASSETS_DIR is set by CMake to the folder cmake/VivaceDocsAssets.cmake filled.

#include <array>

#include "vivace/openapi/docs.hpp"

#ifndef VIVACE_DOCS_ASSETS_DIR
#error "VIVACE_DOCS_ASSETS_DIR must name the folder with the fetched assets"
#endif

#define VIVACE_EMBED(symbol, file)                 \
  __asm__(                                         \
      ".section .rodata\n"                         \
      ".balign 16\n"                               \
      ".global " #symbol "_begin\n" #symbol        \
      "_begin:\n"                                  \
      ".incbin \"" VIVACE_DOCS_ASSETS_DIR "/" file \
      "\"\n"                                       \
      ".global " #symbol "_end\n" #symbol          \
      "_end:\n"                                    \
      ".byte 0\n"                                  \
      ".previous\n");                              \
  extern "C" const char symbol##_begin[];          \
  extern "C" const char symbol##_end[];

VIVACE_EMBED(vivace_asset_swagger_js, "swagger-ui-bundle.js")
VIVACE_EMBED(vivace_asset_swagger_css, "swagger-ui.css")
VIVACE_EMBED(vivace_asset_oauth2_html, "oauth2-redirect.html")
VIVACE_EMBED(vivace_asset_oauth2_js, "oauth2-redirect.js")
VIVACE_EMBED(vivace_asset_redoc_js, "redoc.standalone.js")

namespace vivace::openapi {

namespace {
struct entry {
  std::string_view name;
  const char* begin;
  const char* end;
  std::string_view content_type;
};
}  // namespace

std::optional<Asset> find_asset(std::string_view name) noexcept {
  static const std::array<entry, 5> table{{
      {"swagger-ui-bundle.js", vivace_asset_swagger_js_begin, vivace_asset_swagger_js_end,
       "text/javascript; charset=utf-8"},
      {"swagger-ui.css", vivace_asset_swagger_css_begin, vivace_asset_swagger_css_end,
       "text/css; charset=utf-8"},
      {"oauth2-redirect.html", vivace_asset_oauth2_html_begin, vivace_asset_oauth2_html_end,
       "text/html; charset=utf-8"},
      {"oauth2-redirect.js", vivace_asset_oauth2_js_begin, vivace_asset_oauth2_js_end,
       "text/javascript; charset=utf-8"},
      {"redoc.standalone.js", vivace_asset_redoc_js_begin, vivace_asset_redoc_js_end,
       "text/javascript; charset=utf-8"},
  }};
  for (const auto& e : table)
    if (e.name == name)
      return Asset{std::string_view(e.begin, static_cast<std::size_t>(e.end - e.begin)),
                   e.content_type};
  return std::nullopt;
}

bool have_assets() noexcept {
  return true;
}

}  // namespace vivace::openapi
