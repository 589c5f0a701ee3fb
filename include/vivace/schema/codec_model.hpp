#pragma once
/// @file
/// The codec of models: structs described with `BOOST_DESCRIBE_STRUCT`, with the options of
/// `vivace_model` and the checks of `vivace_validate`.

#include <string>
#include <string_view>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <boost/mp11/algorithm.hpp>

#include "vivace/schema/codec_base.hpp"
#include "vivace/schema/context.hpp"
#include "vivace/schema/default.hpp"
#include "vivace/schema/model.hpp"
#include "vivace/schema/registry.hpp"

namespace vivace::schema {

namespace detail {
/// A field source of flat fields (a row) that can hand out a nested model's fields.
/// A named concept, not a requires-expression on the local source: clang 14 evaluates the
/// latter wrongly inside `if constexpr`.
template <class Source>
concept nested_source = requires(Source& s, std::string_view member) {
  s.nested(member);
};
}  // namespace detail

/// Models: structs described with `BOOST_DESCRIBE_STRUCT` (public and inherited members),
/// with the options of `vivace_model` and the checks of `vivace_validate`, found by ADL. A
/// JSON object with a member per field under its wire name (the alias, when set).
template <described_struct T>
struct codec<T> {
  /// The described members, inherited ones included.
  using members = members_of<T>;

  /// Decodes every field, so that all errors are reported: `model_type` for a non-object,
  /// `missing` for an absent field that is not `std::optional`, `Patch`, `Default` or defaulted,
  /// `extra_forbidden` for each unknown key under `extra_policy::forbid`. When the fields are
  /// valid, `vivace_validate`'s errors are added (`value_error` messages prefixed "Value error, ").
  static bool decode(const boost::json::value& v, T& out, decode_context& cx) {
    if (!v.is_object()) {
      cx.error("model_type", "Input should be a valid dictionary or object to extract fields from",
               v);
      return false;
    }
    if (!cx.enter(v))
      return false;
    const auto& obj = v.get_object();
    const auto& opts = model_options_of<T>();
    bool ok = decode_fields(
        out, cx, [&obj](std::string_view name) { return obj.if_contains(name); }, v);
    if (opts.extra == extra_policy::forbid) {
      for (const auto& kv : obj) {
        if (!known(opts, kv.key())) {
          cx.push(kv.key());
          cx.error("extra_forbidden", "Extra inputs are not permitted", kv.value());
          cx.pop();
          ok = false;
        }
      }
    }
    if (ok)
      ok = validated(out, cx, v);
    cx.leave();
    return ok;
  }

  /// @cond detail
  /// Every field of `out` from `field(wire_name)`: a `const boost::json::value*` (valid until
  /// the next call), null when the source has none. `whole` is what the error of a missing
  /// field echoes (masked; null: nothing). A source that can write a member of type `M` itself
  /// (a database row's column into a plain member) has `bool direct(wire_name, M&)`: true
  /// when it wrote a valid value, false to go the JSON way (which then reports any error). A
  /// source of flat fields has `nested(wire_name)`: a described member with no field of its
  /// own is then read from that source's fields (a row's `author.email` columns).
  template <class Field>
  static bool decode_fields(T& out, decode_context& cx, Field&& field,
                            const boost::json::value& whole) {
    const auto& opts = model_options_of<T>();
    bool ok = true;
    boost::mp11::mp_for_each<members>([&](auto D) {
      using M = std::remove_cvref_t<decltype(out.*D.pointer)>;
      const std::string_view name = wire_name(opts, D.name);
      if (detail::write_directly(field, name, out.*D.pointer))
        return;
      const boost::json::value* p = field(name);
      // A source of flat fields (a row): a nested model from its `name.field` columns. The
      // source's test comes first, on its own: it does not depend on the member, and clang
      // checks what does not depend on it before discarding the branch.
      if constexpr (detail::nested_source<std::remove_cvref_t<Field>>) {
        if constexpr (described_struct<M>) {
          if (!p && read_nested(out.*D.pointer, cx, field, name, ok))
            return;
        }
      }
      if (!p) {
        if (is_optional<M>::value || detail::is_patch<M>::value || is_default<M>::value ||
            opts.defaulted(D.name))
          return;
        cx.push(name);
        cx.error("missing", "Field required",
                 whole.is_null() ? whole : detail::masked<T>(whole));  // no secret echoed
        cx.pop();
        ok = false;
        return;
      }
      cx.push(name);
      if (!codec<M>::decode(*p, out.*D.pointer, cx))
        ok = false;
      cx.pop();
    });
    return ok;
  }

