// Rows ↔ JSON for the schema layer: each column read in the form its member expects.

#include "vivace/db/row.hpp"

#include <soci/sqlite3/soci-sqlite3.h>

#include "vivace/config.hpp"
#if VIVACE_WITH_POSTGRESQL
#include <libpq-fe.h>
#endif

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <ctime>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "vivace/db/session.hpp"
#include "vivace/schema/checks.hpp"

namespace vivace::db {

namespace json = boost::json;

RowError::RowError(std::string model, std::vector<ValidationError> errors)
    : std::runtime_error([&] {
        std::string m = "database row does not fit " + model + ":";
        for (const auto& e : errors) {
          m += "\n  ";
          m += json::serialize(e.loc);
          m += ": ";
          m += e.msg;
          m += " (";
          m += e.type;
          m += ")";
          if (!e.input.is_null() && !e.input.is_object()) {
            m += ", got ";
            m += json::serialize(e.input);
          }
        }
        return m;
      }()),
      errors_(std::move(errors)) {}

namespace detail {

namespace {

const json::object* resolve(const json::value& s, const json::object& defs) {
  const json::object* o = s.if_object();
  if (!o)
    return nullptr;
  if (const auto* ref = o->if_contains("$ref"); ref && ref->is_string()) {
    std::string_view r = ref->get_string();
    auto slash = r.rfind('/');
    if (const auto* d = defs.if_contains(r.substr(slash + 1)))
      return resolve(*d, defs);
    return nullptr;
  }
  // A member's `$ref` wrapped to carry its title: `{"allOf": [{"$ref": ...}], "title": ...}`.
  if (const auto* all = o->if_contains("allOf");
      all && all->is_array() && all->get_array().size() == 1)
    return resolve(all->get_array()[0], defs);
  if (const auto* any = o->if_contains("anyOf"); any && any->is_array())
    for (const auto& alt : any->get_array()) {
      const auto* a = resolve(alt, defs);
      if (a && !(a->contains("type") && a->at("type") == "null"))
        return a;
    }
  return o;
}

column_kind kind_of(const json::object* s) {
  if (!s)
    return column_kind::json;
  const auto* t = s->if_contains("type");
  if (!t || !t->is_string())
    return s->contains("enum") ? column_kind::text : column_kind::json;
  std::string_view type = t->get_string();
  if (type == "integer")
    return column_kind::integer;
  if (type == "number")
    return column_kind::number;
  if (type == "boolean")
    return column_kind::boolean;
  if (type == "string") {
    if (const auto* f = s->if_contains("format"); f && f->is_string()) {
      if (f->get_string() == "date-time")
        return column_kind::date_time;
      if (f->get_string() == "date")
        return column_kind::date;
    }
    return column_kind::text;
  }
  return column_kind::json;  // arrays and objects: stored as JSON text
}

std::string iso(const std::tm& t, bool with_time) {
  char buf[40];
  if (with_time)
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", t.tm_year + 1900, t.tm_mon + 1,
                  t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec);
  else
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday);
  return buf;
}

/// `s`, all of it, as a number.
template <class N>
bool text_number(std::string_view s, N& out) noexcept {
  N v{};
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size())
    return false;
  out = v;
  return true;
}

/// SQLite's CURRENT_TIMESTAMP and PostgreSQL's text form, "YYYY-MM-DD HH:MM:SS" in UTC, as
/// RFC 3339 written into `buf` (`T`, and `Z` when nothing follows the seconds); any other text
/// is returned as it is. Empty when the form does not fit `buf` (no date-time is that long).
template <std::size_t N>
std::string_view rfc3339(std::string_view s, char (&buf)[N]) noexcept {
  if (s.size() < 19 || s[10] != ' ')
    return s;
  if (s.size() + 1 > N)
    return {};
  s.copy(buf, s.size());
  buf[10] = 'T';
  std::size_t n = s.size();
  if (n == 19)
    buf[n++] = 'Z';
  return {buf, n};
}

