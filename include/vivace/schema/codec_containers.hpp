#pragma once
/// @file
/// The codecs of the containers: `std::optional`, `Default`, `Patch` (null or absent),
/// `std::vector` and `std::map` with string keys.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "vivace/schema/codec_base.hpp"
#include "vivace/schema/context.hpp"
#include "vivace/schema/default.hpp"
#include "vivace/schema/patch.hpp"
#include "vivace/schema/registry.hpp"

namespace vivace::schema {

/// `std::optional<T>`: null or a `T`; a model member of this type may also be absent.
/// JSON Schema `anyOf [T, null]`.
template <class T>
struct codec<std::optional<T>> {
  /// Null resets `out`; anything else decodes as a `T`.
  static bool decode(const boost::json::value& v, std::optional<T>& out, decode_context& cx) {
    if (v.is_null()) {
      out.reset();
      return true;
    }
    T inner{};
    if (!codec<T>::decode(v, inner, cx))
      return false;
    out = std::move(inner);
    return true;
  }
  /// Null when empty, the value's encoding otherwise.
  static boost::json::value encode(const std::optional<T>& v, const encode_options& o) {
    return v ? codec<T>::encode(*v, o) : boost::json::value(nullptr);
  }
  /// `encode`'s text.
  static void write(std::string& out, const std::optional<T>& v, const encode_options& o) {
    if (v)
      write_json(out, *v, o);
    else
      out += "null";
  }
  /// `{"anyOf": [T's schema, {"type": "null"}]}`.
  static boost::json::value schema(schema_registry& r) {
    return {{"anyOf", boost::json::array{codec<T>::schema(r), {{"type", "null"}}}}};
  }
};

/// `Default<T>`: a `T`; a model member of this type may also be absent, keeping its
/// initialiser, which the schema shows as the field's `default`.
template <class T>
struct codec<Default<T>> {
  /// As a `T`.
  static bool decode(const boost::json::value& v, Default<T>& out, decode_context& cx) {
    return codec<T>::decode(v, *out, cx);
  }
  /// As a `T`.
  static boost::json::value encode(const Default<T>& v, const encode_options& o) {
    return codec<T>::encode(*v, o);
  }
  /// As a `T`.
  static void write(std::string& out, const Default<T>& v, const encode_options& o) {
    write_json(out, *v, o);
  }
  /// `T`'s schema (the model adds the `default`).
  static boost::json::value schema(schema_registry& r) { return codec<T>::schema(r); }
};

/// `Patch<T>`: like `std::optional<T>`, and a decoded value is always "set" (absence is
/// handled by the model, which leaves the member unset). `Patch<T, not_null>` refuses null.
template <class T, class N>
struct codec<Patch<T, N>> {
  /// Null sets `out` to null (`Patch<T>`) or is `T`'s own error for null (`not_null`, as
  /// pydantic reports null for a non-nullable field); anything else decodes as a `T`.
  static bool decode(const boost::json::value& v, Patch<T, N>& out, decode_context& cx) {
    if (v.is_null()) {
      if constexpr (Patch<T, N>::accepts_null) {
        out = nullptr;
        return true;
      } else {
        const std::size_t before = cx.error_count();
        T ignored{};
        if (!codec<T>::decode(v, ignored, cx))
          return false;
        if (cx.error_count() == before)  // a `T` that takes null (a nested optional)
          cx.error("missing", "Input should not be null", v);
        return false;
      }
    }
    T inner{};
    if (!codec<T>::decode(v, inner, cx))
      return false;
    out = std::move(inner);
    return true;
  }
  /// Null for unset or null, the value's encoding otherwise.
  static boost::json::value encode(const Patch<T, N>& v, const encode_options& o) {
    return v.has_value() ? codec<T>::encode(v.value(), o) : boost::json::value(nullptr);
  }
  /// `encode`'s text.
  static void write(std::string& out, const Patch<T, N>& v, const encode_options& o) {
    if (v.has_value())
      write_json(out, v.value(), o);
    else
      out += "null";
  }
  /// `{"anyOf": [T's schema, {"type": "null"}]}`; `T`'s schema alone for `not_null`.
  static boost::json::value schema(schema_registry& r) {
    if constexpr (Patch<T, N>::accepts_null)
      return {{"anyOf", boost::json::array{codec<T>::schema(r), {{"type", "null"}}}}};
    else
      return codec<T>::schema(r);
  }
};

/// `std::vector<T>`: a JSON array; every item is decoded, so all bad items are reported
/// (`loc` ends with the index). JSON Schema `array` of `T`.
template <class T>
struct codec<std::vector<T>> {
  /// Errors: `list_type` for a non-array, the nesting limit, and each item's errors.
  static bool decode(const boost::json::value& v, std::vector<T>& out, decode_context& cx) {
    if (!v.is_array()) {
      cx.error("list_type", "Input should be a valid list", v);
      return false;
    }
    if (!cx.enter(v))
      return false;
    const auto& arr = v.get_array();
    out.clear();
    out.reserve(arr.size());
    bool ok = true;
    for (std::size_t i = 0; i < arr.size(); ++i) {
      cx.push(i);
      T item{};
      if (codec<T>::decode(arr[i], item, cx))
        out.push_back(std::move(item));
      else
        ok = false;
      cx.pop();
    }
    cx.leave();
    return ok;
  }
  /// An array; `include`/`exclude` apply to the top level only, not to the items.
  static boost::json::value encode(const std::vector<T>& v, const encode_options& o) {
    boost::json::array a;
    a.reserve(v.size());
    encode_options inner{o.exclude_none, o.exclude_unset, {}, {}, o.reveal_secrets};
    for (const auto& x : v)
      a.push_back(codec<T>::encode(x, inner));
    return a;
  }
  /// `encode`'s text.
  static void write(std::string& out, const std::vector<T>& v, const encode_options& o) {
    const encode_options inner{o.exclude_none, o.exclude_unset, {}, {}, o.reveal_secrets};
    out += '[';
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i > 0)
        out += ',';
      write_json(out, v[i], inner);
    }
    out += ']';
  }
  /// `{"type": "array", "items": T's schema}`.
  static boost::json::value schema(schema_registry& r) {
    return {{"type", "array"}, {"items", codec<T>::schema(r)}};
  }
};

