// JWT: RFC 7515's HS256 example, HS384 and HS512 tokens made elsewhere, round trips for every
// algorithm, and hostile tokens.

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

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

TEST_CASE("jwt: HS384 and HS512 tokens made by another implementation", "[jwt]") {
  // Made with the openssl command line (`openssl dgst -sha384 -hmac`), key 64 times 'k'.
  const std::string key(64, 'k');
  const std::string hs384 =
      "eyJhbGciOiJIUzM4NCIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJqb2UiLCJleHAiOjIwMDAwMDAwMDB9."
      "gTJ7ki0SD2_cntrSz4MqhE1mBL1qwYbJBGTikyPKLrAQu8DypVNRnyZX9akYKfQJ";
  const std::string hs512 =
      "eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJqb2UiLCJleHAiOjIwMDAwMDAwMDB9."
      "-cVtl0bt3fhAxXmS3W1Yng8E7atrbOB5uRpHErh8zxyIdNqVJoTNroT6jwexcZ1DnBdPQhg1RR70BlP_sgTIXA";
  const auto k384 = jwt::Key::hmac(jwt::Algorithm::HS384, key);
  const auto k512 = jwt::Key::hmac(jwt::Algorithm::HS512, key);
  CHECK(jwt::verify(hs384, k384, options_at(1900000000, {jwt::Algorithm::HS384})).at("sub") ==
        "joe");
  CHECK(jwt::verify(hs512, k512, options_at(1900000000, {jwt::Algorithm::HS512})).at("sub") ==
        "joe");
  // Another secret of the same length: refused.
  CHECK(refusal(hs384, jwt::Key::hmac(jwt::Algorithm::HS384, std::string(64, 'j')),
                options_at(1900000000, {jwt::Algorithm::HS384})) == jwt::Error::signature);
  // One key verifies many tokens, from many threads at once (each MAC starts from a copy).
  std::vector<std::thread> threads;
  std::atomic<int> good{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        const auto token =
            jwt::sign(json::object{{"sub", "u" + std::to_string(i)}, {"exp", 2000000000}}, k512);
        if (jwt::verify(token, k512, options_at(1900000000, {jwt::Algorithm::HS512})).at("sub") ==
            json::value("u" + std::to_string(i)))
          ++good;
      }
    });
  for (auto& t : threads)
    t.join();
  CHECK(good == 800);
}

namespace {

// RFC 7515 A.2 and A.3 share A.1's payload (with its CRLFs).
constexpr const char* rfc_payload =
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVl"
    "fQ";

json::object rfc_rsa_jwk(bool with_private) {
  json::object k{
      {"kty", "RSA"},
      {"n",
       "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-"
       "4qPCJrcS2mJPMEzP1Pt0Bm4"
       "d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5r"
       "exMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhy"
       "xXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ"},
      {"e", "AQAB"}};
  if (with_private)
    k["d"] =
        "Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vLNO97IjlA7_GQ5sLKMgvfTeXZx9SE-"
        "7YwVol2NX"
        "OoAJe46sui395IW_GO-pWJ1O0BkTGoVEn2bKVRUCgu-GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzjkn439X0M_"
        "V"
        "51gfpRLI9JYanrC4D4qAdGcopV_0ZHHzQlBjudU2QvXt4ehNYTCBr6XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl_x_"
        "jT"
        "j3ccPDVZFD9pIuhLhBOneufuBiB4cS98l2SR_RQyGWSeWjnczT0QU91p1DhOVRuOopznQ";
  return k;
}

json::object rfc_ec_jwk(bool with_private) {
  json::object k{{"kty", "EC"},
                 {"crv", "P-256"},
                 {"x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"},
                 {"y", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}};
  if (with_private)
    k["d"] = "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI";
  return k;
}

}  // namespace

TEST_CASE("jwt: RFC 7515 A.2, RS256 with the example's JWK", "[jwt]") {
  const std::string token = std::string("eyJhbGciOiJSUzI1NiJ9.") + rfc_payload +
                            ".cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7"
                            "AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4"
                            "BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K"
                            "0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqv"
                            "hJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrB"
                            "p0igcN_IoypGlUPQGe77Rw";
  const auto opts = options_at(1300819300, {jwt::Algorithm::RS256});
  const auto pub = jwt::Key::jwk(jwt::Algorithm::RS256, rfc_rsa_jwk(false));
  CHECK_FALSE(pub.can_sign());
  CHECK(jwt::verify(token, pub, opts).at("iss") == "joe");
  const auto priv = jwt::Key::jwk(jwt::Algorithm::RS256, rfc_rsa_jwk(true));
  REQUIRE(priv.can_sign());
  CHECK(jwt::verify(token, priv, opts).at("iss") == "joe");
  // RSASSA-PKCS1-v1_5 is deterministic: the private JWK signs what the public JWK accepts, and
  // the same claims twice give the same token.
  const json::object claims{{"sub", "joe"}, {"exp", 1300819380}};
  const auto mine = jwt::sign(claims, priv);
  CHECK(mine == jwt::sign(claims, priv));
  CHECK(jwt::verify(mine, pub, opts).at("sub") == "joe");
  // The RFC's signature over another payload is refused.
  std::string swapped = token;
  swapped.replace(swapped.find('.') + 1, std::string(rfc_payload).size(),
                  jwt::base64url_encode(R"({"iss":"joe","exp":1300819380})"));
  CHECK(refusal(swapped, pub, opts) == jwt::Error::signature);
}

