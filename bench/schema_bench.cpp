// schema_bench: what Vivace's schema layer costs against hand-written Boost.JSON code, in
// process. One ~1 KB blog-post body (nested author, a list of tag objects, optional fields,
// numbers, booleans, an e-mail, a date-time) goes through
//
//   vivace:   vivace::schema::decode_json<Post>(text), then vivace::schema::encode_json(post)
//   baseline: boost::json::parse(text), hand-written extraction into a plain struct with the
//             same checks written by hand, then boost::json::serialize of a hand-built object
//
// Both produce the same output text (checked before timing). The cases are run alternately,
// `--rounds` times each, every run sized to take about `--seconds`; the median ns per
// operation is reported, with the ratio vivace / baseline. A run during which this thread
// got less than 95 % of the wall time (another process took the core) is measured again.
// A body with every field wrong is timed for Vivace alone (decode, all errors collected).
//
// usage: schema_bench [--rounds N] [--seconds S] [--iterations N]
//   --iterations N fixes the operations per run instead of sizing runs by time.

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/describe.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/regex.hpp>
#include <vivace/schema.hpp>

namespace json = boost::json;

// ---- the request body -------------------------------------------------------------------

namespace {

// 1 KB or so, as a blog's "create post" request would send it. The e-mail's domain is in
// mixed case on purpose: both implementations normalise it to lower case.
constexpr std::string_view valid_body = R"({
  "title": "Designing typed HTTP APIs in C++20",
  "slug": "designing-typed-http-apis-in-cpp20",
  "summary": "What FastAPI's ideas look like with concepts, Boost.Describe and coroutines.",
  "body": "Declaring a request body as a plain struct and getting validation, error messages and a JSON Schema for free is what made FastAPI pleasant to use. This post walks through doing the same in C++20: describing members with Boost.Describe, carrying constraints in the type, collecting every error with its location instead of stopping at the first one, and keeping compile times in check. Café au lait optional; benchmarks included.",
  "status": "published",
  "published_at": "2026-11-24T09:30:00Z",
  "author": {"id": 42, "name": "Ada Lovelace", "email": "ada.lovelace@Example.COM",
             "bio": "Writes about compilers, networks and the web.", "verified": true},
  "tags": [
    {"name": "C++", "slug": "cpp", "weight": 0.9},
    {"name": "HTTP", "slug": "http", "weight": 0.75},
    {"name": "FastAPI", "slug": "fastapi", "weight": 0.5},
    {"name": "Boost", "slug": "boost", "weight": 0.25}
  ],
  "reading_minutes": 7,
  "rating": 4.5,
  "featured": false,
  "allow_comments": true,
  "cover_url": null
})";

// Every field wrong (26 errors): lengths, pattern, types, enum, date-time, e-mail, ranges.
constexpr std::string_view invalid_body = R"({
  "title": "Hi", "slug": "Not a slug!", "summary": 42, "body": "", "status": "deleted",
  "published_at": "yesterday at noon",
  "author": {"id": 0, "name": "", "email": "ada-at-example", "bio": false, "verified": "perhaps"},
  "tags": [{"name": "", "slug": "C++", "weight": 1.5}, {"name": "", "slug": "-x-", "weight": -1},
           {"name": "", "slug": "Big Data", "weight": 2}],
  "reading_minutes": 0, "rating": "five", "featured": "nope", "allow_comments": 3,
  "cover_url": 17, "series_id": -4
})";

}  // namespace

// ---- (a) Vivace: a described model with constraints ----------------------------------------