/// `std::map<std::string, T>`: a JSON object with any keys, every value a `T`. JSON Schema
/// `object` with `additionalProperties`.
template <class T>
struct codec<std::map<std::string, T>> {
  /// Errors: `dict_type` for a non-object, the nesting limit, and each value's errors under its
  /// key.
  static bool decode(const boost::json::value& v, std::map<std::string, T>& out,
                     decode_context& cx) {
    if (!v.is_object()) {
      cx.error("dict_type", "Input should be a valid dictionary", v);
      return false;
    }
    if (!cx.enter(v))
      return false;
    out.clear();
    bool ok = true;
    for (const auto& kv : v.get_object()) {
      cx.push(kv.key());
      T item{};
      if (codec<T>::decode(kv.value(), item, cx))
        out.emplace(std::string(kv.key()), std::move(item));
      else
        ok = false;
      cx.pop();
    }
    cx.leave();
    return ok;
  }
  /// An object; `include`/`exclude` apply to the top level only, not to the values.
  static boost::json::value encode(const std::map<std::string, T>& v, const encode_options& o) {
    boost::json::object obj;
    encode_options inner{o.exclude_none, o.exclude_unset, {}, {}, o.reveal_secrets};
    for (const auto& [k, x] : v)
      obj[k] = codec<T>::encode(x, inner);
    return obj;
  }
  /// `{"type": "object", "additionalProperties": T's schema}`.
  static boost::json::value schema(schema_registry& r) {
    return {{"type", "object"}, {"additionalProperties", codec<T>::schema(r)}};
  }
};

}  // namespace vivace::schema
