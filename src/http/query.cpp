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

}  // namespace vivace
