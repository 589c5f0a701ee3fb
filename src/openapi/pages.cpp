// The HTML of the docs pages. The assets are served by the app beside the page, so nothing
// is loaded from another host.

#include <string>

#include "vivace/openapi/docs.hpp"

namespace vivace::openapi {

namespace {
std::string escape_html(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}
// A JavaScript string literal (inside a <script>: no "</" either).
std::string js_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\')
      out += '\\';
    if (c == '<') {
      out += "\\u003c";
      continue;
    }
    out += c;
  }
  return out + "\"";
}
}  // namespace

std::string swagger_ui_html(std::string_view title, std::string_view openapi_url,
                            std::string_view assets_url) {
  const std::string base{assets_url};
  std::string html = R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>)" + escape_html(title) +
                     R"( - Swagger UI</title>
<link rel="stylesheet" href=")" +
                     escape_html(base) + R"(/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src=")" + escape_html(base) +
                     R"(/swagger-ui-bundle.js"></script>
<script>
window.ui = SwaggerUIBundle({
  url: )" + js_string(openapi_url) +
                     R"(,
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  oauth2RedirectUrl: window.location.origin + )" +
                     js_string(base + "/oauth2-redirect.html") + R"(,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset]
});
</script>
</body>
</html>
)";
  return html;
}

std::string redoc_html(std::string_view title, std::string_view openapi_url,
                       std::string_view assets_url) {
  const std::string base{assets_url};
  return R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>)" +
         escape_html(title) + R"( - ReDoc</title>
<style>body { margin: 0; padding: 0; }</style>
</head>
<body>
<redoc spec-url=")" +
         escape_html(openapi_url) + R"("></redoc>
<script src=")" +
         escape_html(base) + R"(/redoc.standalone.js"></script>
</body>
</html>
)";
}

}  // namespace vivace::openapi