namespace blog {

using Slug = vivace::Str<vivace::min_len<1>, vivace::max_len<80>,
                         vivace::pattern<"^[a-z0-9]+(-[a-z0-9]+)*$">>;

enum class Status { draft, published, archived };
BOOST_DESCRIBE_ENUM(Status, draft, published, archived)

struct Author {
  vivace::Int<vivace::ge<1>> id;
  vivace::Str<vivace::min_len<1>, vivace::max_len<100>> name;
  vivace::Email email;
  std::optional<vivace::Str<vivace::max_len<500>>> bio;
  bool verified = false;
};
BOOST_DESCRIBE_STRUCT(Author, (), (id, name, email, bio, verified))

struct Tag {
  vivace::Str<vivace::min_len<1>, vivace::max_len<32>> name;
  Slug slug;
  vivace::Float<vivace::ge<0>, vivace::le<1>> weight;
};
BOOST_DESCRIBE_STRUCT(Tag, (), (name, slug, weight))

struct Post {
  vivace::Str<vivace::min_len<3>, vivace::max_len<200>> title;
  Slug slug;
  std::optional<vivace::Str<vivace::max_len<300>>> summary;
  vivace::Str<vivace::min_len<1>, vivace::max_len<100000>> body;
  Status status = Status::draft;
  vivace::DateTime published_at;
  Author author;
  vivace::List<Tag, vivace::max_items<10>> tags;
  vivace::Int<vivace::ge<1>, vivace::le<600>> reading_minutes;
  vivace::Float<vivace::ge<0>, vivace::le<5>> rating;
  bool featured = false;
  bool allow_comments = true;
  std::optional<std::string> cover_url;
  std::optional<vivace::Int<vivace::ge<1>>> series_id;
};
BOOST_DESCRIBE_STRUCT(Post, (),
                      (title, slug, summary, body, status, published_at, author, tags,
                       reading_minutes, rating, featured, allow_comments, cover_url, series_id))

inline vivace::schema::model_options vivace_model(const Post*) {
  return {
      .description = "A blog post, as created or replaced",
      .fields = {{"featured", {.has_default = true}}, {"allow_comments", {.has_default = true}}}};
}

}  // namespace blog

// ---- (b) baseline: Boost.JSON and hand-written checks ---------------------------------------

namespace baseline {

enum class Status { draft, published, archived };
constexpr std::string_view status_names[] = {"draft", "published", "archived"};

struct Author {
  std::int64_t id = 0;
  std::string name;
  std::string email;
  std::optional<std::string> bio;
  bool verified = false;
};

struct Tag {
  std::string name;
  std::string slug;
  double weight = 0;
};

struct Post {
  std::string title;
  std::string slug;
  std::optional<std::string> summary;
  std::string body;
  Status status = Status::draft;
  std::string published_at;
  Author author;
  std::vector<Tag> tags;
  std::int64_t reading_minutes = 0;
  double rating = 0;
  bool featured = false;
  bool allow_comments = true;
  std::optional<std::string> cover_url;
  std::optional<std::int64_t> series_id;
};

/// Every failure, as "where: what".
struct Errors {
  std::vector<std::string> list;
  bool add(std::string_view where, std::string_view key, std::string_view what) {
    std::string e(where);
    e += key;
    e += ": ";
    e += what;
    list.push_back(std::move(e));
    return false;
  }
};

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    n += (c & 0xC0) != 0x80;
  return n;
}

bool text(const json::object& o, std::string_view key, std::size_t min, std::size_t max,
          std::string& out, Errors& e, std::string_view where) {
  const json::value* v = o.if_contains(key);
  if (!v)
    return e.add(where, key, "field required");
  const json::string* s = v->if_string();
  if (!s)
    return e.add(where, key, "not a string");
  const std::size_t n = code_points(*s);
  bool ok = true;
  if (n < min)
    ok = e.add(where, key, "too short");
  if (n > max)
    ok = e.add(where, key, "too long");
  if (ok)
    out.assign(s->data(), s->size());
  return ok;
}

bool optional_text(const json::object& o, std::string_view key, std::size_t max,
                   std::optional<std::string>& out, Errors& e, std::string_view where) {
  const json::value* v = o.if_contains(key);
  if (!v || v->is_null()) {
    out.reset();
    return true;
  }
  std::string s;
  if (!text(o, key, 0, max, s, e, where))
    return false;
  out = std::move(s);
  return true;
}

bool integer(const json::value* v, std::string_view key, std::int64_t min, std::int64_t max,
             std::int64_t& out, Errors& e, std::string_view where) {
  if (!v)
    return e.add(where, key, "field required");
  if (!v->is_int64())
    return e.add(where, key, "not an integer");
  out = v->get_int64();
  if (out < min || out > max)
    return e.add(where, key, "out of range");
  return true;
}

bool number(const json::object& o, std::string_view key, double min, double max, double& out,
            Errors& e, std::string_view where) {
  const json::value* v = o.if_contains(key);
  if (!v)
    return e.add(where, key, "field required");
  if (!v->is_number())
    return e.add(where, key, "not a number");
  out = v->to_number<double>();
  if (!std::isfinite(out))
    return e.add(where, key, "not finite");
  if (out < min || out > max)
    return e.add(where, key, "out of range");
  return true;
}

