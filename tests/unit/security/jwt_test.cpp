// JWT: RFC 7515's HS256 example, round trips for every algorithm, and hostile tokens.

#include <chrono>
#include <string>

#include <boost/describe.hpp>
#include <catch2/catch.hpp>
#include <vivace/security/jwt.hpp>

using namespace vivace;
namespace json = boost::json;
using std::chrono::seconds;
using std::chrono::system_clock;

namespace {

system_clock::time_point at(std::int64_t t) {
  return system_clock::time_point(seconds(t));
}

jwt::VerifyOptions options_at(std::int64_t now, std::vector<jwt::Algorithm> algs) {
  jwt::VerifyOptions o;
  o.algorithms = std::move(algs);
  o.now = [now] { return at(now); };
  return o;
}

jwt::Error refusal(std::string_view token, const jwt::Key& key, const jwt::VerifyOptions& o) {
  try {
    (void)jwt::verify(token, key, o);
  } catch (const jwt::VerifyError& e) {
    return e.code();
  }
  FAIL("the token was accepted");
  return jwt::Error::malformed;
}

const std::string secret(32, 's');

struct Claims {
  std::string sub;
  std::int64_t exp = 0;
  std::string type;
};
BOOST_DESCRIBE_STRUCT(Claims, (), (sub, exp, type))

}  // namespace

TEST_CASE("jwt: RFC 7515 A.1, HS256", "[jwt]") {
  // The JWK's "k" of the example, and its token (the header has CRLF and a space).
  const auto k = jwt::base64url_decode(
      "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow");
  REQUIRE(k);
  const std::string token =
      "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
      ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnV"
      "lfQ"
      ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  const auto key = jwt::Key::hmac(jwt::Algorithm::HS256, *k);
  auto claims = jwt::verify(token, key, options_at(1300819300, {jwt::Algorithm::HS256}));
  CHECK(claims.at("iss") == "joe");
  CHECK(claims.at("http://example.com/is_root") == true);
  // The same token after its exp (2011-03-22T18:43:00Z).
  CHECK(refusal(token, key, options_at(1300819380, {jwt::Algorithm::HS256})) ==
        jwt::Error::expired);
  // One signature bit changed.
  std::string tampered = token;
  tampered.back() = tampered.back() == 'k' ? 'l' : 'k';
  CHECK(refusal(tampered, key, options_at(1300819300, {jwt::Algorithm::HS256})) ==
        jwt::Error::malformed);  // 'l' leaves non-zero unused bits: not canonical base64url
  tampered[tampered.size() - 2] = tampered[tampered.size() - 2] == 'j' ? 'i' : 'j';
  tampered.back() = 'k';
  CHECK(refusal(tampered, key, options_at(1300819300, {jwt::Algorithm::HS256})) ==
        jwt::Error::signature);
}

TEST_CASE("jwt: every algorithm signs and verifies; public keys only verify", "[jwt]") {
  const json::object claims{{"sub", "ann"}, {"exp", 2000}, {"type", "access"}};
  for (auto alg : {jwt::Algorithm::HS256, jwt::Algorithm::HS384, jwt::Algorithm::HS512,
                   jwt::Algorithm::RS256, jwt::Algorithm::ES256}) {
    INFO(jwt::name(alg));
    const bool hmac = alg == jwt::Algorithm::HS256 || alg == jwt::Algorithm::HS384 ||
                      alg == jwt::Algorithm::HS512;
    const auto key = hmac ? jwt::Key::hmac(alg, std::string(64, 'k')) : jwt::Key::generate(alg);
    const auto token = jwt::sign(claims, key);
    CHECK(jwt::verify(token, key, options_at(1000, {alg})) == claims);
    auto typed = jwt::verify_as<Claims>(token, key, options_at(1000, {alg}));
    CHECK(typed.sub == "ann");
    if (!hmac) {
      const auto pub = jwt::Key::pem(alg, key.public_pem());
      CHECK_FALSE(pub.can_sign());
      CHECK(jwt::verify(token, pub, options_at(1000, {alg})) == claims);
      CHECK_THROWS_AS(jwt::sign(claims, pub), std::invalid_argument);
      // Another key of the same kind does not verify it.
      CHECK(refusal(token, jwt::Key::generate(alg), options_at(1000, {alg})) ==
            jwt::Error::signature);
    }
  }
}

TEST_CASE("jwt: keys are checked when they are made", "[jwt]") {
  CHECK_THROWS_AS(jwt::Key::hmac(jwt::Algorithm::HS256, std::string(31, 'k')),
                  std::invalid_argument);
  CHECK_THROWS_AS(jwt::Key::hmac(jwt::Algorithm::HS512, std::string(63, 'k')),
                  std::invalid_argument);
  CHECK_THROWS_AS(jwt::Key::hmac(jwt::Algorithm::RS256, std::string(64, 'k')),
                  std::invalid_argument);
  const auto ec = jwt::Key::generate(jwt::Algorithm::ES256);
  CHECK_THROWS_AS(jwt::Key::pem(jwt::Algorithm::RS256, ec.public_pem()), std::invalid_argument);
  CHECK_THROWS_AS(jwt::Key::pem(jwt::Algorithm::ES256, "not a key"), std::invalid_argument);
  const auto key = jwt::Key::hmac(jwt::Algorithm::HS256, secret);
  CHECK_THROWS_AS(jwt::verify(jwt::sign({{"exp", 9}}, key), key, jwt::VerifyOptions{}),
                  std::invalid_argument);  // the accepted algorithms must be named
}

