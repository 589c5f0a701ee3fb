#include "vivace/routing/matcher.hpp"

#include <algorithm>
#include <deque>
#include <stdexcept>

#include <boost/container/small_vector.hpp>
#include <boost/url/pct_string_view.hpp>

#include "vivace/routing/path_template.hpp"

namespace vivace::routing {

namespace {
// Inline storage for the common case: matching allocates nothing for paths of up to eight
// segments with up to four parameters.
using segment_list = boost::container::small_vector<std::string_view, 8>;
using value_list = boost::container::small_vector<std::string, 4>;

struct endpoint {
  std::string method;
  std::size_t id;
  std::vector<std::string_view> names;  // into matcher-owned template strings
};

// Splits "/a/b/" into {"a", "b", ""}; "/" into {""}.
template <class Out>
void split_path(std::string_view path, Out& out) {
  path.remove_prefix(1);
  for (;;) {
    auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos)
      break;
    path.remove_prefix(slash + 1);
  }
}

// Percent-decoding by Boost.URL; a segment with an invalid escape is kept as sent (it can
// then only match a parameter, whose converter reports it precisely).
std::string decode_segment(std::string_view seg) {
  if (seg.find('%') == std::string_view::npos)
    return std::string{seg};
  auto pct = boost::urls::make_pct_string_view(seg);
  if (!pct)
    return std::string{seg};
  return pct->decode();
}
}  // namespace

struct matcher::node {
  std::vector<std::pair<std::string, std::unique_ptr<node>>> statics;
  std::unique_ptr<node> param;
  std::unique_ptr<node> catch_all;
  std::vector<endpoint> endpoints;
  std::deque<std::string> owned_templates;  // only used on the root

  node* static_child(std::string_view seg) const {
    for (const auto& [k, child] : statics)
      if (k == seg)
        return child.get();
    return nullptr;
  }
};

matcher::matcher(matcher_options options) : root_(std::make_unique<node>()), options_(options) {}
matcher::~matcher() = default;
matcher::matcher(matcher&&) noexcept = default;
matcher& matcher::operator=(matcher&&) noexcept = default;

void matcher::add(std::string_view method, std::string_view path_template, std::size_t id) {
  const std::string& tpl = root_->owned_templates.emplace_back(path_template);
  auto info = analyse_template(tpl);
  if (info.error != template_error::none)
    throw std::invalid_argument("vivace: malformed route path '" + tpl + "'");
  segment_list segs;
  split_path(std::string_view{tpl}, segs);
  node* n = root_.get();
  std::vector<std::string_view> names;
  for (auto seg : segs) {
    if (!seg.empty() && seg.front() == '{') {
      auto inner = seg.substr(1, seg.size() - 2);
      auto colon = inner.find(':');
      names.push_back(inner.substr(0, colon));
      auto& slot = colon == std::string_view::npos ? n->param : n->catch_all;
      if (!slot)
        slot = std::make_unique<node>();
      n = slot.get();
      continue;
    }
    node* child = n->static_child(seg);
    if (!child) {
      n->statics.emplace_back(std::string{seg}, std::make_unique<node>());
      child = n->statics.back().second.get();
    }
    n = child;
  }
  for (const auto& e : n->endpoints)
    if (e.method == method)
      throw std::invalid_argument("vivace: route " + std::string{method} + " " + tpl +
                                  " is declared twice");
  n->endpoints.push_back({std::string{method}, id, std::move(names)});
}

namespace {
struct walk_state {
  std::string_view method;
  const segment_list& segs;
  value_list values;
  // the first node whose path matched but not the method
  const void* partial = nullptr;
};

const endpoint* find_method(const std::vector<endpoint>& eps, std::string_view method) {
  for (const auto& e : eps)
    if (e.method == method)
      return &e;
  if (method == "HEAD")
    for (const auto& e : eps)
      if (e.method == "GET")
        return &e;
  return nullptr;
}
}  // namespace

// Depth-first: static segments first, then a parameter, then a catch-all; the first full
// match (path and method) wins, as Starlette's ordered route list would find it.
template <class Node>
static const endpoint* walk(const Node* n, std::size_t i, walk_state& st) {
  if (i == st.segs.size()) {
    if (n->endpoints.empty())
      return nullptr;
    if (auto* e = find_method(n->endpoints, st.method))
      return e;
    if (!st.partial)
      st.partial = n;
    return nullptr;
  }
  std::string_view seg = st.segs[i];
  const bool escaped = seg.find('%') != std::string_view::npos;
  std::string decoded = escaped ? decode_segment(seg) : std::string{};
  std::string_view plain = escaped ? std::string_view{decoded} : seg;
  if (auto* child = n->static_child(plain))
    if (auto* e = walk(child, i + 1, st))
      return e;
  if (n->param && !seg.empty()) {
    st.values.emplace_back(escaped ? std::move(decoded) : std::string{seg});
    if (auto* e = walk(n->param.get(), i + 1, st))
      return e;
    st.values.pop_back();
  }
  if (n->catch_all && !n->catch_all->endpoints.empty()) {
    std::string rest;
    for (std::size_t j = i; j < st.segs.size(); ++j) {
      if (j > i)
        rest.push_back('/');
      rest += decode_segment(st.segs[j]);
    }
    st.values.push_back(std::move(rest));
    if (auto* e = walk(n->catch_all.get(), st.segs.size(), st))
      return e;
    st.values.pop_back();
  }
  return nullptr;
}

match_result matcher::match(std::string_view method, std::string_view raw_path) const {
  match_result out;
  if (raw_path.empty() || raw_path.front() != '/')
    return out;
  segment_list segs;
  split_path(raw_path, segs);
  walk_state st{method, segs, {}, nullptr};
  if (const endpoint* e = walk(root_.get(), 0, st)) {
    out.outcome = match_result::kind::found;
    out.route = e->id;
    out.params.reserve(e->names.size());
    for (std::size_t k = 0; k < e->names.size() && k < st.values.size(); ++k)
      out.params.emplace_back(e->names[k], std::move(st.values[k]));
    return out;
  }
  if (st.partial) {
    const auto* n = static_cast<const node*>(st.partial);
    out.outcome = match_result::kind::method_not_allowed;
    std::vector<std::string> methods;
    for (const auto& e : n->endpoints)
      methods.push_back(e.method);
    if (std::find(methods.begin(), methods.end(), "GET") != methods.end() &&
        std::find(methods.begin(), methods.end(), "HEAD") == methods.end())
      methods.emplace_back("HEAD");
    if (std::find(methods.begin(), methods.end(), "OPTIONS") == methods.end())
      methods.emplace_back("OPTIONS");
    for (const auto& m : methods) {
      if (!out.allow.empty())
        out.allow += ", ";
      out.allow += m;
    }
    return out;
  }
  if (options_.redirect_slashes && raw_path != "/") {
    std::string alt{raw_path};
    if (alt.back() == '/')
      alt.pop_back();
    else
      alt.push_back('/');
    segment_list alt_segs;
    split_path(std::string_view{alt}, alt_segs);
    walk_state alt_st{method, alt_segs, {}, nullptr};
    if (walk(root_.get(), 0, alt_st) || alt_st.partial) {
      out.outcome = match_result::kind::redirect;
      out.location = std::move(alt);
    }
  }
  return out;
}

}  // namespace vivace::routing
