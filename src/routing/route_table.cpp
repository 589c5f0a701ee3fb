#include "vivace/routing/route_table.hpp"

#include <algorithm>
#include <memory>

#include "vivace/http/request.hpp"
#include "vivace/http/response.hpp"

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

namespace routing {

void attach_dependencies(Route& route, const std::vector<RouteDependency>& deps) {
  if (deps.empty())
    return;
  RouteInfo described;
  for (const auto& d : deps)
    if (d.describe)
      d.describe(described);
  // Dependencies' parameters come first, as FastAPI lists them.
  auto own = std::move(route.info.params);
  route.info.params.clear();
  route.info.merge(std::move(described));
  for (auto& p : own)
    route.info.add_param(std::move(p));
  route.handler = [deps, inner = std::move(route.handler)](Request& req) -> Task<Response> {
    std::exception_ptr ep;
    try {
      std::vector<ValidationError> errors;
      for (const auto& d : deps)
        co_await d.run(req, errors);
      auto& pending = req.scope().pending_errors();
      for (auto& e : errors)
        pending.push_back(std::move(e));
    } catch (...) {
      ep = std::current_exception();
    }
    if (ep) {
      req.scope().set_error(ep);
      co_return render_exception(req, std::move(ep));
    }
    co_return co_await inner(req);
  };
}

}  // namespace routing

RouteTable::RouteTable(RouterOptions options) : options_(std::move(options)) {}

void RouteTable::add(Route route) {
  route.info.path = join_paths(options_.prefix, route.info.path);
  merge_tags(route.info.options.tags, options_.tags);
  for (const auto& [status, resp] : options_.responses)
    route.info.options.responses.try_emplace(status, resp);
  routing::attach_dependencies(route, options_.dependencies);
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