TEST_CASE("jwt: hostile tokens", "[jwt]") {
  const auto key = jwt::Key::hmac(jwt::Algorithm::HS256, secret);
  const auto o = options_at(1000, {jwt::Algorithm::HS256});
  const json::object claims{{"sub", "ann"}, {"exp", 2000}};
  const auto good = jwt::sign(claims, key);
  const auto dot1 = good.find('.'), dot2 = good.rfind('.');
  const auto header = good.substr(0, dot1);
  const auto payload = good.substr(dot1 + 1, dot2 - dot1 - 1);

  SECTION("alg none, with and without a signature") {
    const auto none = jwt::base64url_encode(R"({"alg":"none","typ":"JWT"})");
    CHECK(refusal(none + "." + payload + ".", key, o) == jwt::Error::algorithm);
    CHECK(refusal(none + "." + payload + "." + good.substr(dot2 + 1), key, o) ==
          jwt::Error::algorithm);
  }
  SECTION("alg switched: an RS256 public key used as an HMAC secret") {
    const auto rsa = jwt::Key::generate(jwt::Algorithm::RS256);
    const auto pem = rsa.public_pem();
    const auto forged = jwt::sign(claims, jwt::Key::hmac(jwt::Algorithm::HS256, pem));
    const auto pub = jwt::Key::pem(jwt::Algorithm::RS256, pem);
    CHECK(refusal(forged, pub, options_at(1000, {jwt::Algorithm::RS256, jwt::Algorithm::HS256})) ==
          jwt::Error::algorithm);
  }
  SECTION("an algorithm the verifier does not accept") {
    CHECK(refusal(good, key, options_at(1000, {jwt::Algorithm::HS512})) == jwt::Error::algorithm);
  }
  SECTION("signature stripped, payload changed, truncated") {
    CHECK(refusal(header + "." + payload + ".", key, o) == jwt::Error::malformed);
    const auto other = jwt::base64url_encode(R"({"sub":"root","exp":2000})");
    CHECK(refusal(header + "." + other + good.substr(dot2), key, o) == jwt::Error::signature);
    CHECK(refusal(header + "." + payload, key, o) == jwt::Error::malformed);
    CHECK(refusal(good + ".x", key, o) == jwt::Error::malformed);
    CHECK(refusal("", key, o) == jwt::Error::malformed);
  }
  SECTION("not base64url: padding, standard alphabet, whitespace") {
    CHECK(refusal(header + "=." + payload + good.substr(dot2), key, o) == jwt::Error::malformed);
    std::string plus = good;
    plus[dot2 + 3] = '+';
    CHECK(refusal(plus, key, o) == jwt::Error::malformed);
    CHECK(refusal(" " + good, key, o) == jwt::Error::malformed);
    CHECK_FALSE(jwt::base64url_decode("a"));
    CHECK_FALSE(jwt::base64url_decode("ab=="));
    CHECK(jwt::base64url_decode("") == std::string{});
  }
  SECTION("huge") {
    std::string huge = header + "." + std::string(100000, 'A') + good.substr(dot2);
    CHECK(refusal(huge, key, o) == jwt::Error::malformed);
  }
  SECTION("time: expired, not yet valid, issued in the future, leeway, exp required") {
    CHECK(refusal(good, key, options_at(2000, {jwt::Algorithm::HS256})) == jwt::Error::expired);
    auto lenient = options_at(2000, {jwt::Algorithm::HS256});
    lenient.leeway = seconds(30);
    CHECK(jwt::verify(good, key, lenient).at("sub") == "ann");
    CHECK(refusal(jwt::sign({{"exp", 9000}, {"nbf", 1500}}, key), key, o) ==
          jwt::Error::not_yet_valid);
    CHECK(refusal(jwt::sign({{"exp", 9000}, {"iat", 1500}}, key), key, o) ==
          jwt::Error::not_yet_valid);
    CHECK(refusal(jwt::sign({{"sub", "x"}}, key), key, o) == jwt::Error::claims);
    CHECK(refusal(jwt::sign({{"exp", "soon"}}, key), key, o) == jwt::Error::claims);
  }
  SECTION("issuer, audience and token type") {
    const auto token = jwt::sign(
        {{"exp", 2000}, {"iss", "vivace"}, {"aud", json::array{"api", "web"}}, {"type", "refresh"}},
        key);
    auto strict = o;
    strict.issuer = "vivace";
    strict.audience = "web";
    strict.token_type = "refresh";
    CHECK(jwt::verify(token, key, strict).at("type") == "refresh");
    auto other_issuer = strict;
    other_issuer.issuer = "evil";
    CHECK(refusal(token, key, other_issuer) == jwt::Error::issuer);
    auto other_audience = strict;
    other_audience.audience = "mobile";
    CHECK(refusal(token, key, other_audience) == jwt::Error::audience);
    auto access = strict;
    access.token_type = "access";  // a refresh token is never an access token
    CHECK(refusal(token, key, access) == jwt::Error::token_type);
  }
}