bool boolean(const json::object& o, std::string_view key, bool& out, Errors& e,
             std::string_view where, bool required) {
  const json::value* v = o.if_contains(key);
  if (!v)
    return required ? e.add(where, key, "field required") : true;
  if (!v->is_bool())
    return e.add(where, key, "not a boolean");
  out = v->get_bool();
  return true;
}

bool slug(const json::object& o, std::string_view key, std::string& out, Errors& e,
          std::string_view where) {
  static const boost::regex re("^[a-z0-9]+(-[a-z0-9]+)*$", boost::regex::ECMAScript);
  if (!text(o, key, 1, 80, out, e, where))
    return false;
  if (!boost::regex_search(out, re))
    return e.add(where, key, "not a slug");
  return true;
}

/// One '@', something on both sides, a dot in the domain; the domain is lower-cased.
bool email(const json::object& o, std::string_view key, std::string& out, Errors& e,
           std::string_view where) {
  if (!text(o, key, 3, 320, out, e, where))
    return false;
  const auto at = out.find('@');
  if (at == std::string::npos || at == 0 || out.find('@', at + 1) != std::string::npos ||
      out.find('.', at) == std::string::npos || out.back() == '.')
    return e.add(where, key, "not an e-mail address");
  for (auto i = at + 1; i < out.size(); ++i)
    out[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[i])));
  return true;
}

/// `n` decimal digits at `pos`, at most `max`.
bool digits(std::string_view s, std::size_t pos, std::size_t n, int max, int& out) {
  if (pos + n > s.size())
    return false;
  out = 0;
  for (auto i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9')
      return false;
    out = out * 10 + (s[i] - '0');
  }
  return out <= max;
}

/// RFC 3339: YYYY-MM-DDTHH:MM:SS[.frac][Z|+HH:MM|-HH:MM], a real calendar day. Kept as text.
bool date_time(const json::object& o, std::string_view key, std::string& out, Errors& e,
               std::string_view where) {
  if (!text(o, key, 19, 40, out, e, where))
    return false;
  const std::string_view s = out;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, oh = 0, om = 0;
  bool ok = digits(s, 0, 4, 9999, y) && s[4] == '-' && digits(s, 5, 2, 12, mo) && s[7] == '-' &&
            digits(s, 8, 2, 31, d) && (s[10] == 'T' || s[10] == 't' || s[10] == ' ') &&
            digits(s, 11, 2, 23, h) && s[13] == ':' && digits(s, 14, 2, 59, mi) && s[16] == ':' &&
            digits(s, 17, 2, 59, sec) &&
            std::chrono::year_month_day{std::chrono::year{y},
                                        std::chrono::month{static_cast<unsigned>(mo)},
                                        std::chrono::day{static_cast<unsigned>(d)}}
                .ok();
  std::size_t pos = 19;
  if (ok && pos < s.size() && s[pos] == '.') {
    const auto start = ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9')
      ++pos;
    ok = pos > start;
  }
  if (ok && pos < s.size()) {
    if (s[pos] == 'Z' || s[pos] == 'z')
      ok = pos + 1 == s.size();
    else
      ok = (s[pos] == '+' || s[pos] == '-') && pos + 6 == s.size() &&
           digits(s, pos + 1, 2, 23, oh) && s[pos + 3] == ':' && digits(s, pos + 4, 2, 59, om);
  }
  return ok ? true : e.add(where, key, "not an RFC 3339 date-time");
}

bool decode_author(const json::value* v, Author& a, Errors& e) {
  constexpr std::string_view at = "author.";
  const json::object* o = v ? v->if_object() : nullptr;
  if (!o)
    return e.add("", "author", v ? "not an object" : "field required");
  bool ok = integer(o->if_contains("id"), "id", 1, INT64_MAX, a.id, e, at);
  ok &= text(*o, "name", 1, 100, a.name, e, at);
  ok &= email(*o, "email", a.email, e, at);
  ok &= optional_text(*o, "bio", 500, a.bio, e, at);
  ok &= boolean(*o, "verified", a.verified, e, at, true);
  return ok;
}