  /// Reads the nested model `m` from `field`'s `name.` fields: false (nothing recorded) when
  /// none of them is there, so that the member counts as missing.
  template <class M, class Field>
  static bool read_nested(M& m, decode_context& cx, Field& field, std::string_view name, bool& ok) {
    auto inner = field.nested(name);
    cx.push(name);
    const std::size_t before = cx.error_count();
    bool inner_ok = codec<M>::decode_fields(m, cx, inner, boost::json::value());
    if (!inner.found()) {
      cx.errors().resize(before);
      cx.pop();
      return false;
    }
    if (inner_ok)
      inner_ok = codec<M>::validated(m, cx, boost::json::value());
    cx.pop();
    ok = ok && inner_ok;
    return true;
  }

  /// `vivace_validate`'s errors for fields that decoded (`whole` as in `decode_fields`).
  static bool validated(const T& out, decode_context& cx, const boost::json::value& whole) {
    bool ok = true;
    if constexpr (requires(const T& m, model_errors& e) { vivace_validate(m, e); }) {
      const auto& opts = model_options_of<T>();
      model_errors errs;
      vivace_validate(out, errs);
      for (const auto& e : errs.items()) {
        const bool on_field = !e.field.empty();
        if (on_field)
          cx.push(wire_name(opts, e.field));
        cx.error(e.type, (e.type == "value_error" ? "Value error, " : "") + e.message,
                 e.input.is_null() && !on_field && !whole.is_null() ? detail::masked<T>(whole)
                                                                    : e.input);
        if (on_field)
          cx.pop();
        ok = false;
      }
    }
    return ok;
  }

  static bool known(const model_options& opts, std::string_view key) {
    bool found = false;
    boost::mp11::mp_for_each<members>([&](auto D) {
      if (!found && wire_name(opts, D.name) == key)
        found = true;
    });
    return found;
  }

  /// @endcond
  /// An object with every field, less those `o` leaves out: not in `include` (when given), in
  /// `exclude`, unset `Patch` fields (`exclude_unset`), null values (`exclude_none`). The
  /// options other than `include`/`exclude` apply to nested values too.
  static boost::json::value encode(const T& v, const encode_options& o) {
    boost::json::object obj(boost::mp11::mp_size<members>::value);
    const encode_options inner{o.exclude_none, o.exclude_unset, {}, {}, o.reveal_secrets};
    for_each_written(v, o, [&](std::string_view name, const auto& member) {
      using M = std::remove_cvref_t<decltype(member)>;
      boost::json::value out = codec<M>::encode(member, inner);
      if (o.exclude_none && out.is_null())
        return;
      obj[name] = std::move(out);
    });
    return obj;
  }
  /// `encode`'s text (through `encode` under `exclude_none`, where only the encoding shows
  /// which members are null).
  static void write(std::string& out, const T& v, const encode_options& o) {
    if (o.exclude_none) {
      detail::append_json(out, encode(v, o));
      return;
    }
    const encode_options inner{o.exclude_none, o.exclude_unset, {}, {}, o.reveal_secrets};
    bool first = true;
    out += '{';
    for_each_written(v, o, [&](std::string_view name, const auto& member) {
      if (!first)
        out += ',';
      first = false;
      detail::append_json_string(out, name);
      out += ':';
      write_json(out, member, inner);
    });
    out += '}';
  }