/// A text column read as the member's kind (SQLite reports computed columns as text, and
/// PostgreSQL's booleans arrive as `t`/`f`).
json::value from_text(std::string_view s, column_kind k, const json::storage_ptr& sp) {
  switch (k) {
    case column_kind::integer:
      if (std::int64_t v = 0; text_number(s, v))
        return v;
      break;
    case column_kind::number:
      if (double d = 0; text_number(s, d))
        return d;
      break;
    case column_kind::boolean:
      if (auto b = schema::bool_word(s))  // PostgreSQL's t/f among them
        return *b;
      break;
    case column_kind::date_time: {
      char buf[64];
      if (const auto t = rfc3339(s, buf); !t.empty())
        return json::string(t, sp);
      break;
    }
    case column_kind::json: {
      boost::system::error_code ec;
      auto v = json::parse(s, ec, sp);
      if (!ec)
        return v;
      break;
    }
    default:
      break;
  }
  return json::string(s, sp);
}

json::value read(const soci::values& v, std::size_t i, column_kind k, const json::storage_ptr& sp) {
  if (v.get_indicator(i) == soci::i_null)
    return nullptr;
  switch (v.get_properties(i).get_data_type()) {
    case soci::dt_string:
    case soci::dt_xml:
    case soci::dt_blob:
      return from_text(v.get<std::string>(i), k, sp);
    case soci::dt_double: {
      double d = v.get<double>(i);
      if (k == column_kind::integer)
        return static_cast<std::int64_t>(d);
      return d;
    }
    case soci::dt_integer: {
      int n = v.get<int>(i);
      if (k == column_kind::boolean)
        return n != 0;
      if (k == column_kind::number)
        return static_cast<double>(n);
      return static_cast<std::int64_t>(n);
    }
    case soci::dt_long_long: {
      long long n = v.get<long long>(i);
      if (k == column_kind::boolean)
        return n != 0;
      if (k == column_kind::number)
        return static_cast<double>(n);
      return static_cast<std::int64_t>(n);
    }
    case soci::dt_unsigned_long_long:
      return static_cast<std::uint64_t>(v.get<unsigned long long>(i));
    case soci::dt_date:
      return json::string(iso(v.get<std::tm>(i), k != column_kind::date), sp);
  }
  return nullptr;
}

}  // namespace

namespace {
// The members of the object schema `o` under `prefix`; a nested model's own members follow it
// as `member.field` (a row carries them as columns named so), a few levels deep (a model that
// contains itself stops there).
void add_columns(std::vector<std::pair<std::string, column_kind>>& out, const std::string& prefix,
                 const json::object& o, const json::object& defs, int depth) {
  const auto* props = o.if_contains("properties");
  if (!props || !props->is_object())
    return;
  for (const auto& p : props->get_object()) {
    const json::object* member = resolve(p.value(), defs);
    std::string name = prefix + std::string(p.key());
    out.emplace_back(name, kind_of(member));
    if (member && depth < 3 && member->contains("properties"))
      add_columns(out, name + ".", *member, defs, depth + 1);
  }
}
}  // namespace

std::vector<std::pair<std::string, column_kind>> column_kinds(const json::value& schema) {
  std::vector<std::pair<std::string, column_kind>> out;
  static const json::object no_defs;
  const json::object& doc = schema.as_object();
  const json::object* defs = &no_defs;
  if (const auto* d = doc.if_contains("$defs"); d && d->is_object())
    defs = &d->get_object();
  const json::object* root = resolve(schema, *defs);
  if (!root)
    return out;
  add_columns(out, "", *root, *defs, 0);
  return out;
}

namespace {
// The member `name` of `kinds`, trying the one after the last found first (fields come in the
// model's order); `kinds.size()` when there is none.
std::size_t member_index(const std::vector<std::pair<std::string, column_kind>>& kinds,
                         std::string_view name, std::size_t hint) {
  const std::size_t members = kinds.size();
  if (hint < members && kinds[hint].first == name)
    return hint;
  for (std::size_t k = 0; k < members; ++k)
    if (kinds[k].first == name)
      return k;
  return members;
}
}  // namespace

