// JSON text straight from values: the pieces `codec<T>::write` is made of. Strings that need
// escaping, and whole values, go through Boost.JSON's serializer, so the text is the one
// `boost::json::serialize` gives.

#include <charconv>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include <boost/json/serializer.hpp>
#include <boost/json/value.hpp>

#include "vivace/schema/codec.hpp"

namespace vivace::schema::detail {

namespace {
template <class Source>
void drain(std::string& out, boost::json::serializer& sr, Source&& reset) {
  reset(sr);
  char buf[1024];
  while (!sr.done()) {
    const auto part = sr.read(buf, sizeof buf);
    out.append(part.data(), part.size());
  }
}
}  // namespace

void append_json(std::string& out, const boost::json::value& v) {
  boost::json::serializer sr;
  drain(out, sr, [&](boost::json::serializer& s) { s.reset(&v); });
}

namespace {
// Whether `s` holds a byte JSON escapes: a control character, a quote or a backslash. Eight
// bytes at a time (most text has none, and this is the hot loop of every JSON response).
bool needs_escape(std::string_view s) noexcept {
  constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  const auto has_zero = [](std::uint64_t x) { return (x - ones) & ~x & highs; };
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    // bytes below 0x20 (a byte with its high bit set is no control character), '"', '\\'
    const std::uint64_t below = (w - ones * 0x20) & ~w & highs;
    if (below | has_zero(w ^ (ones * '"')) | has_zero(w ^ (ones * '\\')))
      return true;
  }
  for (; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == '"' || c == '\\')
      return true;
  }
  return false;
}
}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  if (needs_escape(s)) {
    boost::json::serializer sr;
    drain(out, sr, [&](boost::json::serializer& x) { x.reset(s); });
    return;
  }
  out.reserve(out.size() + s.size() + 2);
  out += '"';
  out += s;
  out += '"';
}

void append_json_int(std::string& out, std::int64_t v) {
  char buf[24];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

void append_json_uint(std::string& out, std::uint64_t v) {
  char buf[24];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

}  // namespace vivace::schema::detail
