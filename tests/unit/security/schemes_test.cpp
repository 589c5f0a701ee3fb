// Security schemes as dependencies: OAuth2 password flow end to end (form, scrypt, JWT,
// scopes), bearer, basic and API keys, optional mode, and what OpenAPI shows.

#include <catch2/catch.hpp>
#include <vivace/security/jwt.hpp>
#include <vivace/security/password.hpp>
#include <vivace/security/schemes.hpp>
#include <vivace/testing/client.hpp>
#include <vivace/vivace.hpp>

using namespace vivace;
namespace json = boost::json;

namespace {

const password::Params fast{.log2_n = 10};
const jwt::Key& signing_key() {
  static const auto key = jwt::Key::hmac(jwt::Algorithm::HS256, std::string(32, 'x'));
  return key;
}
const std::string& ann_hash() {
  static const auto h = password::hash("wonderland", fast);
  return h;
}

using oauth2 = OAuth2PasswordBearer<"/token", scope<"me", "Read yourself">, scope<"admin">>;

struct User {
  std::string name;
  std::vector<std::string> scopes;
};

User current_user(oauth2 bearer, SecurityScopes required) {
  jwt::VerifyOptions o;
  o.algorithms = {jwt::Algorithm::HS256};
  o.token_type = "access";
  json::object claims;
  try {
    claims = jwt::verify(bearer.token, signing_key(), o);
  } catch (const jwt::VerifyError&) {
    throw HTTPException(401, "Could not validate credentials", {{"WWW-Authenticate", "Bearer"}});
  }
  User u{std::string(claims.at("sub").as_string()), {}};
  for (const auto& s : claims.at("scopes").as_array())
    u.scopes.emplace_back(s.as_string());
  for (const auto& need : required.scopes)
    if (std::find(u.scopes.begin(), u.scopes.end(), need) == u.scopes.end())
      throw HTTPException(403, "Not enough permissions",
                          {{"WWW-Authenticate", "Bearer scope=\"" + required.scope_str() + "\""}});
  return u;
}

App make_app() {
  App app;
  app.post<"/token">([](Form<OAuth2PasswordRequestForm> form) {
    if (form->username != "ann" || !password::verify(form->password.reveal(), ann_hash()))
      throw HTTPException(401, "Incorrect username or password", {{"WWW-Authenticate", "Bearer"}});
    json::array scopes;
    for (const auto& s : form->scopes())
      scopes.emplace_back(s);
    auto token = jwt::sign(
        {{"sub", "ann"}, {"scopes", scopes}, {"type", "access"}, {"exp", std::time(nullptr) + 600}},
        signing_key());
    return json::value{{"access_token", token}, {"token_type", "bearer"}};
  });
  app.get<"/me">([](Security<current_user, "me"> u) { return u->name; });
  app.get<"/admin">([](Security<current_user, "admin"> u) { return u->name; });
  app.get<"/bearer">([](HTTPBearer<> b) { return b.credentials->credentials; });
  app.get<"/greeting">([](OAuth2PasswordBearer<"/token", optional_token> t) {
    return t.token.empty() ? std::string{"hello, stranger"} : "hello, " + t.token;
  });
  app.get<"/maybe">([](HTTPBearer<false> b) {
    return b.credentials ? b.credentials->credentials : std::string{"anonymous"};
  });
  app.get<"/basic">([](HTTPBasic<"vivace"> b) {
    return b.credentials->username + ":" + b.credentials->password;
  });
  app.get<"/keys">([](APIKeyHeader<"X-API-Key"> h, APIKeyQuery<"api_key", false> q,
                      APIKeyCookie<"session", false> c) {
    return *h.key + "/" + q.key.value_or("-") + "/" + c.key.value_or("-");
  });
  return app;
}

}  // namespace

