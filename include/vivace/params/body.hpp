#pragma once
/// @file
/// `Body<T>`: the request body as JSON, decoded and validated by the schema layer.

#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>

#include <boost/json/array.hpp>

#include "vivace/core/errors.hpp"
#include "vivace/http/request.hpp"
#include "vivace/params/concepts.hpp"
#include "vivace/params/convert.hpp"
#include "vivace/routing/route_info.hpp"
#include "vivace/schema/json.hpp"

namespace vivace {

namespace params::detail {
/// `application/json` or `application/<something>+json`, parameters ignored.
bool is_json_media_type(std::string_view content_type) noexcept;
}  // namespace params::detail

/// The JSON body decoded into `T` (a described struct, a list, ...). Every validation error is
/// located under `["body", ...]`; malformed JSON is a `json_invalid` error; a `Content-Type`
/// other than JSON is a 415. `Body<std::optional<T>>` accepts an empty body.
///
/// @code
/// app.post<"/items">([](vivace::Body<ItemCreate> item) { ... });
/// @endcode
template <class T>
struct Body : params::value_holder<T> {
  static_assert(schema::has_codec<T>,
                "vivace: Body<T> needs a type with a schema: describe it with "
                "BOOST_DESCRIBE_STRUCT, or use boost::json::value for any JSON");
  static constexpr bool is_body = true;       ///< at most one per handler
  static constexpr bool is_json_body = true;  ///< not with `File` parameters
  /// `T` as declared: a constrained `T` stays wrapped here, though `*` unwraps it.
  using value_type = T;

  /// Decodes the body. Returns nullopt after adding to `errors` a `missing` error (empty body,
  /// `T` not optional), a `json_invalid` error or the validation errors.
  /// @throws HTTPException 415 when `Content-Type` is not JSON (a missing one is accepted).
  static std::optional<Body> extract(Request& req, params::error_list& errors) {
    if (auto ct = req.headers.get("Content-Type"); ct && !params::detail::is_json_media_type(*ct))
      throw HTTPException(415, "Unsupported Media Type: the body must be application/json");
    if (req.body.empty()) {
      if constexpr (schema::is_optional<T>::value) {
        return Body{T{}};
      } else {
        errors.push_back(
            {"missing", boost::json::array{"body"}, "Field required", nullptr, nullptr});
        return std::nullopt;
      }
    }
    auto r = schema::decode_json<T>(req.body, boost::json::array{"body"});
    if (!r) {
      for (auto& e : r.errors)
        errors.push_back(std::move(e));
      return std::nullopt;
    }
    return Body{std::move(*r.value)};
  }

  /// Documents the route's body as `application/json` with `T`'s schema (required unless `T`
  /// is a `std::optional`).
  static void describe(RouteInfo& info) {
    info.body = BodyInfo{"application/json", !schema::is_optional<T>::value,
                         [](schema::schema_registry& r) { return schema::json_schema<T>(r); }};
  }
};

}  // namespace vivace