const json::value* row_fields::operator()(std::string_view name) {
  const std::size_t m = member_index(kinds_, name, next_member_);
  const std::size_t columns = v_.get_number_of_columns();
  std::size_t c = columns;
  // Columns usually come in the members' order too: try the next one first.
  if (next_column_ < columns && v_.get_properties(next_column_).get_name() == name)
    c = next_column_;
  for (std::size_t i = 0; c == columns && i < columns; ++i)
    if (v_.get_properties(i).get_name() == name)
      c = i;
  if (m == kinds_.size() || c == columns)
    return nullptr;
  next_member_ = m + 1;
  next_column_ = c + 1;
  value_ = read(v_, c, kinds_[m].second, value_.storage());  // made in the arena
  return &value_;
}

namespace {
// A date-time column's text as `from_text` gives it to the decoder.
bool text_date_time(std::string_view s, DateTime& out) noexcept {
  char buf[64];
  const auto t = DateTime::parse(rfc3339(s, buf));
  if (t)
    out = *t;
  return t.has_value();
}
}  // namespace

const json::value* native_fields::operator()(std::string_view name) {
  const std::size_t m = member_index(kinds_, name, next_member_);
  if (m == kinds_.size())
    return nullptr;
  next_member_ = m + 1;
  return rows_.field(name, kinds_[m].second, value_.storage(), value_);
}

int native_rows::column(std::string_view name) noexcept {
  const auto& names = *names_;
  if (next_column_ < names.size() && names[next_column_] == name)
    return static_cast<int>(next_column_++);
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) {
      next_column_ = i + 1;
      return static_cast<int>(i);
    }
  return -1;
}

bool native_rows::null(int c) const noexcept {
  return sqlite_api::sqlite3_column_type(static_cast<sqlite_api::sqlite3_stmt*>(stmt_), c) ==
         SQLITE_NULL;
}

bool native_rows::cell(int c, std::int64_t& out) const noexcept {
  auto* st = static_cast<sqlite_api::sqlite3_stmt*>(stmt_);
  if (sqlite_api::sqlite3_column_type(st, c) != SQLITE_INTEGER)
    return false;
  out = static_cast<std::int64_t>(sqlite_api::sqlite3_column_int64(st, c));
  return true;
}

bool native_rows::cell(int c, bool& out) const noexcept {
  std::int64_t n = 0;
  if (!cell(c, n))
    return false;
  out = n != 0;
  return true;
}

bool native_rows::cell(int c, double& out) const noexcept {
  auto* st = static_cast<sqlite_api::sqlite3_stmt*>(stmt_);
  const int type = sqlite_api::sqlite3_column_type(st, c);
  if (type == SQLITE_INTEGER)
    out = static_cast<double>(sqlite_api::sqlite3_column_int64(st, c));
  else if (const double d = sqlite_api::sqlite3_column_double(st, c);
           type == SQLITE_FLOAT && std::isfinite(d))
    out = d;
  else
    return false;  // (the JSON way says what is wrong with an infinity)
  return true;
}

namespace {
// Column `c`'s text, when it is text.
std::optional<std::string_view> sqlite_text(void* stmt, int c) noexcept {
  auto* st = static_cast<sqlite_api::sqlite3_stmt*>(stmt);
  if (sqlite_api::sqlite3_column_type(st, c) != SQLITE_TEXT)
    return std::nullopt;
  const auto* text = reinterpret_cast<const char*>(sqlite_api::sqlite3_column_text(st, c));
  const auto size = static_cast<std::size_t>(sqlite_api::sqlite3_column_bytes(st, c));
  return text ? std::string_view(text, size) : std::string_view();
}
}  // namespace

bool native_rows::cell(int c, std::string& out) const {
  const auto text = sqlite_text(stmt_, c);
  if (!text)
    return false;
  out.assign(text->data(), text->size());
  return true;
}

bool native_rows::cell(int c, DateTime& out) const noexcept {
  const auto text = sqlite_text(stmt_, c);
  return text && text_date_time(*text, out);
}