bool decode_tags(const json::value* v, std::vector<Tag>& tags, Errors& e) {
  const json::array* arr = v ? v->if_array() : nullptr;
  if (!arr)
    return e.add("", "tags", v ? "not a list" : "field required");
  if (arr->size() > 10)
    return e.add("", "tags", "more than 10 items");
  tags.clear();
  tags.reserve(arr->size());
  bool ok = true;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const json::object* o = (*arr)[i].if_object();
    const std::string at = "tags[" + std::to_string(i) + "].";
    if (!o) {
      ok = e.add(at, "", "not an object");
      continue;
    }
    Tag t;
    bool item_ok = text(*o, "name", 1, 32, t.name, e, at);
    item_ok &= slug(*o, "slug", t.slug, e, at);
    item_ok &= number(*o, "weight", 0, 1, t.weight, e, at);
    if (item_ok)
      tags.push_back(std::move(t));
    ok &= item_ok;
  }
  return ok;
}

/// Parses and checks a body: the post, or nothing with every error in `e`.
std::optional<Post> decode(std::string_view body, Errors& e) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec) {
    e.add("", "body", "invalid JSON");
    return std::nullopt;
  }
  const json::object* o = v.if_object();
  if (!o) {
    e.add("", "body", "not an object");
    return std::nullopt;
  }
  Post p;
  bool ok = text(*o, "title", 3, 200, p.title, e, "");
  ok &= slug(*o, "slug", p.slug, e, "");
  ok &= optional_text(*o, "summary", 300, p.summary, e, "");
  ok &= text(*o, "body", 1, 100000, p.body, e, "");
  if (const json::value* s = o->if_contains("status"); !s)
    ok = e.add("", "status", "field required");
  else if (s->is_string() && s->get_string() == "draft")
    p.status = Status::draft;
  else if (s->is_string() && s->get_string() == "published")
    p.status = Status::published;
  else if (s->is_string() && s->get_string() == "archived")
    p.status = Status::archived;
  else
    ok = e.add("", "status", "not one of draft, published, archived");
  ok &= date_time(*o, "published_at", p.published_at, e, "");
  ok &= decode_author(o->if_contains("author"), p.author, e);
  ok &= decode_tags(o->if_contains("tags"), p.tags, e);
  ok &= integer(o->if_contains("reading_minutes"), "reading_minutes", 1, 600, p.reading_minutes, e,
                "");
  ok &= number(*o, "rating", 0, 5, p.rating, e, "");
  ok &= boolean(*o, "featured", p.featured, e, "", false);
  ok &= boolean(*o, "allow_comments", p.allow_comments, e, "", false);
  ok &= optional_text(*o, "cover_url", SIZE_MAX, p.cover_url, e, "");
  if (const json::value* s = o->if_contains("series_id"); s && !s->is_null()) {
    std::int64_t id = 0;
    if (integer(s, "series_id", 1, INT64_MAX, id, e, ""))
      p.series_id = id;
    else
      ok = false;
  }
  if (!ok)
    return std::nullopt;
  return p;
}

json::value optional_value(const std::optional<std::string>& s) {
  return s ? json::value(json::string_view(*s)) : json::value(nullptr);
}

std::string encode(const Post& p) {
  json::array tags;
  tags.reserve(p.tags.size());
  for (const auto& t : p.tags)
    tags.push_back(json::object{{"name", t.name}, {"slug", t.slug}, {"weight", t.weight}});
  const Author& a = p.author;
  json::object out{
      {"title", p.title},
      {"slug", p.slug},
      {"summary", optional_value(p.summary)},
      {"body", p.body},
      {"status", status_names[static_cast<int>(p.status)]},
      {"published_at", p.published_at},
      {"author",
       {{"id", a.id},
        {"name", a.name},
        {"email", a.email},
        {"bio", optional_value(a.bio)},
        {"verified", a.verified}}},
      {"tags", std::move(tags)},
      {"reading_minutes", p.reading_minutes},
      {"rating", p.rating},
      {"featured", p.featured},
      {"allow_comments", p.allow_comments},
      {"cover_url", optional_value(p.cover_url)},
      {"series_id", p.series_id ? json::value(*p.series_id) : json::value(nullptr)},
  };
  return json::serialize(out);
}

}  // namespace baseline

// ---- timing -------------------------------------------------------------------------------