TEST_CASE("schemes: OAuth2 password flow with scrypt, JWT and scopes", "[schemes]") {
  App app = make_app();
  testing::TestClient client(app);
  auto bad = client.post("/token").form({{"username", "ann"}, {"password", "nope"}}).send();
  CHECK(bad.status == 401);
  auto missing = client.post("/token").form({{"username", "ann"}}).send();
  CHECK(missing.status == 422);
  CHECK(missing.json().at("detail").at(0).at("loc") == json::array{"body", "password"});
  auto wrong_grant = client.post("/token")
                         .form({{"grant_type", "client_credentials"},
                                {"username", "ann"},
                                {"password", "wonderland"}})
                         .send();
  CHECK(wrong_grant.status == 422);

  auto ok = client.post("/token")
                .form({{"grant_type", "password"},
                       {"username", "ann"},
                       {"password", "wonderland"},
                       {"scope", "me"}})
                .send();
  REQUIRE(ok.status == 200);
  const std::string token(ok.json().at("access_token").as_string());
  CHECK(client.get("/me").header("Authorization", "Bearer " + token).send().json() == "ann");
  auto forbidden = client.get("/admin").header("Authorization", "Bearer " + token).send();
  CHECK(forbidden.status == 403);
  CHECK(forbidden.headers.get("WWW-Authenticate") == "Bearer scope=\"admin\"");
  auto none = client.get("/me").send();
  CHECK(none.status == 401);
  CHECK(none.json() == json::value{{"detail", "Not authenticated"}});
  CHECK(none.headers.get("WWW-Authenticate") == "Bearer");
  CHECK(client.get("/me").header("Authorization", "Bearer garbage").send().status == 401);
  CHECK(client.get("/me").header("Authorization", "Basic " + token).send().status == 401);
}

TEST_CASE("schemes: bearer, basic and API keys; optional mode", "[schemes]") {
  App app = make_app();
  testing::TestClient client(app);
  CHECK(client.get("/bearer").header("Authorization", "bearer abc").send().json() == "abc");
  auto no_bearer = client.get("/bearer").send();
  CHECK(no_bearer.status == 401);
  CHECK(no_bearer.headers.get("WWW-Authenticate") == "Bearer");
  CHECK(client.get("/maybe").send().json() == "anonymous");
  CHECK(client.get("/greeting").send().json() == "hello, stranger");
  CHECK(client.get("/greeting").header("Authorization", "Bearer t").send().json() == "hello, t");
  // "ann:wonder:land" in base64: the password may contain ':'.
  CHECK(client.get("/basic").header("Authorization", "Basic YW5uOndvbmRlcjpsYW5k").send().json() ==
        "ann:wonder:land");
  auto no_basic = client.get("/basic").header("Authorization", "Basic !!!").send();
  CHECK(no_basic.status == 401);
  CHECK(no_basic.headers.get("WWW-Authenticate") == "Basic realm=\"vivace\"");
  CHECK(client.get("/keys")
            .header("X-API-Key", "k1")
            .query("api_key", "k2")
            .cookie("session", "k3")
            .send()
            .json() == "k1/k2/k3");
  CHECK(client.get("/keys").header("X-API-Key", "k1").send().json() == "k1/-/-");
  auto no_key = client.get("/keys").send();
  CHECK(no_key.status == 401);
  CHECK(no_key.headers.get("WWW-Authenticate") == "APIKey");
}

TEST_CASE("schemes: documented once, on exactly the operations that use them", "[schemes]") {
  App app = make_app();
  const auto& doc = app.openapi();
  const auto& schemes = doc.at("components").at("securitySchemes").as_object();
  CHECK(schemes.at("OAuth2PasswordBearer") ==
        json::value{
            {"type", "oauth2"},
            {"flows",
             {{"password",
               {{"tokenUrl", "/token"}, {"scopes", {{"me", "Read yourself"}, {"admin", ""}}}}}}}});
  CHECK(schemes.at("HTTPBasic") == json::value{{"type", "http"}, {"scheme", "basic"}});
  CHECK(schemes.at("APIKeyQuery") ==
        json::value{{"type", "apiKey"}, {"in", "query"}, {"name", "api_key"}});
  const auto& paths = doc.at("paths");
  CHECK(paths.at("/me").at("get").at("security") ==
        json::array{{{"OAuth2PasswordBearer", json::array{"me"}}}});
  CHECK_FALSE(paths.at("/token").at("post").as_object().contains("security"));
  const auto& form = paths.at("/token").at("post").at("requestBody");
  CHECK(form.at("content").as_object().contains("application/x-www-form-urlencoded"));
  const auto& model = doc.at("components").at("schemas").at("OAuth2PasswordRequestForm");
  CHECK(model.at("required") == json::array{"username", "password"});
}