const json::value* native_rows::field(std::string_view name, column_kind kind,
                                      const json::storage_ptr& sp, json::value& out) {
  using namespace sqlite_api;
  const int c = column(name);
  if (c < 0)
    return nullptr;
  auto* st = static_cast<sqlite3_stmt*>(stmt_);
  // The same forms as `read` gives for SOCI's row (SQLite has no boolean or date type).
  switch (sqlite3_column_type(st, c)) {
    case SQLITE_NULL:
      out = nullptr;
      break;
    case SQLITE_INTEGER: {
      const auto n = static_cast<std::int64_t>(sqlite3_column_int64(st, c));
      if (kind == column_kind::boolean)
        out = n != 0;
      else if (kind == column_kind::number)
        out = static_cast<double>(n);
      else
        out = n;
      break;
    }
    case SQLITE_FLOAT: {
      const double d = sqlite3_column_double(st, c);
      if (kind == column_kind::integer)
        out = static_cast<std::int64_t>(d);
      else
        out = d;
      break;
    }
    default: {  // text, blob
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(st, c));
      const auto size = static_cast<std::size_t>(sqlite3_column_bytes(st, c));
      out = from_text(std::string_view(text ? text : "", text ? size : 0), kind, sp);
      break;
    }
  }
  return &out;
}

pg_rows::pg_rows(const void* result) noexcept : res_(result) {
#if VIVACE_WITH_POSTGRESQL
  const auto* r = static_cast<const PGresult*>(result);
  rows_ = PQntuples(r);
  columns_ = PQnfields(r);
#endif
}

int pg_rows::column(std::string_view name) noexcept {
#if VIVACE_WITH_POSTGRESQL
  const auto* r = static_cast<const PGresult*>(res_);
  int c = -1;
  // Columns usually come in the members' order: the one after the last found first.
  if (next_column_ < columns_ && name == PQfname(r, next_column_))
    c = next_column_;
  for (int i = 0; c < 0 && i < columns_; ++i)
    if (name == PQfname(r, i))
      c = i;
  if (c >= 0)
    next_column_ = c + 1 < columns_ ? c + 1 : 0;
  return c;
#else
  (void)name;
  return -1;
#endif
}

#if VIVACE_WITH_POSTGRESQL
namespace {
// PostgreSQL's text of a timestamptz in the session's UTC ("2026-12-07 08:00:00.123456+00")
// or of a timestamp ("2026-12-07 08:00:00.5", taken as UTC) as RFC 3339, the fraction kept:
// "2026-12-07T08:00:00.123456Z". Empty for what is not that form (BC years, infinity).
std::string_view pg_timestamp(std::string_view text, char (&iso)[40]) noexcept {
  if (text.size() < 19 || text.size() > 32 || text[10] != ' ' || text[4] != '-')
    return {};
  text.copy(iso, 19);
  iso[10] = 'T';
  std::size_t n = 19, i = 19;
  if (i < text.size() && text[i] == '.') {
    iso[n++] = text[i++];
    while (i < text.size() && text[i] >= '0' && text[i] <= '9')
      iso[n++] = text[i++];
  }
  const std::string_view zone = text.substr(i);
  if (zone.empty() || zone == "+00" || zone == "+00:00") {
    iso[n++] = 'Z';
  } else if ((zone[0] == '+' || zone[0] == '-') && (zone.size() == 3 || zone.size() == 6)) {
    zone.copy(iso + n, zone.size());
    n += zone.size();
    if (zone.size() == 3) {
      iso[n++] = ':';
      iso[n++] = '0';
      iso[n++] = '0';
    }
  } else {
    return {};
  }
  return {iso, n};
}
std::string_view pg_text(const void* res, int row, int c) noexcept {
  const auto* r = static_cast<const PGresult*>(res);
  return {PQgetvalue(r, row, c), static_cast<std::size_t>(PQgetlength(r, row, c))};
}
}  // namespace
#endif

bool pg_rows::null(int row, int c) const noexcept {
#if VIVACE_WITH_POSTGRESQL
  return PQgetisnull(static_cast<const PGresult*>(res_), row, c) != 0;
#else
  (void)row, (void)c;
  return true;
#endif
}

namespace {
// Row `row`'s column `c` as text, or nothing for NULL.
std::optional<std::string_view> pg_cell(const void* res, int row, int c) noexcept {
#if VIVACE_WITH_POSTGRESQL
  if (PQgetisnull(static_cast<const PGresult*>(res), row, c))
    return std::nullopt;
  return pg_text(res, row, c);
#else
  (void)res, (void)row, (void)c;
  return std::nullopt;
#endif
}
}  // namespace

