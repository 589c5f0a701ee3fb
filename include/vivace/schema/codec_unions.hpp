#pragma once
/// @file
/// The codecs of unions: `std::variant` (the first alternative that accepts the input) and
/// `Discriminated<Tag, Ts...>` (the alternative named by a tag field).

#include <concepts>
#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <boost/mp11/algorithm.hpp>

#include "vivace/core/errors.hpp"
#include "vivace/core/fixed_string.hpp"
#include "vivace/schema/checks.hpp"
#include "vivace/schema/codec_base.hpp"
#include "vivace/schema/constraints.hpp"
#include "vivace/schema/context.hpp"
#include "vivace/schema/registry.hpp"

namespace vivace::schema {

namespace detail {
/// The name an alternative's errors are filed under (pydantic's union tags).
template <class T>
std::string alternative_name() {
  if constexpr (std::same_as<T, bool>)
    return "bool";
  else if constexpr (std::integral<T>)
    return "int";
  else if constexpr (std::floating_point<T>)
    return "float";
  else if constexpr (std::same_as<T, std::string>)
    return "str";
  else if constexpr (described_struct<T>) {
    const auto& o = model_options_of<T>();
    return o.name.empty() ? type_name<T>() : o.name;
  } else
    return type_name<T>();
}
}  // namespace detail

/// `std::variant`: JSON Schema `oneOf`; decoding takes the first alternative that accepts the
/// input, in order. When none does, the errors of every alternative are reported, each under
/// the alternative's name (`["body", "pet", "Cat", "meows"]`).
template <class... Ts>
struct codec<std::variant<Ts...>> {
  /// Errors, when no alternative accepts `v`: every alternative's, each under its name.
  static bool decode(const boost::json::value& v, std::variant<Ts...>& out, decode_context& cx) {
    bool done = false;
    std::vector<ValidationError> failures;
    (try_one<Ts>(v, out, cx, done, failures), ...);
    if (done)
      return true;
    for (auto& e : failures)
      cx.errors().push_back(std::move(e));
    return false;
  }
  /// @cond detail
  template <class T>
  static void try_one(const boost::json::value& v, std::variant<Ts...>& out, decode_context& cx,
                      bool& done, std::vector<ValidationError>& failures) {
    if (done)
      return;
    decode_context scratch = cx.branch(detail::alternative_name<T>());
    T value{};
    if (codec<T>::decode(v, value, scratch) && scratch.error_count() == 0) {
      out = std::move(value);
      done = true;
      return;
    }
    for (auto& e : scratch.errors())
      failures.push_back(std::move(e));
  }
  /// @endcond
  /// The encoding of the alternative held.
  static boost::json::value encode(const std::variant<Ts...>& v, const encode_options& o) {
    return std::visit([&](const auto& x) { return codec<std::decay_t<decltype(x)>>::encode(x, o); },
                      v);
  }
  /// `{"oneOf": [...]}`, in the alternatives' order.
  static boost::json::value schema(schema_registry& r) {
    return {{"oneOf", boost::json::array{codec<Ts>::schema(r)...}}};
  }
};

namespace detail {
template <class M>
struct tag_literal {
  static constexpr bool ok = false;
};
template <fixed_string L>
struct tag_literal<Constrained<std::string, one_of<L>>> {
  static constexpr bool ok = true;
  static constexpr std::string_view value = L.view();
};
/// The literal of `A`'s member called `Tag` (declared `Str<one_of<"cat">> pet_type;`).
template <class A, fixed_string Tag>
constexpr std::string_view tag_of() {
  std::string_view out;
  boost::mp11::mp_for_each<members_of<A>>([&](auto D) {
    using M = std::remove_cvref_t<decltype(std::declval<A&>().*D.pointer)>;
    if constexpr (tag_literal<M>::ok)
      if (std::string_view(D.name) == Tag.view())
        out = tag_literal<M>::value;
  });
  return out;
}
}  // namespace detail

/// A union chosen by a tag field, like pydantic's discriminated unions: every alternative
/// declares the tag as a one-literal string (`Str<one_of<"cat">> pet_type;`).
template <fixed_string Tag, class... Ts>
struct codec<Discriminated<Tag, Ts...>> {
  /// Shorthand; a `std::variant<Ts...>` underneath, holding the alternative the tag named.
  using V = Discriminated<Tag, Ts...>;
  static_assert((!detail::tag_of<Ts, Tag>().empty() && ...),
                "vivace: every alternative of Discriminated<\"tag\", ...> needs a member named "
                "like the tag, of type Str<one_of<\"value\">>");
  /// Each alternative's tag literal, in order.
  static constexpr std::string_view tags[] = {detail::tag_of<Ts, Tag>()...};

  /// Decodes the alternative whose tag literal equals the input's tag, with `loc` extended by
  /// the tag. Errors: `union_tag_not_found` without a string tag, `union_tag_invalid` for an
  /// unknown tag, else the chosen alternative's errors.
  static bool decode(const boost::json::value& v, V& out, decode_context& cx) {
    const auto* obj = v.if_object();
    const auto* tag = obj ? obj->if_contains(Tag.view()) : nullptr;
    if (!tag || !tag->is_string()) {
      cx.error("union_tag_not_found",
               "Unable to extract tag using discriminator '" + std::string(Tag.view()) + "'", v,
               boost::json::object{{"discriminator", "'" + std::string(Tag.view()) + "'"}});
      return false;
    }
    const std::string_view t = tag->get_string();
    bool matched = false, ok = false;
    (try_one<Ts>(t, v, out, cx, matched, ok), ...);
    if (matched)
      return ok;
    const std::string expected = detail::quoted_choices(tags, sizeof...(Ts));
    cx.error("union_tag_invalid",
             "Input tag '" + std::string(t) + "' found using '" + std::string(Tag.view()) +
                 "' does not match any of the expected tags: " + expected,
             v,
             boost::json::object{{"discriminator", "'" + std::string(Tag.view()) + "'"},
                                 {"tag", t},
                                 {"expected_tags", expected}});
    return false;
  }
  /// @cond detail
  template <class T>
  static void try_one(std::string_view t, const boost::json::value& v, V& out, decode_context& cx,
                      bool& matched, bool& ok) {
    if (matched || t != detail::tag_of<T, Tag>())
      return;
    matched = true;
    cx.push(t);
    T value{};
    ok = codec<T>::decode(v, value, cx);
    if (ok)
      out = std::move(value);
    cx.pop();
  }
  /// @endcond
  /// The encoding of the alternative held.
  static boost::json::value encode(const V& v, const encode_options& o) {
    return std::visit([&](const auto& x) { return codec<std::decay_t<decltype(x)>>::encode(x, o); },
                      static_cast<const std::variant<Ts...>&>(v));
  }
  /// `oneOf` the alternatives with an OpenAPI `discriminator` mapping each tag to its `$ref`.
  static boost::json::value schema(schema_registry& r) {
    boost::json::array one_of{codec<Ts>::schema(r)...};
    boost::json::object mapping;
    for (std::size_t i = 0; i < sizeof...(Ts); ++i)
      mapping[tags[i]] = one_of[i].at("$ref");
    return {{"oneOf", std::move(one_of)},
            {"discriminator", {{"propertyName", Tag.view()}, {"mapping", std::move(mapping)}}}};
  }
};

}  // namespace vivace::schema
