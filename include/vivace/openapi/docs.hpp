#pragma once
/// @file
/// The interactive docs pages: Swagger UI 5 and ReDoc, served with no internet access. Their
/// assets come from the npm packages `swagger-ui-dist` and `redoc` at build time and are
/// embedded in the library (`VIVACE_DOCS_ASSETS`, about 3 MB). A library built without them
/// (the vcpkg and Conan packages build offline) reads them once, at run time, from the folder
/// named by the environment variable `VIVACE_DOCS_ASSETS_DIR`, else from
/// `<prefix>/share/vivace/docs-assets` of the prefix it is installed in (found from where it is
/// loaded, so a relocated installation finds its own), which
/// `cmake -P <prefix>/share/vivace/fetch-docs-assets.cmake <folder>`
/// fills. Compiled in `src/openapi/`.

#include <optional>
#include <string>
#include <string_view>

namespace vivace::openapi {

/// One asset file.
struct Asset {
  /// The bytes (static: valid for the program's life).
  std::string_view data;
  /// With the charset: `text/javascript; charset=utf-8`, `text/css; charset=utf-8`, ...
  std::string_view content_type;
};

/// The asset called `name` (`swagger-ui-bundle.js`, `swagger-ui.css`,
/// `oauth2-redirect.html`, `oauth2-redirect.js`, `redoc.standalone.js`); none when the library
/// has neither embedded them nor found them at run time.
[[nodiscard]] std::optional<Asset> find_asset(std::string_view name) noexcept;

/// Whether the assets are there (embedded, or found at run time).
[[nodiscard]] bool have_assets() noexcept;

/// The Swagger UI page: the document at `openapi_url`, assets under `assets_url` (the page's
/// own URL), OAuth2 redirect at `assets_url + "/oauth2-redirect.html"`.
[[nodiscard]] std::string swagger_ui_html(std::string_view title, std::string_view openapi_url,
                                          std::string_view assets_url);

/// The ReDoc page: the document at `openapi_url`, assets under `assets_url`.
[[nodiscard]] std::string redoc_html(std::string_view title, std::string_view openapi_url,
                                     std::string_view assets_url);

}  // namespace vivace::openapi
