#pragma once
/// @file
/// The schema layer's front door: decode (every error, with locations), encode, JSON Schema
/// and model-to-model conversion.

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/json/serialize.hpp>

#include "vivace/core/fixed_string.hpp"
#include "vivace/schema/codec.hpp"

namespace vivace::schema {

/// A decoded value, or every error that prevented it.
template <class T>
struct decode_result {
  /// The value; empty when there were errors.
  std::optional<T> value;
  /// Every error, in input order; empty on success.
  std::vector<ValidationError> errors;

  /// True when decoding succeeded.
  explicit operator bool() const noexcept { return value.has_value(); }
  /// Only after success: unchecked, so undefined behaviour when `value` is empty.
  const T& operator*() const { return *value; }
  /// `value`'s members; unchecked like `*`.
  const T* operator->() const { return &*value; }
};

/// Parses JSON text without decoding it, as `decode_json` does first: the value, or nullopt
/// after appending to `errors` one `json_invalid` error at `base_loc + [position]` (the
/// position in code points, as Python's json reports it). Text longer than `limits.max_bytes`
/// is refused the same way, located at that size. Nesting is refused only beyond
/// `limits.max_depth + 1` levels: the level just past the limit parses, for `decode` to report
/// as `too_deep`.
std::optional<boost::json::value> parse_json(std::string_view text,
                                             const boost::json::array& base_loc,
                                             std::vector<ValidationError>& errors,
                                             const decode_limits& limits);

/// Decodes and validates a JSON value. Error locations start with `base_loc` (`["body"]`).
template <class T>
decode_result<T> decode(const boost::json::value& v, boost::json::array base_loc = {},
                        decode_limits limits = {}) {
  static_assert(has_codec<T>,
                "vivace: this type has no schema: describe it with "
                "BOOST_DESCRIBE_STRUCT (or BOOST_DESCRIBE_ENUM), or specialise "
                "vivace::schema::codec");
  decode_context cx(std::move(base_loc), limits);
  T out{};
  decode_result<T> r;
  if (codec<T>::decode(v, out, cx) && cx.error_count() == 0)
    r.value = std::move(out);
  r.errors = std::move(cx.errors());
  return r;
}

/// Decodes a model from named values that are not a JSON object (a database row):
/// `field(wire_name)` returns a `const boost::json::value*` to that field's value, valid until
/// the next call, or null when the source has none. The errors are `decode`'s, except that a
/// missing field echoes no input and names the source has beyond the fields are not checked.
template <class T, class Field>
requires described_struct<T> decode_result<T> decode_fields(Field&& field,
                                                            boost::json::array base_loc = {}) {
  static const boost::json::value none;
  decode_context cx(std::move(base_loc));
  T out{};
  decode_result<T> r;
  if (cx.enter(none)) {
    bool ok = codec<T>::decode_fields(out, cx, field, none);
    if (ok)
      ok = codec<T>::validated(out, cx, none);
    cx.leave();
    if (ok && cx.error_count() == 0)
      r.value = std::move(out);
  }
  r.errors = std::move(cx.errors());
  return r;
}

/// Parses JSON text, then decodes it. Malformed JSON is one `json_invalid` error.
template <class T>
decode_result<T> decode_json(std::string_view text, boost::json::array base_loc = {},
                             decode_limits limits = {}) {
  decode_result<T> r;
  auto v = parse_json(text, base_loc, r.errors, limits);
  if (!v)
    return r;
  return decode<T>(*v, std::move(base_loc), limits);
}

/// By default `Secret`s are masked, `Patch` fields not sent are left out and nulls are kept.
template <class T>
boost::json::value encode(const T& v, const encode_options& options = {}) {
  return codec<T>::encode(v, options);
}

/// The text of `boost::json::serialize(encode(v, options))`, written without building that
/// value when the codecs can (`codec<T>::write`).
template <class T>
std::string encode_json(const T& v, const encode_options& options = {}) {
  std::string out;
  write_json(out, v, options);
  return out;
}

/// The JSON Schema of `T`; named types go into `registry` and are referenced.
template <class T>
boost::json::value json_schema(schema_registry& registry) {
  return codec<T>::schema(registry);
}

/// A standalone JSON Schema 2020-12 document for `T`, with its named types under `$defs`.
template <class T>
boost::json::value json_schema_document() {
  schema_registry r("#/$defs/");
  boost::json::value root = codec<T>::schema(r);
  boost::json::object doc{{"$schema", "https://json-schema.org/draft/2020-12/schema"}};
  if (const auto* o = root.if_object())
    for (const auto& kv : *o)
      doc[kv.key()] = kv.value();
  if (!r.schemas().empty())
    doc["$defs"] = r.schemas();
  return doc;
}

/// Builds a `To` from a `From` with the fields they share (FastAPI's `from_attributes`):
/// each member of `To` takes the member of `From` named `Prefix` + its name, when `From` has
/// one of a type it can be built from (explicitly: a `std::string` column builds an `Email`);
/// the others keep their initialisers. Names are matched at compile time.
///
/// @code
/// User u = vivace::schema::convert<User>(user_row);       // the row's hash is left out
/// User a = vivace::schema::convert<User, "a_">(post_row);  // from a_email, a_username, ...
/// @endcode
template <described_struct To, fixed_string Prefix = "", described_struct From>
To convert(const From& from) {
  To to{};
  boost::mp11::mp_for_each<members_of<To>>([&](auto DT) {
    using M = std::remove_cvref_t<decltype(to.*DT.pointer)>;
    constexpr std::string_view to_name = decltype(DT)::name;
    bool done = false;
    boost::mp11::mp_for_each<members_of<From>>([&](auto DF) {
      constexpr std::string_view from_name = decltype(DF)::name;
      constexpr bool same_name = from_name.size() == Prefix.size() + to_name.size() &&
                                 from_name.starts_with(Prefix.view()) &&
                                 from_name.substr(Prefix.size()) == to_name;
      if constexpr (same_name && std::is_constructible_v<M, decltype(from.*DF.pointer)>) {
        if (!done)  // the first of two same-named members (a derived one hides its base's)
          to.*DT.pointer = M(from.*DF.pointer);
        done = true;
      }
    });
  });
  return to;
}

}  // namespace vivace::schema
