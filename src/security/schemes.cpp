#include "vivace/security/schemes.hpp"

#include "base64.hpp"

namespace vivace {

namespace schemes::detail {

std::optional<std::string_view> authorization(const Request& req, std::string_view scheme) {
  auto h = req.headers.get("Authorization");
  if (!h)
    return std::nullopt;
  std::string_view v = *h;
  auto space = v.find(' ');
  if (space == std::string_view::npos || !iequals(v.substr(0, space), scheme))
    return std::nullopt;
  v.remove_prefix(space + 1);
  while (!v.empty() && v.front() == ' ')
    v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ')
    v.remove_suffix(1);
  return v;
}

void not_authenticated(std::string challenge) {
  throw HTTPException(401, "Not authenticated", {{"WWW-Authenticate", std::move(challenge)}});
}

void declare(RouteInfo& info, std::string_view name, boost::json::object scheme, bool optional) {
  info.add_security({std::string{name}, {}, optional});
  info.security_schemes.try_emplace(std::string{name}, std::move(scheme));
}

std::optional<std::pair<std::string, std::string>> basic_credentials(std::string_view b64) {
  if (b64.empty() || b64.size() > 4096)
    return std::nullopt;
  auto out = vivace::detail::base64_decode(b64, vivace::detail::base64_alphabet::standard, true);
  if (!out)
    return std::nullopt;
  auto colon = out->find(':');
  if (colon == std::string::npos)
    return std::nullopt;
  return std::pair{out->substr(0, colon), out->substr(colon + 1)};
}

}  // namespace schemes::detail

std::vector<std::string> OAuth2PasswordRequestForm::scopes() const {
  std::vector<std::string> out;
  std::string_view s = scope;
  while (!s.empty()) {
    auto sp = s.find(' ');
    auto item = s.substr(0, sp);
    if (!item.empty())
      out.emplace_back(item);
    s = sp == std::string_view::npos ? std::string_view{} : s.substr(sp + 1);
  }
  return out;
}

schema::model_options vivace_model(const OAuth2PasswordRequestForm*) {
  return {.name = "OAuth2PasswordRequestForm",
          .fields = {{"grant_type", {.has_default = true}},
                     {"scope", {.has_default = true}},
                     {"client_id", {.has_default = true}},
                     {"client_secret", {.has_default = true}}}};
}

}  // namespace vivace
