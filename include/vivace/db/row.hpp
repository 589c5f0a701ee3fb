#pragma once
/// @file
/// Rows as described structs: `soci::type_conversion` for every `BOOST_DESCRIBE_STRUCT`, so
/// `sql << "select ...", soci::into(user)` and `soci::use(user)` (named `:member` placeholders)
/// need no hand-written binding. Columns map to members by name, through the schema layer:
/// a row that does not fit the model (a NULL in a required member, a value breaking a
/// constraint) is a `RowError` naming the column, never a half-filled struct.
///
/// - `std::optional<T>` members are nullable columns (NULL ↔ empty).
/// - integers, `double`, `bool` (an integer 0/1 in SQLite, `boolean` in PostgreSQL), text;
///   enums as their names; `Secret` as its value (not masked).
/// - `DateTime` as ISO 8601 text in SQLite (declare the column `TEXT`) or `timestamptz` in
///   PostgreSQL (sessions run in UTC), written in UTC with six fractional digits so that
///   SQLite's text compares in time order (a `std::chrono::system_clock::time_point`
///   parameter too); `Date` as `YYYY-MM-DD` text or `date`. `Session::one`
///   and `all` keep the microseconds on both; a PostgreSQL row read through SOCI itself
///   (`sql << ..., soci::into(row)`) has SOCI 4.0's `std::tm`, to the second.
///
/// A full specialisation `soci::type_conversion<YourType>` of your own takes precedence.

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <soci/soci.h>
#include <boost/core/demangle.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/value.hpp>

#include "vivace/core/errors.hpp"
#include "vivace/schema/json.hpp"
#include "vivace/schema/types.hpp"

namespace vivace::db {

/// A row that does not fit its model: every problem, with the column, rule and value.
class RowError : public std::runtime_error {
 public:
  /// The message names `model` and each error's column, rule and value.
  RowError(std::string model, std::vector<ValidationError> errors);
  /// Every problem; `loc` is the column.
  [[nodiscard]] const std::vector<ValidationError>& errors() const noexcept { return errors_; }

 private:
  std::vector<ValidationError> errors_;
};

namespace detail {

/// What a member expects from its column (from its JSON schema), so that the column's value
/// can be read in that form whatever the backend reports.
enum class column_kind { text, integer, number, boolean, date_time, date, json };

/// The member names of a model and their kinds, from its JSON schema; a nested model's
/// members follow it as `member.field`.
std::vector<std::pair<std::string, column_kind>> column_kinds(const boost::json::value& schema);

/// A row's fields as seen by a nested model member: field `f` is the column `member.f`
/// (`SELECT a.email AS "author.email"` fills `author.email`). Counts what it found, so that a
/// row with none of the nested model's columns reports the member itself as missing.
template <class Source>
class prefixed_fields {
 public:
  prefixed_fields(Source& source, std::string_view member) : source_(source) {
    name_.reserve(member.size() + 24);
    name_.assign(member);
    name_ += '.';
    base_ = name_.size();
  }
  /// The column `member.name`'s value, as `Source` gives it.
  const boost::json::value* operator()(std::string_view name) {
    const auto* v = source_(full(name));
    found_ += v != nullptr;
    return v;
  }
  /// The column `member.name` straight into `m`, when `Source` can.
  template <class M>
  requires requires(Source& s, std::string_view n, M& m) { s.direct(n, m); }
  bool direct(std::string_view name, M& m) {
    const bool ok = source_.direct(full(name), m);
    found_ += ok;
    return ok;
  }
  /// A model nested in the nested model: columns `member.inner.field`.
  prefixed_fields<Source> nested(std::string_view inner) {
    return prefixed_fields<Source>(source_, full(inner));
  }
  /// Whether any of the member's columns was there.
  [[nodiscard]] bool found() const noexcept { return found_ > 0; }

