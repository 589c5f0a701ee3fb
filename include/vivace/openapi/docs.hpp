#pragma once
/// @file
/// The interactive docs pages: Swagger UI 5 and ReDoc, served with no internet access. Their
/// assets come from the npm packages `swagger-ui-dist` and `redoc` at build time and are
/// embedded in the library (`VIVACE_DOCS_ASSETS`, about 3 MB). Compiled in `src/openapi/`.

#include <optional>
#include <string>
#include <string_view>

namespace vivace::openapi {

/// One embedded file.
struct Asset {
  std::string_view data;
  std::string_view content_type;
};

/// The embedded asset called `name` (`swagger-ui-bundle.js`, `swagger-ui.css`,
/// `oauth2-redirect.html`, `oauth2-redirect.js`, `redoc.standalone.js`); none when the library
/// was built without them.
[[nodiscard]] std::optional<Asset> find_asset(std::string_view name) noexcept;

/// Whether the library carries the assets.
[[nodiscard]] bool have_assets() noexcept;

/// The Swagger UI page: the document at `openapi_url`, assets under `assets_url` (the page's
/// own URL), OAuth2 redirect at `assets_url + "/oauth2-redirect.html"`.
[[nodiscard]] std::string swagger_ui_html(std::string_view title, std::string_view openapi_url,
                                          std::string_view assets_url);

/// The ReDoc page: the document at `openapi_url`, assets under `assets_url`.
[[nodiscard]] std::string redoc_html(std::string_view title, std::string_view openapi_url,
                                     std::string_view assets_url);

}  // namespace vivace::openapi
