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
  /// The person or organisation; left out when empty, as `url` and `email` are.
  std::string name{};
  /// A URL, written as given (not checked).
  std::string url{};
  /// Written as given, not checked as an `Email` is.
  std::string email{};
};

/// `info.license`: an SPDX `identifier` or a `url`.
struct License {
  /// Always written, even when empty: OpenAPI requires it (`MIT`).
  std::string name{};
  /// An SPDX identifier (`MIT`); when set, `url` is not written.
  std::string identifier{};
  /// Where the license text is; written only when `identifier` is empty.
  std::string url{};
};

/// A `servers` entry.
struct ServerInfo {
  /// The server's base URL (`https://api.example.com/v1`, or relative: `/v1`).
  std::string url{};
  /// A few words for the docs' server list.
  std::string description{};
};

/// A top-level `tags` entry (descriptions for the tags routes use).
struct TagInfo {
  /// The tag, as routes use it.
  std::string name{};
  /// Its description (Markdown).
  std::string description{};
};

/// Everything about the document that does not come from the routes.
struct DocumentInfo {
  /// `info.title`.
  std::string title = "Vivace";
  /// `info.version`: the API's version.
  std::string version = "0.1.0";
  /// `info.summary` (omitted when empty, as are the other texts).
  std::string summary{};
  /// `info.description` (Markdown).
  std::string description{};
  /// `info.termsOfService`: a URL.
  std::string terms_of_service{};
  /// `info.contact`.
  std::optional<Contact> contact{};
  /// `info.license`.
  std::optional<License> license{};
  /// `servers`.
  std::vector<ServerInfo> servers{};
  /// `tags`, in this order.
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