namespace {

/// Makes `v` (and everything reachable through memory) look used to the optimiser.
template <class T>
inline void keep(const T& v) {
  asm volatile("" : : "g"(&v) : "memory");
}

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct Sample {
  double ns_per_op = 0;
  double cpu_share = 0;  ///< this thread's CPU time / wall time: < 1 when preempted
};

using Runner = std::function<Sample(std::uint64_t)>;

std::uint64_t sink = 0;  // printed at the end, so that results are consumed

/// A runner that calls `op` (returning something with a size) `n` times.
template <class Op>
Runner runner(Op op) {
  return [op](std::uint64_t n) {
    const double c0 = thread_cpu_seconds();
    const auto t0 = std::chrono::steady_clock::now();
    std::uint64_t acc = 0;
    for (std::uint64_t i = 0; i < n; ++i) {
      auto r = op();
      keep(r);
      acc += r;
    }
    const auto t1 = std::chrono::steady_clock::now();
    const double c1 = thread_cpu_seconds();
    sink += acc;
    const double wall = std::chrono::duration<double>(t1 - t0).count();
    return Sample{wall * 1e9 / static_cast<double>(n), (c1 - c0) / wall};
  };
}

struct Case {
  std::string name;
  Runner run;
  std::uint64_t iterations = 0;
  std::vector<double> ns;
  int disturbed = 0;  // runs kept although preempted
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const auto n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

[[noreturn]] void usage() {
  std::fprintf(stderr, "usage: schema_bench [--rounds N] [--seconds S] [--iterations N]\n");
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = 5;
  double seconds = 1.0;
  std::uint64_t fixed_iterations = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (i + 1 >= argc)
      usage();
    char* end = nullptr;
    if (a == "--rounds")
      rounds = static_cast<int>(std::strtol(argv[++i], &end, 10));
    else if (a == "--seconds")
      seconds = std::strtod(argv[++i], &end);
    else if (a == "--iterations")
      fixed_iterations = std::strtoull(argv[++i], &end, 10);
    else
      usage();
    if (*end != '\0' || rounds < 1 || !(seconds > 0))
      usage();
  }

  // The bodies live in run-time strings, so nothing about them is known at compile time.
  const std::string valid(valid_body);
  const std::string invalid(invalid_body);

  // ---- equivalence, once ----
  auto v = vivace::schema::decode_json<blog::Post>(valid);
  if (!v) {
    std::fprintf(stderr, "schema_bench: vivace rejected the valid body:\n");
    for (const auto& e : v.errors)
      std::fprintf(stderr, "  %s\n", json::serialize(e.to_json()).c_str());
    return 1;
  }
  baseline::Errors be;
  auto b = baseline::decode(valid, be);
  if (!b) {
    std::fprintf(stderr, "schema_bench: the baseline rejected the valid body:\n");
    for (const auto& e : be.list)
      std::fprintf(stderr, "  %s\n", e.c_str());
    return 1;
  }
  const std::string v_out = vivace::schema::encode_json(*v);
  const std::string b_out = baseline::encode(*b);
  if (v_out != b_out) {
    std::fprintf(stderr, "schema_bench: outputs differ\n  vivace:   %s\n  baseline: %s\n",
                 v_out.c_str(), b_out.c_str());
    return 1;
  }
  const auto bad = vivace::schema::decode_json<blog::Post>(invalid);
  baseline::Errors bad_be;
  if (bad || baseline::decode(invalid, bad_be)) {
    std::fprintf(stderr, "schema_bench: the invalid body was accepted\n");
    return 1;
  }
  const std::size_t invalid_errors = bad.errors.size();

  // ---- the cases, alternated in this order ----
  const blog::Post post = *v;
  const baseline::Post plain = *b;
  std::vector<Case> cases;
  auto add = [&cases](std::string name, Runner run) {
    Case c;
    c.name = std::move(name);
    c.run = std::move(run);
    cases.push_back(std::move(c));
  };
  add("vivace: decode + encode", runner([&] {
        auto r = vivace::schema::decode_json<blog::Post>(valid);
        return vivace::schema::encode_json(*r).size();
      }));
  add("baseline: decode + encode", runner([&] {
        baseline::Errors e;
        auto p = baseline::decode(valid, e);
        return baseline::encode(*p).size();
      }));
  add("vivace: decode", runner([&] {
        auto r = vivace::schema::decode_json<blog::Post>(valid);
        return r->body->size();
      }));
  add("baseline: decode", runner([&] {
        baseline::Errors e;
        auto p = baseline::decode(valid, e);
        return p->body.size();
      }));
  add("vivace: encode", runner([&] { return vivace::schema::encode_json(post).size(); }));
  add("baseline: encode", runner([&] { return baseline::encode(plain).size(); }));
  add("vivace: invalid body", runner([&] {
        auto r = vivace::schema::decode_json<blog::Post>(invalid);
        return r.errors.size();
      }));