bool pg_rows::cell(int row, int c, std::int64_t& out) const noexcept {
  const auto s = pg_cell(res_, row, c);
  return s && text_number(*s, out);
}

bool pg_rows::cell(int row, int c, double& out) const noexcept {
  const auto s = pg_cell(res_, row, c);
  double d = 0;
  if (!s || !text_number(*s, d) || !std::isfinite(d))
    return false;  // (the JSON way says what is wrong with an infinity)
  out = d;
  return true;
}

bool pg_rows::cell(int row, int c, bool& out) const noexcept {
  const auto s = pg_cell(res_, row, c);
  const auto b = s ? schema::bool_word(*s) : std::nullopt;  // PostgreSQL's t/f
  if (b)
    out = *b;
  return b.has_value();
}

bool pg_rows::cell(int row, int c, std::string& out) const {
  const auto s = pg_cell(res_, row, c);
  if (s)
    out.assign(s->data(), s->size());
  return s.has_value();
}

bool pg_rows::cell(int row, int c, DateTime& out) const noexcept {
  const auto s = pg_cell(res_, row, c);
  if (!s)
    return false;
#if VIVACE_WITH_POSTGRESQL
  char iso[40];
  if (const auto text = pg_timestamp(*s, iso); !text.empty()) {
    auto t = DateTime::parse(text);
    if (t)
      out = *t;
    return t.has_value();
  }
#endif
  return text_date_time(*s, out);
}

const json::value* pg_rows::field(int row, std::string_view name, column_kind kind,
                                  const json::storage_ptr& sp, json::value& out) {
#if VIVACE_WITH_POSTGRESQL
  const auto* r = static_cast<const PGresult*>(res_);
  const int c = column(name);
  if (c < 0)
    return nullptr;
  if (PQgetisnull(r, row, c)) {
    out = nullptr;
    return &out;
  }
  const std::string_view text = pg_text(res_, row, c);
  char iso[40];
  if (const auto t = kind == column_kind::date_time ? pg_timestamp(text, iso) : std::string_view{};
      !t.empty()) {
    out = json::string(t, sp);
  } else {
    out = from_text(text, kind, sp);
  }
  return &out;
#else
  (void)row, (void)name, (void)kind, (void)sp, (void)out;
  return nullptr;
#endif
}

const json::value* pg_fields::operator()(std::string_view name) {
  const std::size_t m = member_index(kinds_, name, next_member_);
  if (m == kinds_.size())
    return nullptr;
  next_member_ = m + 1;
  return rows_.field(row_, name, kinds_[m].second, value_.storage(), value_);
}

std::string storage_text(const DateTime& t) {
  std::string out = DateTime{t.utc, t.offset_minutes ? std::optional<int>(0) : std::nullopt}
                        .to_string();  // to_string leaves a zero fraction out
  if (out.find('.') == std::string::npos)
    out.insert(t.offset_minutes ? out.size() - 1 : out.size(), ".000000");
  return out;
}

void json_to_values(const json::object& o,
                    const std::vector<std::pair<std::string, column_kind>>& kinds,
                    soci::values& v) {
  for (const auto& [key, value] : o) {
    const std::string name(key);
    if (value.is_string()) {
      const auto k = std::find_if(kinds.begin(), kinds.end(),
                                  [&](const auto& kind) { return kind.first == name; });
      if (k != kinds.end() && k->second == column_kind::date_time) {
        if (auto t = DateTime::parse(value.get_string())) {
          v.set(name, storage_text(*t));
          continue;
        }
      }
    }
    switch (value.kind()) {
      case json::kind::null:
        v.set(name, std::string(), soci::i_null);
        break;
      case json::kind::bool_:
        v.set(name, value.get_bool() ? 1 : 0);
        break;
      case json::kind::int64:
        v.set(name, static_cast<long long>(value.get_int64()));
        break;
      case json::kind::uint64:
        v.set(name, static_cast<unsigned long long>(value.get_uint64()));
        break;
      case json::kind::double_:
        v.set(name, value.get_double());
        break;
      case json::kind::string:
        v.set(name, std::string(value.get_string()));
        break;
      case json::kind::array:
      case json::kind::object:
        v.set(name, json::serialize(value));
        break;
    }
  }
}

}  // namespace detail
}  // namespace vivace::db