 private:
  std::string_view full(std::string_view name) {
    name_.resize(base_);
    name_ += name;
    return name_;
  }
  Source& source_;
  std::string name_;
  std::size_t base_ = 0;
  std::size_t found_ = 0;
};

/// A row as the field source of `schema::decode_fields`: the column named like the field (the
/// first, when two have the name), read in the form its member expects; null when none.
class row_fields {
 public:
  row_fields(const soci::values& v, const std::vector<std::pair<std::string, column_kind>>& kinds)
      : v_(v), kinds_(kinds), value_(boost::json::storage_ptr(&arena_)) {}
  /// The field `name`'s value (valid until the next call), or null when the row has no such
  /// column.
  const boost::json::value* operator()(std::string_view name);
  /// The columns of the nested model `member` (`member.field`).
  prefixed_fields<row_fields> nested(std::string_view member) { return {*this, member}; }

 private:
  const soci::values& v_;
  const std::vector<std::pair<std::string, column_kind>>& kinds_;
  // The row's values live in one arena (text columns without a heap allocation each).
  unsigned char buffer_[2048];
  boost::json::monotonic_resource arena_{buffer_, sizeof buffer_};
  boost::json::value value_;
  std::size_t next_member_ = 0, next_column_ = 0;  // where the next name is likely to be
};
/// Binds a model encoded as JSON: each member under its name, NULL for null, a date-time
/// member (of `kinds`) as `storage_text`.
void json_to_values(const boost::json::object& o,
                    const std::vector<std::pair<std::string, column_kind>>& kinds, soci::values& v);

/// How a `DateTime` parameter is stored: in UTC, always six fractional digits, then `Z`
/// (`2026-11-25T08:11:12.500000Z`; a naive value without the `Z`). One width and one offset,
/// so that SQLite's text columns compare and sort in time order; PostgreSQL reads the same
/// text as `timestamptz`.
[[nodiscard]] std::string storage_text(const DateTime& t);

template <class T>
const std::vector<std::pair<std::string, column_kind>>& kinds_of() {
  static const auto kinds = column_kinds(schema::json_schema_document<T>());
  return kinds;
}

template <class T>
concept mapped_row = schema::described_struct<T>;

}  // namespace detail
}  // namespace vivace::db

namespace soci {

/// Rows as models: every struct described with `BOOST_DESCRIBE_STRUCT` reads from a row
/// (`sql << "SELECT ...", soci::into(user)`) and binds as named parameters
/// (`soci::use(user)`: `:id`, `:email`, ... by member name).
template <class T>
requires vivace::db::detail::mapped_row<T>
struct type_conversion<T, void> {
  /// SOCI's side of the mapping: the row reaches `from_base` as `soci::values`, whose columns
  /// are looked up by name.
  using base_type = values;
  /// Marks Vivace's own mapping (a specialisation of yours has none: then `Session` reads
  /// through it, never around it).
  static constexpr bool vivace_mapping = true;

  /// Reads the columns named like the model's members (others are ignored; NULL is null),
  /// each in the form the member's schema expects, straight into the model's fields, with the
  /// model's validation.
  /// @throws vivace::db::RowError when the row does not fit the model.
  static void from_base(const values& v, indicator, T& out) {
    if (v.get_number_of_columns() == 0)  // a bound parameter being read back: nothing to do
      return;
    vivace::db::detail::row_fields fields(v, vivace::db::detail::kinds_of<T>());
    auto r = vivace::schema::decode_fields<T>(fields);
    if (!r)
      throw vivace::db::RowError(boost::core::demangle(typeid(T).name()), std::move(r.errors));
    out = std::move(*r.value);
  }

  /// Binds every member under its name (secrets revealed, null as NULL).
  static void to_base(const T& in, values& v, indicator& ind) {
    vivace::schema::encode_options o;
    o.reveal_secrets = true;
    const auto j = vivace::schema::encode(in, o);
    vivace::db::detail::json_to_values(j.as_object(), vivace::db::detail::kinds_of<T>(), v);
    ind = i_ok;
  }
};

}  // namespace soci
