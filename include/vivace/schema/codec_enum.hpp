#pragma once
/// @file
/// The codec of enums described with `BOOST_DESCRIBE_ENUM`: the enumerator's name as a string.

#include <string>
#include <string_view>
#include <typeinfo>
#include <utility>
#include <vector>

#include <boost/describe/enumerators.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <boost/mp11/algorithm.hpp>

#include "vivace/schema/checks.hpp"
#include "vivace/schema/codec_base.hpp"
#include "vivace/schema/context.hpp"
#include "vivace/schema/registry.hpp"

namespace vivace::schema {

/// Enums described with `BOOST_DESCRIBE_ENUM`: the enumerator's name as a string. JSON Schema
/// `string` with `enum`, registered under the enum's name.
template <described_enum E>
struct codec<E> {
  /// Error: `enum`, listing the accepted names.
  static bool decode(const boost::json::value& v, E& out, decode_context& cx) {
    bool found = false;
    if (v.is_string()) {
      std::string_view s = v.get_string();
      boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto D) {
        if (!found && s == D.name) {
          out = D.value;
          found = true;
        }
      });
    }
    if (!found) {
      std::vector<std::string_view> names;
      boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>(
          [&](auto D) { names.emplace_back(D.name); });
      std::string expected = detail::quoted_choices(names.data(), names.size());
      cx.error("enum", "Input should be " + expected, v,
               boost::json::object{{"expected", expected}});
    }
    return found;
  }
  /// The enumerator's name; null for a value that is not a described enumerator.
  static boost::json::value encode(E v, const encode_options&) {
    boost::json::value out = nullptr;
    boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto D) {
      if (v == D.value)
        out = D.name;
    });
    return out;
  }
  /// A `$ref` to the enum's schema in `r`.
  static boost::json::value schema(schema_registry& r) {
    return r.reference(detail::type_name<E>(), typeid(E), [] {
      boost::json::array names;
      boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>(
          [&](auto D) { names.emplace_back(D.name); });
      return boost::json::value{
          {"type", "string"}, {"enum", std::move(names)}, {"title", detail::type_name<E>()}};
    });
  }
};

}  // namespace vivace::schema