  // ---- warm-up and sizing: about `seconds` per run ----
  for (auto& c : cases) {
    if (fixed_iterations) {
      c.run(std::max<std::uint64_t>(fixed_iterations / 10, 1));
      c.iterations = fixed_iterations;
      continue;
    }
    std::uint64_t n = 64;
    Sample s = c.run(n);
    while (s.ns_per_op * static_cast<double>(n) < 0.2e9) {
      n *= 2;
      s = c.run(n);
    }
    c.iterations =
        std::max<std::uint64_t>(static_cast<std::uint64_t>(seconds * 1e9 / s.ns_per_op), 1);
  }

  // ---- measurement: rounds of every case in turn ----
  constexpr double min_cpu_share = 0.95;
  constexpr int retries = 3;
  for (int round = 1; round <= rounds; ++round) {
    for (auto& c : cases) {
      Sample s;
      for (int attempt = 0;; ++attempt) {
        s = c.run(c.iterations);
        if (s.cpu_share >= min_cpu_share)
          break;
        if (attempt == retries) {
          ++c.disturbed;
          break;
        }
      }
      c.ns.push_back(s.ns_per_op);
      std::fprintf(stderr, "#   %-28s round %d: %9.0f ns/op  (%llu ops, cpu %3.0f%%)\n",
                   c.name.c_str(), round, s.ns_per_op,
                   static_cast<unsigned long long>(c.iterations), s.cpu_share * 100);
    }
  }

  // ---- report ----
  auto med = [&](std::size_t i) { return median(cases[i].ns); };
  double worst_spread = 0;  // (max - min) / median, in %
  for (const auto& c : cases) {
    const auto [lo, hi] = std::minmax_element(c.ns.begin(), c.ns.end());
    worst_spread = std::max(worst_spread, (*hi - *lo) / median(c.ns) * 100);
  }
  // The ratio of the medians, and the range of the ratios of the runs of one round (which
  // ran back to back, so they share the machine's state of the moment).
  std::printf("| operation | vivace ns/op | baseline ns/op | vivace / baseline | per round |\n");
  std::printf("|---|---:|---:|---:|---:|\n");
  const char* rows[] = {"parse + validate + encode (valid body)", "parse + validate",
                        "encode + serialize"};
  for (std::size_t r = 0; r < 3; ++r) {
    const auto& vn = cases[2 * r].ns;
    const auto& bn = cases[2 * r + 1].ns;
    double lo = vn[0] / bn[0], hi = lo;
    for (std::size_t i = 1; i < vn.size(); ++i) {
      lo = std::min(lo, vn[i] / bn[i]);
      hi = std::max(hi, vn[i] / bn[i]);
    }
    std::printf("| %s | %.0f | %.0f | %.2f | %.2f-%.2f |\n", rows[r], med(2 * r), med(2 * r + 1),
                med(2 * r) / med(2 * r + 1), lo, hi);
  }
  std::printf("| parse + validate, every field wrong (%zu errors) | %.0f | | | |\n", invalid_errors,
              med(6));
  int disturbed = 0;
  for (const auto& c : cases)
    disturbed += c.disturbed;
  const std::string run_size = fixed_iterations
                                   ? std::to_string(fixed_iterations) + " operations"
                                   : "about " + std::to_string(seconds).substr(0, 4) + " s";
  std::printf(
      "\nBody: %zu bytes (valid), %zu bytes (invalid); output %zu bytes. Medians of %d "
      "alternating runs per case, each of %s; the runs of a case differ by at most %.1f %% of "
      "its median; %d run(s) kept although preempted.\n",
      valid.size(), invalid.size(), v_out.size(), rounds, run_size.c_str(), worst_spread,
      disturbed);
  std::fprintf(stderr, "# checksum %llu\n", static_cast<unsigned long long>(sink));
  return 0;
}