TEST_CASE("jwt: RFC 7515 A.3, ES256 with the example's JWK", "[jwt]") {
  const std::string token = std::string("eyJhbGciOiJFUzI1NiJ9.") + rfc_payload +
                            ".DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSA"
                            "pmWQxfKTUJqPP3-Kg6NU1Q";
  const auto opts = options_at(1300819300, {jwt::Algorithm::ES256});
  const auto pub = jwt::Key::jwk(jwt::Algorithm::ES256, rfc_ec_jwk(false));
  CHECK(jwt::verify(token, pub, opts).at("http://example.com/is_root") == true);
  // ECDSA signatures are randomised: the private JWK's tokens verify under the public one.
  const auto priv = jwt::Key::jwk(jwt::Algorithm::ES256, rfc_ec_jwk(true));
  const auto mine = jwt::sign(json::object{{"sub", "joe"}, {"exp", 1300819380}}, priv);
  CHECK(jwt::verify(mine, pub, opts).at("sub") == "joe");
  // The same signature with R and S swapped is refused.
  const auto sig = *jwt::base64url_decode(token.substr(token.rfind('.') + 1));
  const std::string swapped = token.substr(0, token.rfind('.') + 1) +
                              jwt::base64url_encode(sig.substr(32) + sig.substr(0, 32));
  CHECK(refusal(swapped, pub, opts) == jwt::Error::signature);
}

TEST_CASE("jwt: JWKs that do not fit the algorithm are refused when the key is made", "[jwt]") {
  using jwt::Algorithm;
  auto refused = [](Algorithm alg, const json::object& k) {
    try {
      (void)jwt::Key::jwk(alg, k);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  CHECK_THAT(refused(Algorithm::ES256, rfc_rsa_jwk(false)), Catch::Contains("\"kty\":\"EC\""));
  auto rsa = rfc_rsa_jwk(false);
  rsa["alg"] = "RS512";
  CHECK_THAT(refused(Algorithm::RS256, rsa), Catch::Contains("RS512"));
  rsa = rfc_rsa_jwk(false);
  rsa["use"] = "enc";
  CHECK_THAT(refused(Algorithm::RS256, rsa), Catch::Contains("\"use\""));
  rsa = rfc_rsa_jwk(true);
  rsa["p"] = "4BzEEOtIpmVdVEZNCqS7baC4crd0pqnRH";
  CHECK_THAT(refused(Algorithm::RS256, rsa), Catch::Contains("p, q, dp, dq, qi"));
  rsa = rfc_rsa_jwk(false);
  rsa["n"] = "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAk";  // 192 bits
  CHECK_THAT(refused(Algorithm::RS256, rsa), Catch::Contains("2048"));
  rsa = rfc_rsa_jwk(false);
  rsa["e"] = "AQAB==";
  CHECK_THAT(refused(Algorithm::RS256, rsa), Catch::Contains("\"e\" is not base64url"));
  auto ec = rfc_ec_jwk(false);
  ec["crv"] = "P-384";
  CHECK_THAT(refused(Algorithm::ES256, ec), Catch::Contains("P-256"));
  ec = rfc_ec_jwk(false);
  ec["y"] = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";  // not on the curve
  CHECK(refused(Algorithm::ES256, ec) != "accepted");
  ec = rfc_ec_jwk(true);
  ec["d"] = "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr8";  // not the key's private half
  CHECK(refused(Algorithm::ES256, ec) != "accepted");
  ec = rfc_ec_jwk(false);
  ec.erase("x");
  CHECK_THAT(refused(Algorithm::ES256, ec), Catch::Contains("no \"x\""));
  CHECK_THAT(refused(Algorithm::HS256, {{"kty", "oct"}, {"k", "c2hvcnQ"}}),
             Catch::Contains("at least 32"));
  // An HS256 JWK gives the same key as the raw secret: A.1's token verifies.
  const auto hs = jwt::Key::jwk(
      Algorithm::HS256,
      {{"kty", "oct"},
       {"k",
        "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}});
  CHECK(jwt::verify("eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9." + std::string(rfc_payload) +
                        ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
                    hs, options_at(1300819300, {Algorithm::HS256}))
            .at("iss") == "joe");
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