  /// @cond detail
  /// `f(wire name, member)` for each member `o` keeps (`include`, `exclude`, `exclude_unset`).
  template <class F>
  static void for_each_written(const T& v, const encode_options& o, F&& f) {
    const auto& opts = model_options_of<T>();
    boost::mp11::mp_for_each<members>([&](auto D) {
      using M = std::remove_cvref_t<decltype(v.*D.pointer)>;
      const std::string_view name = wire_name(opts, D.name);
      if (!o.include.empty() && !contains(o.include, D.name, name))
        return;
      if (contains(o.exclude, D.name, name))
        return;
      const auto& member = v.*D.pointer;
      if constexpr (detail::is_patch<M>::value)
        if (o.exclude_unset && !member.is_set())
          return;
      f(name, member);
    });
  }

  static bool contains(const std::vector<std::string_view>& set, std::string_view a,
                       std::string_view b) {
    for (auto s : set)
      if (s == a || s == b)
        return true;
    return false;
  }

  /// @endcond
  /// A `$ref` to the model's schema in `r`: `object` with `title`, `properties` (each with a
  /// title, description, examples and default from the options), `required` and, under
  /// `extra_policy::forbid`, `"additionalProperties": false`.
  static boost::json::value schema(schema_registry& r) {
    const auto& opts = model_options_of<T>();
    const std::string name = opts.name.empty() ? detail::type_name<T>() : opts.name;
    return r.reference(name, typeid(T), [&r, &opts, &name] {
      boost::json::object props;
      boost::json::array required;
      const T defaults{};
      boost::mp11::mp_for_each<members>([&](auto D) {
        using M = std::remove_cvref_t<decltype(defaults.*D.pointer)>;
        const std::string_view wire = wire_name(opts, D.name);
        boost::json::value s = codec<M>::schema(r);
        const auto* f = opts.field(D.name);
        // A $ref cannot carry siblings in every tool; wrap it when there is more to say.
        auto& o = s.is_object() && !s.as_object().contains("$ref")
                      ? s.as_object()
                      : (s = boost::json::object{{"allOf", boost::json::array{s}}}).as_object();
        if (!o.contains("title"))
          o["title"] = title_of(wire);
        if (f && !f->description.empty())
          o["description"] = f->description;
        if (f && !f->example.is_null())
          o["examples"] = boost::json::array{f->example};
        // Absent is fine for these; null is their default unless null is refused.
        constexpr bool optional = is_optional<M>::value || detail::is_patch<M>::value;
        constexpr bool null_default = [] {
          if constexpr (detail::is_patch<M>::value)
            return M::accepts_null;
          else
            return is_optional<M>::value;
        }();
        if (is_default<M>::value || opts.defaulted(D.name))
          o["default"] = codec<M>::encode(defaults.*D.pointer, encode_options{});
        else if (null_default)
          o["default"] = nullptr;
        else if (!optional)
          required.emplace_back(wire);
        props[wire] = std::move(s);
      });
      boost::json::object out{
          {"type", "object"}, {"title", name}, {"properties", std::move(props)}};
      if (!required.empty())
        out["required"] = std::move(required);
      if (opts.extra == extra_policy::forbid)
        out["additionalProperties"] = false;
      if (!opts.description.empty())
        out["description"] = opts.description;
      return boost::json::value(std::move(out));
    });
  }

  /// FastAPI's default property title: "full_name" -> "Full Name".
  static std::string title_of(std::string_view wire) {
    std::string t;
    bool start = true;
    for (char c : wire) {
      if (c == '_') {
        t.push_back(' ');
        start = true;
        continue;
      }
      t.push_back(start && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
      start = false;
    }
    return t;
  }
};

}  // namespace vivace::schema
