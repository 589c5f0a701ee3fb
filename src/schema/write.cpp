// JSON text straight from values: the pieces `codec<T>::write` is made of. Strings that need
// escaping, and whole values, go through Boost.JSON's serializer, so the text is the one
// `boost::json::serialize` gives.

#include <charconv>
#include <cstdint>
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

void append_json_string(std::string& out, std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == '"' || c == '\\') {
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
