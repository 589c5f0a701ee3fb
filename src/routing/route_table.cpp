#include "vivace/routing/route_table.hpp"

#include <algorithm>

namespace vivace {

namespace {
std::string join_paths(std::string_view prefix, std::string_view path) {
  while (!prefix.empty() && prefix.back() == '/')
    prefix.remove_suffix(1);
  // "/api" + "/" stays "/api/" (FastAPI keeps the declared trailing slash)
  std::string out;
  out.reserve(prefix.size() + path.size() + 1);
  out.append(prefix).append(path);
  if (out.empty())
    out.push_back('/');
  return out;
}

void merge_tags(std::vector<std::string>& into, const std::vector<std::string>& extra) {
  std::vector<std::string> merged = extra;
  for (auto& t : into)
    if (std::find(merged.begin(), merged.end(), t) == merged.end())
      merged.push_back(t);
  into = std::move(merged);
}
}  // namespace

RouteTable::RouteTable(RouterOptions options) : options_(std::move(options)) {}

void RouteTable::add(Route route) {
  route.info.path = join_paths(options_.prefix, route.info.path);
  merge_tags(route.info.options.tags, options_.tags);
  for (const auto& [status, resp] : options_.responses)
    route.info.options.responses.try_emplace(status, resp);
  routes_.push_back(std::move(route));
}

void RouteTable::include(const RouteTable& other, std::string_view prefix,
                         const std::vector<std::string>& tags) {
  for (const auto& r : other.routes_) {
    Route copy = r;
    copy.info.path = join_paths(prefix, copy.info.path);
    merge_tags(copy.info.options.tags, tags);
    add(std::move(copy));
  }
}

}  // namespace vivace
