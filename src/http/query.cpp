#include <boost/url/encoding_opts.hpp>
#include <boost/url/params_view.hpp>
#include <boost/url/parse_query.hpp>

#include "vivace/core/errors.hpp"
#include "vivace/http/request.hpp"

namespace vivace {

// Percent-decoding and `+` as space come from Boost.URL; a malformed escape (`%zz`) is the
// client's error, answered with 400 rather than guessed at.
QueryParams parse_query_string(std::string_view query) {
  std::vector<QueryParams::param> out;
  if (query.empty())
    return QueryParams{};
  auto parsed = boost::urls::parse_query(query);
  if (!parsed)
    throw HTTPException(400, "Invalid query string: " + parsed.error().message());
  boost::urls::encoding_opts opts;
  opts.space_as_plus = true;
  boost::urls::params_view params(query, opts);
  out.reserve(params.size());
  for (auto p : params) {
    if (p.key.empty() && !p.has_value)
      continue;  // "a=1&&b=2"
    out.emplace_back(std::move(p.key), std::move(p.value));
  }
  return QueryParams{std::move(out)};
}

// RFC 6265 §5.4: "name=value" pairs separated by "; ". Lenient like browsers and Starlette:
// pairs without "=" are skipped, surrounding spaces and a pair of double quotes are removed.
std::optional<std::string_view> Request::cookie(std::string_view name) const {
  for (std::string_view header : headers.get_all("Cookie")) {
    while (!header.empty()) {
      auto semi = header.find(';');
      std::string_view pair = header.substr(0, semi);
      header = semi == std::string_view::npos ? std::string_view{} : header.substr(semi + 1);
      while (!pair.empty() && pair.front() == ' ')
        pair.remove_prefix(1);
      while (!pair.empty() && pair.back() == ' ')
        pair.remove_suffix(1);
      auto eq = pair.find('=');
      if (eq == std::string_view::npos)
        continue;
      std::string_view key = pair.substr(0, eq), value = pair.substr(eq + 1);
      while (!key.empty() && key.back() == ' ')
        key.remove_suffix(1);
      while (!value.empty() && value.front() == ' ')
        value.remove_prefix(1);
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
        value = value.substr(1, value.size() - 2);
      if (key == name)
        return value;
    }
  }
  return std::nullopt;
}

}  // namespace vivace
