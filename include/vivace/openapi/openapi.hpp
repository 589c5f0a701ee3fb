#pragma once
/// @file
/// The OpenAPI 3.1 document of a set of routes, built from their `RouteInfo` (extractor types,
/// dependency trees, schema types) — never from a hand-written description. Compiled in
/// `src/openapi/`.

#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "vivace/routing/route_table.hpp"

namespace vivace::openapi {

/// `info.contact`.
struct Contact {
  std::string name{};
  std::string url{};
  std::string email{};
};

/// `info.license`: an SPDX `identifier` or a `url`.
struct License {
  std::string name{};
  std::string identifier{};
  std::string url{};
};

/// A `servers` entry.
struct ServerInfo {
  std::string url{};
  std::string description{};
};

/// A top-level `tags` entry (descriptions for the tags routes use).
struct TagInfo {
  std::string name{};
  std::string description{};
};

/// Everything about the document that does not come from the routes.
struct DocumentInfo {
  std::string title = "Vivace";
  std::string version = "0.1.0";
  std::string summary{};
  std::string description{};
  std::string terms_of_service{};
  std::optional<Contact> contact{};
  std::optional<License> license{};
  std::vector<ServerInfo> servers{};
  std::vector<TagInfo> tags{};
};

/// The document for `routes` (those with `include_in_schema`). Keys come in a fixed order
/// (routes in registration order, components sorted by name), so the output of one program
/// is the same on every run and can be committed and diffed.
[[nodiscard]] boost::json::value document(const std::vector<Route>& routes,
                                          const DocumentInfo& info);

/// The operationId of a route: `options.operation_id`, or FastAPI's style from the handler's
/// name, the path and the method (`read_item_items__item_id__get`).
[[nodiscard]] std::string operation_id(const RouteInfo& route);

/// JSON with two-space indentation and one member per line, for committed documents.
[[nodiscard]] std::string pretty(const boost::json::value& v);

}  // namespace vivace::openapi
