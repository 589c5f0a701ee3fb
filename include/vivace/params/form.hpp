#pragma once
/// @file
/// `Form<T>`: an `application/x-www-form-urlencoded` body read into a described struct.

#include <optional>
#include <string_view>
#include <type_traits>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "vivace/core/errors.hpp"
#include "vivace/http/request.hpp"
#include "vivace/params/concepts.hpp"
#include "vivace/params/convert.hpp"
#include "vivace/params/multipart.hpp"
#include "vivace/routing/route_info.hpp"
#include "vivace/schema/json.hpp"

namespace vivace {

namespace params::detail {
template <class M>
struct is_vector : std::false_type {};
template <class M>
struct is_vector<std::vector<M>> : std::true_type {};
}  // namespace params::detail

/// The form fields (urlencoded, or the text parts of a multipart body) decoded into `T` with
/// the schema layer (values are text, converted as
/// query parameters are: `remember=on` is a `bool`). Errors are located at
/// `["body", "<field>"]` as FastAPI does; another content type is a 415.
///
/// @code
/// struct Login { std::string username; vivace::SecretStr password; };
/// app.post<"/login">([](vivace::Form<Login> form) { ... });
/// @endcode
template <class T>
struct Form : params::value_holder<T> {
  static_assert(schema::described_struct<T>,
                "vivace: Form<T> needs a struct described with BOOST_DESCRIBE_STRUCT");
  static constexpr bool is_body = true;  ///< at most one body per handler
  /// `T` as declared: a constrained `T` stays wrapped here, though `*` unwraps it.
  using value_type = T;

  /// Decodes the form's fields into `T` (list members from repeated fields). Returns nullopt
  /// after adding the validation errors to `errors`.
  /// @throws HTTPException 415 for another content type (or none), 400 for an invalid query
  /// encoding or multipart body.
  static std::optional<Form> extract(Request& req, params::error_list& errors) {
    auto ct = req.headers.get("Content-Type");
    const params::multipart_form* multipart = nullptr;
    if (ct && params::multipart_boundary(*ct))
      multipart = params::multipart_of(req);
    else if (!ct || !params::detail::is_form_media_type(*ct))
      throw HTTPException(415,
                          "Unsupported Media Type: the body must be "
                          "application/x-www-form-urlencoded or multipart/form-data");
    const QueryParams fields =
        multipart ? QueryParams(multipart->fields) : parse_query_string(req.body);
    // The form as the JSON object the schema layer reads: one string per field, an array of
    // strings for list members.
    boost::json::object obj;
    const auto& opts = schema::model_options_of<T>();
    boost::mp11::mp_for_each<schema::members_of<T>>([&](auto D) {
      using M = std::remove_cvref_t<decltype(std::declval<T&>().*D.pointer)>;
      const auto name = schema::wire_name(opts, D.name);
      if constexpr (params::detail::is_vector<M>::value) {
        auto all = fields.get_all(name);
        if (!all.empty()) {
          boost::json::array a;
          for (auto v : all)
            a.emplace_back(v);
          obj[name] = std::move(a);
        }
      } else if (auto v = fields.get(name)) {
        obj[name] = *v;
      }
    });
    auto r = schema::decode<T>(obj, boost::json::array{"body"});
    if (!r) {
      for (auto& e : r.errors)
        errors.push_back(std::move(e));
      return std::nullopt;
    }
    return Form{std::move(*r.value)};
  }

  /// Documented as urlencoded, or as multipart when the handler also takes `File`s.
  static void describe(RouteInfo& info) {
    schema_builder s = [](schema::schema_registry& r) { return schema::json_schema<T>(r); };
    if (info.body) {
      info.body->schema = std::move(s);
      info.body->required = true;
    } else {
      info.body = BodyInfo{"application/x-www-form-urlencoded", true, std::move(s)};
    }
  }
};

}  // namespace vivace
