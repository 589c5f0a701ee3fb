#include "vivace/params/response_handle.hpp"

#include <memory>
#include <stdexcept>

#include "vivace/http/response.hpp"

namespace vivace::params::detail {

namespace {
constexpr char patch_key = 0;
constexpr char background_key = 0;

bool cookie_name_ok(std::string_view s) {
  if (s.empty())
    return false;
  for (unsigned char c : s)
    if (c <= 32 || c >= 127 ||
        std::string_view{"()<>@,;:\\\"/[]?={}"}.find(static_cast<char>(c)) !=
            std::string_view::npos)
      return false;
  return true;
}
bool cookie_value_ok(std::string_view s) {  // RFC 6265 cookie-octet
  for (unsigned char c : s)
    if (c <= 32 || c >= 127 || c == '"' || c == ',' || c == ';' || c == '\\')
      return false;
  return true;
}
bool attribute_ok(std::string_view s) {
  for (unsigned char c : s)
    if (c < 32 || c == 127 || c == ';')
      return false;
  return true;
}
}  // namespace

response_patch& response_patch_of(Request& req) {
  if (auto* p = req.scope().slots().find(&patch_key))
    return *static_cast<response_patch*>(p);
  auto p = std::make_shared<response_patch>();
  req.scope().slots().set(&patch_key, p);
  return *p;
}

void apply_response_patch(Request& req, Response& res) {
  auto* p = req.scope().slots().find(&patch_key);
  if (!p)
    return;
  auto& patch = *static_cast<response_patch*>(p);
  if (patch.status)
    res.status = *patch.status;
  for (const auto& [name, value] : patch.headers) {
    if (iequals(name, "Set-Cookie"))
      res.headers.add(name, value);
    else
      res.headers.set(name, value);
  }
}

background_list& background_of(Request& req) {
  if (auto* p = req.scope().slots().find(&background_key))
    return *static_cast<background_list*>(p);
  auto p = std::make_shared<background_list>();
  req.scope().slots().set(&background_key, p);
  return *p;
}

void schedule_background(Request& req) {
  auto* p = req.scope().slots().find(&background_key);
  if (!p)
    return;
  auto& list = *static_cast<background_list*>(p);
  for (auto& f : list)
    req.scope().after_response(std::move(f));
  list.clear();
}

std::string format_set_cookie(std::string_view name, std::string_view value,
                              const CookieOptions& o) {
  if (!cookie_name_ok(name))
    throw std::invalid_argument("set_cookie: invalid cookie name");
  if (!cookie_value_ok(value))
    throw std::invalid_argument("set_cookie: invalid cookie value (encode it first)");
  if (!attribute_ok(o.path) || !attribute_ok(o.domain) || !attribute_ok(o.samesite))
    throw std::invalid_argument("set_cookie: invalid attribute");
  std::string out;
  out.append(name).append("=").append(value);
  if (o.max_age)
    out += "; Max-Age=" + std::to_string(o.max_age->count());
  if (!o.path.empty())
    out += "; Path=" + o.path;
  if (!o.domain.empty())
    out += "; Domain=" + o.domain;
  if (o.secure)
    out += "; Secure";
  if (o.httponly)
    out += "; HttpOnly";
  if (!o.samesite.empty()) {
    out += "; SameSite=";
    std::string s = o.samesite;
    if (!s.empty() && s[0] >= 'a' && s[0] <= 'z')
      s[0] = static_cast<char>(s[0] - 'a' + 'A');
    out += s;
  }
  return out;
}

}  // namespace vivace::params::detail

namespace vivace::params {

void apply_response_changes(Request& req, Response& res) {
  detail::apply_response_patch(req, res);
  detail::schedule_background(req);
}

}  // namespace vivace::params
