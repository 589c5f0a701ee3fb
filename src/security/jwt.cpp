// JWS compact serialisation with OpenSSL 3: HMAC through EVP_MAC (a context keyed once per
// key, copied for each token), RSA and ECDSA through EVP_DigestSign/Verify (ECDSA signatures
// converted between DER and JWS's R||S).

#include "vivace/security/jwt.hpp"

#include "base64.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <array>
#include <cstring>
#include <list>
#include <memory>
#include <optional>
#include <vector>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace vivace::jwt {

namespace json = boost::json;

struct mac_ctx_free {
  void operator()(EVP_MAC_CTX* p) const noexcept { EVP_MAC_CTX_free(p); }
};

struct Key::impl {
  Algorithm alg;
  // HMAC: a context set up with the secret once (the algorithm looked up, the key's pads
  // hashed); each MAC starts from a copy of it, so threads share it read-only.
  std::shared_ptr<EVP_MAC_CTX> hmac_keyed;
  std::shared_ptr<EVP_PKEY> pkey;
  bool is_private = false;
};

namespace {

struct pkey_free {
  void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
};

bool is_hmac(Algorithm a) noexcept {
  return a == Algorithm::HS256 || a == Algorithm::HS384 || a == Algorithm::HS512;
}

const char* digest_name(Algorithm a) noexcept {
  switch (a) {
    case Algorithm::HS384:
      return "SHA384";
    case Algorithm::HS512:
      return "SHA512";
    default:
      return "SHA256";
  }
}

std::size_t hash_size(Algorithm a) noexcept {
  return a == Algorithm::HS384 ? 48 : a == Algorithm::HS512 ? 64 : 32;
}

std::optional<Algorithm> algorithm_named(std::string_view n) noexcept {
  for (auto a :
       {Algorithm::HS256, Algorithm::HS384, Algorithm::HS512, Algorithm::RS256, Algorithm::ES256})
    if (name(a) == n)
      return a;
  return std::nullopt;
}

void check_key_type(Algorithm alg, EVP_PKEY* k) {
  if (alg == Algorithm::RS256) {
    if (!EVP_PKEY_is_a(k, "RSA"))
      throw std::invalid_argument("jwt: RS256 needs an RSA key");
    if (EVP_PKEY_get_bits(k) < 2048)
      throw std::invalid_argument("jwt: RS256 needs an RSA key of at least 2048 bits");
  } else if (alg == Algorithm::ES256) {
    char group[64] = {};
    std::size_t len = 0;
    if (!EVP_PKEY_is_a(k, "EC") ||
        !EVP_PKEY_get_utf8_string_param(k, "group", group, sizeof group, &len) ||
        std::string_view(group, len) != "prime256v1")
      throw std::invalid_argument("jwt: ES256 needs a P-256 EC key");
  } else {
    throw std::invalid_argument("jwt: HS* keys are made with Key::hmac");
  }
}

std::shared_ptr<EVP_MAC_CTX> keyed_hmac(Algorithm alg, std::string_view secret) {
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  std::shared_ptr<EVP_MAC_CTX> ctx(mac ? EVP_MAC_CTX_new(mac) : nullptr, mac_ctx_free{});
  EVP_MAC_free(mac);  // the context holds its own reference
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
                                                          const_cast<char*>(digest_name(alg)), 0),
                         OSSL_PARAM_construct_end()};
  if (!ctx || !EVP_MAC_init(ctx.get(), reinterpret_cast<const unsigned char*>(secret.data()),
                            secret.size(), params))
    throw std::runtime_error("jwt: HMAC set-up failed");
  return ctx;
}

std::string hmac(const Key::impl& k, std::string_view input) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  std::size_t len = 0;
  const std::unique_ptr<EVP_MAC_CTX, mac_ctx_free> ctx(EVP_MAC_CTX_dup(k.hmac_keyed.get()));
  if (!ctx ||
      !EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(input.data()),
                      input.size()) ||
      !EVP_MAC_final(ctx.get(), out.data(), &len, out.size()))
    throw std::runtime_error("jwt: HMAC failed");
  return std::string(reinterpret_cast<const char*>(out.data()), len);
}

struct md_ctx {
  EVP_MD_CTX* p = EVP_MD_CTX_new();
  ~md_ctx() { EVP_MD_CTX_free(p); }
};

// ECDSA: DER (OpenSSL) <-> R||S, 32 bytes each (JWS, RFC 7518 §3.4).
std::string der_to_raw(const unsigned char* der, std::size_t len) {
  const unsigned char* p = der;
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(len));
  if (!sig)
    throw std::runtime_error("jwt: bad ECDSA signature from OpenSSL");
  std::string out(64, '\0');
  const BIGNUM *r = nullptr, *s = nullptr;
  ECDSA_SIG_get0(sig, &r, &s);
  BN_bn2binpad(r, reinterpret_cast<unsigned char*>(out.data()), 32);
  BN_bn2binpad(s, reinterpret_cast<unsigned char*>(out.data()) + 32, 32);
  ECDSA_SIG_free(sig);
  return out;
}

std::optional<std::string> raw_to_der(std::string_view raw) {
  if (raw.size() != 64)
    return std::nullopt;
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr);
  BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + 32, 32, nullptr);
  ECDSA_SIG* sig = ECDSA_SIG_new();
  if (!r || !s || !sig || !ECDSA_SIG_set0(sig, r, s)) {
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(sig);
    return std::nullopt;
  }
  unsigned char* der = nullptr;
  int len = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  if (len <= 0)
    return std::nullopt;
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

std::string asymmetric_sign(const Key::impl& k, std::string_view input) {
  md_ctx ctx;
  std::size_t len = 0;
  if (!ctx.p ||
      EVP_DigestSignInit_ex(ctx.p, nullptr, "SHA256", nullptr, nullptr, k.pkey.get(), nullptr) !=
          1 ||
      EVP_DigestSign(ctx.p, nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()),
                     input.size()) != 1)
    throw std::runtime_error("jwt: signing failed");
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.p, reinterpret_cast<unsigned char*>(sig.data()), &len,
                     reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1)
    throw std::runtime_error("jwt: signing failed");
  sig.resize(len);
  if (k.alg == Algorithm::ES256)
    return der_to_raw(reinterpret_cast<const unsigned char*>(sig.data()), sig.size());
  return sig;
}

bool asymmetric_verify(const Key::impl& k, std::string_view input, std::string_view sig) {
  std::string der;
  if (k.alg == Algorithm::ES256) {
    auto d = raw_to_der(sig);
    if (!d)
      return false;
    der = std::move(*d);
    sig = der;
  }
  md_ctx ctx;
  if (!ctx.p || EVP_DigestVerifyInit_ex(ctx.p, nullptr, "SHA256", nullptr, nullptr, k.pkey.get(),
                                        nullptr) != 1)
    return false;
  return EVP_DigestVerify(ctx.p, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                          reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
}

[[noreturn]] void refuse(Error e, const std::string& why) {
  throw VerifyError(e, "jwt: " + why);
}

std::optional<json::object> json_object(std::string_view part) {
  auto bytes = base64url_decode(part);
  if (!bytes)
    return std::nullopt;
  boost::system::error_code ec;
  auto v = json::parse(*bytes, ec);
  if (ec || !v.is_object())
    return std::nullopt;
  return std::move(v.as_object());
}

// A NumericDate claim (seconds since the epoch), if present; refuses a wrong type.
std::optional<std::int64_t> numeric_date(const json::object& claims, std::string_view name) {
  const auto* v = claims.if_contains(name);
  if (!v)
    return std::nullopt;
  if (v->is_int64())
    return v->as_int64();
  if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(v->as_uint64());
  if (v->is_double() && v->as_double() > -9e15 && v->as_double() < 9e15)
    return static_cast<std::int64_t>(v->as_double());
  refuse(Error::claims, std::string{name} + " is not a NumericDate");
}

}  // namespace

std::string_view name(Algorithm a) noexcept {
  switch (a) {
    case Algorithm::HS256:
      return "HS256";
    case Algorithm::HS384:
      return "HS384";
    case Algorithm::HS512:
      return "HS512";
    case Algorithm::RS256:
      return "RS256";
    case Algorithm::ES256:
      return "ES256";
  }
  return "";
}

Key Key::hmac(Algorithm alg, std::string_view secret) {
  if (!is_hmac(alg))
    throw std::invalid_argument("jwt: Key::hmac needs HS256, HS384 or HS512");
  if (secret.size() < hash_size(alg))
    throw std::invalid_argument("jwt: an " + std::string{name(alg)} + " secret needs at least " +
                                std::to_string(hash_size(alg)) + " bytes (RFC 7518 3.2)");
  auto k = std::make_shared<impl>();
  k->alg = alg;
  k->hmac_keyed = keyed_hmac(alg, secret);
  k->is_private = true;
  return Key(std::move(k));
}

Key Key::pem(Algorithm alg, std::string_view text) {
  if (is_hmac(alg))
    throw std::invalid_argument("jwt: HS* keys are made with Key::hmac");
  auto read = [&](bool priv) -> EVP_PKEY* {
    BIO* bio = BIO_new_mem_buf(text.data(), static_cast<int>(text.size()));
    if (!bio)
      return nullptr;
    EVP_PKEY* k = priv ? PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr)
                       : PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    return k;
  };
  bool priv = true;
  EVP_PKEY* k = read(true);
  if (!k) {
    priv = false;
    k = read(false);
  }
  if (!k)
    throw std::invalid_argument("jwt: not a PEM private or public key");
  std::shared_ptr<EVP_PKEY> owned(k, pkey_free{});
  check_key_type(alg, k);
  auto out = std::make_shared<impl>();
  out->alg = alg;
  out->pkey = std::move(owned);
  out->is_private = priv;
  return Key(std::move(out));
}

namespace {

/// A JWK member's bytes: nothing when absent; an error when not a string of base64url.
std::optional<std::string> jwk_bytes(const json::object& jwk, std::string_view member,
                                     bool required) {
  const json::value* v = jwk.if_contains(member);
  if (!v) {
    if (required)
      throw std::invalid_argument("jwt: the JWK has no \"" + std::string(member) + "\"");
    return std::nullopt;
  }
  const json::string* s = v->if_string();
  auto bytes = s ? jwt::base64url_decode(*s) : std::nullopt;
  if (!bytes || bytes->empty())
    throw std::invalid_argument("jwt: the JWK's \"" + std::string(member) +
                                "\" is not base64url text");
  return bytes;
}

std::string_view jwk_text(const json::object& jwk, std::string_view member) {
  const json::value* v = jwk.if_contains(member);
  if (!v)
    return {};
  if (!v->is_string())
    throw std::invalid_argument("jwt: the JWK's \"" + std::string(member) + "\" is not a string");
  return v->get_string();
}

struct bld_free {
  void operator()(OSSL_PARAM_BLD* p) const noexcept { OSSL_PARAM_BLD_free(p); }
};
struct params_free {
  void operator()(OSSL_PARAM* p) const noexcept { OSSL_PARAM_free(p); }
};
struct bn_free {
  void operator()(BIGNUM* p) const noexcept { BN_clear_free(p); }
};

/// Builds an EVP_PKEY of `type` from named parameters (big-endian integers or octet strings).
class key_builder {
 public:
  key_builder() : bld_(OSSL_PARAM_BLD_new()) {
    if (!bld_)
      throw std::bad_alloc();
  }
  void integer(const char* name, const std::string& bytes) {
    auto* bn = BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                         static_cast<int>(bytes.size()), nullptr);
    if (!bn)
      throw std::bad_alloc();
    bns_.emplace_back(bn);
    if (!OSSL_PARAM_BLD_push_BN(bld_.get(), name, bn))
      throw std::runtime_error("jwt: cannot build the key");
  }
  void text(const char* name, const char* value) {
    if (!OSSL_PARAM_BLD_push_utf8_string(bld_.get(), name, value, 0))
      throw std::runtime_error("jwt: cannot build the key");
  }
  void octets(const char* name, const std::string& bytes) {
    octets_.push_back(bytes);
    if (!OSSL_PARAM_BLD_push_octet_string(bld_.get(), name, octets_.back().data(),
                                          octets_.back().size()))
      throw std::runtime_error("jwt: cannot build the key");
  }
  std::shared_ptr<EVP_PKEY> build(const char* type, bool priv) {
    std::unique_ptr<OSSL_PARAM, params_free> params(OSSL_PARAM_BLD_to_param(bld_.get()));
    std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
        EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr), &EVP_PKEY_CTX_free);
    EVP_PKEY* k = nullptr;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
        EVP_PKEY_fromdata(ctx.get(), &k, priv ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY,
                          params.get()) != 1)
      throw std::invalid_argument(std::string("jwt: the JWK is not a valid ") + type + " key");
    return std::shared_ptr<EVP_PKEY>(k, pkey_free{});
  }

 private:
  std::unique_ptr<OSSL_PARAM_BLD, bld_free> bld_;
  std::vector<std::unique_ptr<BIGNUM, bn_free>> bns_;
  std::list<std::string> octets_;  // stable addresses until build()
};

/// The key passes OpenSSL's checks: the public part always, the pair for an EC private key.
void check_jwk_key(EVP_PKEY* k, bool pairwise) {
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
      EVP_PKEY_CTX_new_from_pkey(nullptr, k, nullptr), &EVP_PKEY_CTX_free);
  if (!ctx || EVP_PKEY_public_check(ctx.get()) != 1 ||
      (pairwise && EVP_PKEY_pairwise_check(ctx.get()) != 1))
    throw std::invalid_argument("jwt: the JWK's key fails OpenSSL's key check");
}

}  // namespace

Key Key::jwk(Algorithm alg, const json::object& jwk) {
  const auto kty = jwk_text(jwk, "kty");
  if (const auto a = jwk_text(jwk, "alg"); !a.empty() && a != name(alg))
    throw std::invalid_argument("jwt: the JWK is for \"" + std::string(a) + "\", not " +
                                std::string(name(alg)));
  if (const auto use = jwk_text(jwk, "use"); !use.empty() && use != "sig")
    throw std::invalid_argument("jwt: the JWK's \"use\" is \"" + std::string(use) +
                                "\", not \"sig\"");
  if (is_hmac(alg)) {
    if (kty != "oct")
      throw std::invalid_argument("jwt: an HS* JWK has \"kty\":\"oct\"");
    return hmac(alg, *jwk_bytes(jwk, "k", true));
  }
  key_builder b;
  std::shared_ptr<EVP_PKEY> k;
  bool priv = false;
  if (alg == Algorithm::RS256) {
    if (kty != "RSA")
      throw std::invalid_argument("jwt: an RS256 JWK has \"kty\":\"RSA\"");
    b.integer(OSSL_PKEY_PARAM_RSA_N, *jwk_bytes(jwk, "n", true));
    b.integer(OSSL_PKEY_PARAM_RSA_E, *jwk_bytes(jwk, "e", true));
    if (auto d = jwk_bytes(jwk, "d", false)) {
      priv = true;
      b.integer(OSSL_PKEY_PARAM_RSA_D, *d);
      // The CRT parameters come all together or not at all (RFC 7518 §6.3.2).
      static constexpr std::pair<const char*, const char*> crt[] = {
          {"p", OSSL_PKEY_PARAM_RSA_FACTOR1},
          {"q", OSSL_PKEY_PARAM_RSA_FACTOR2},
          {"dp", OSSL_PKEY_PARAM_RSA_EXPONENT1},
          {"dq", OSSL_PKEY_PARAM_RSA_EXPONENT2},
          {"qi", OSSL_PKEY_PARAM_RSA_COEFFICIENT1}};
      std::size_t present = 0;
      for (const auto& [member, param] : crt)
        present += jwk.contains(member) ? 1 : 0;
      if (present != 0 && present != std::size(crt))
        throw std::invalid_argument("jwt: the JWK has some of p, q, dp, dq, qi but not all");
      if (present != 0)
        for (const auto& [member, param] : crt)
          b.integer(param, *jwk_bytes(jwk, member, true));
    }
    k = b.build("RSA", priv);
    check_key_type(alg, k.get());
    check_jwk_key(k.get(), false);
  } else {
    if (kty != "EC")
      throw std::invalid_argument("jwt: an ES256 JWK has \"kty\":\"EC\"");
    if (jwk_text(jwk, "crv") != "P-256")
      throw std::invalid_argument("jwt: an ES256 JWK has \"crv\":\"P-256\"");
    const auto x = *jwk_bytes(jwk, "x", true);
    const auto y = *jwk_bytes(jwk, "y", true);
    if (x.size() != 32 || y.size() != 32)
      throw std::invalid_argument("jwt: a P-256 JWK's \"x\" and \"y\" are 32 bytes each");
    b.text(OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1");
    b.octets(OSSL_PKEY_PARAM_PUB_KEY, std::string(1, '\x04') + x + y);
    if (auto d = jwk_bytes(jwk, "d", false)) {
      if (d->size() != 32)
        throw std::invalid_argument("jwt: a P-256 JWK's \"d\" is 32 bytes");
      priv = true;
      b.integer(OSSL_PKEY_PARAM_PRIV_KEY, *d);
    }
    k = b.build("EC", priv);
    check_key_type(alg, k.get());
    check_jwk_key(k.get(), priv);
  }
  auto out = std::make_shared<impl>();
  out->alg = alg;
  out->pkey = std::move(k);
  out->is_private = priv;
  return Key(std::move(out));
}

Key Key::generate(Algorithm alg) {
  EVP_PKEY* k = nullptr;
  if (alg == Algorithm::RS256)
    k = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(2048));
  else if (alg == Algorithm::ES256)
    k = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  else
    throw std::invalid_argument("jwt: Key::generate makes RS256 or ES256 keys");
  if (!k)
    throw std::runtime_error("jwt: key generation failed");
  auto out = std::make_shared<impl>();
  out->alg = alg;
  out->pkey = std::shared_ptr<EVP_PKEY>(k, pkey_free{});
  out->is_private = true;
  return Key(std::move(out));
}

std::string Key::public_pem() const {
  if (!impl_->pkey)
    throw std::invalid_argument("jwt: an HMAC key has no public half");
  BIO* bio = BIO_new(BIO_s_mem());
  if (!bio || PEM_write_bio_PUBKEY(bio, impl_->pkey.get()) != 1) {
    BIO_free(bio);
    throw std::runtime_error("jwt: cannot write the public key");
  }
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<std::size_t>(len));
  BIO_free(bio);
  return out;
}

Algorithm Key::algorithm() const noexcept {
  return impl_->alg;
}
bool Key::can_sign() const noexcept {
  return impl_->is_private;
}

std::string sign(const json::object& claims, const Key& key, const json::object& header) {
  const auto& k = key.internals();
  if (!k.is_private)
    throw std::invalid_argument("jwt: a public key cannot sign");
  json::object h{{"alg", name(k.alg)}, {"typ", "JWT"}};
  for (const auto& kv : header)
    if (kv.key() != "alg")
      h[kv.key()] = kv.value();
  std::string input = base64url_encode(json::serialize(h));
  input += '.';
  input += base64url_encode(json::serialize(claims));
  const std::string sig = is_hmac(k.alg) ? hmac(k, input) : asymmetric_sign(k, input);
  input += '.';
  input += base64url_encode(sig);
  return input;
}

json::object verify(std::string_view token, const Key& key, const VerifyOptions& o) {
  const auto& k = key.internals();
  if (o.algorithms.empty())
    throw std::invalid_argument("jwt: VerifyOptions::algorithms must name the accepted ones");
  if (token.size() > o.max_length)
    refuse(Error::malformed, "token too long");
  const auto d1 = token.find('.');
  const auto d2 = d1 == std::string_view::npos ? d1 : token.find('.', d1 + 1);
  if (d2 == std::string_view::npos || token.find('.', d2 + 1) != std::string_view::npos)
    refuse(Error::malformed, "not three dot-separated parts");
  const auto signing_input = token.substr(0, d2);
  auto header = json_object(token.substr(0, d1));
  if (!header)
    refuse(Error::malformed, "the header is not base64url JSON");
  const auto* alg = header->if_contains("alg");
  if (!alg || !alg->is_string())
    refuse(Error::algorithm, "no alg in the header");
  const auto named = algorithm_named(alg->as_string());
  if (!named)
    refuse(Error::algorithm, "algorithm refused: " + std::string(alg->as_string()));
  // The key decides the algorithm; the header must agree, and the verifier must allow it.
  if (*named != k.alg)
    refuse(Error::algorithm, "the header's alg is not the key's");
  if (std::find(o.algorithms.begin(), o.algorithms.end(), k.alg) == o.algorithms.end())
    refuse(Error::algorithm, "algorithm not allowed");
  if (header->contains("crit"))
    refuse(Error::malformed, "critical header parameters are not supported");
  const auto sig = base64url_decode(token.substr(d2 + 1));
  if (!sig || sig->empty())
    refuse(Error::malformed, "the signature is not base64url");
  bool ok = false;
  if (is_hmac(k.alg)) {
    const auto expected = hmac(k, signing_input);
    ok = expected.size() == sig->size() &&
         CRYPTO_memcmp(expected.data(), sig->data(), expected.size()) == 0;
  } else {
    ok = asymmetric_verify(k, signing_input, *sig);
  }
  if (!ok)
    refuse(Error::signature, "signature mismatch");
  auto claims = json_object(token.substr(d1 + 1, d2 - d1 - 1));
  if (!claims)
    refuse(Error::malformed, "the payload is not base64url JSON");

  const auto now =
      std::chrono::duration_cast<std::chrono::seconds>(o.now().time_since_epoch()).count();
  const auto leeway = o.leeway.count();
  if (auto exp = numeric_date(*claims, "exp")) {
    if (now >= *exp + leeway)
      refuse(Error::expired, "expired");
  } else if (o.require_exp) {
    refuse(Error::claims, "no exp claim");
  }
  if (auto nbf = numeric_date(*claims, "nbf"); nbf && now + leeway < *nbf)
    refuse(Error::not_yet_valid, "not valid yet (nbf)");
  if (auto iat = numeric_date(*claims, "iat"); iat && now + leeway < *iat)
    refuse(Error::not_yet_valid, "issued in the future (iat)");
  if (o.issuer) {
    const auto* iss = claims->if_contains("iss");
    if (!iss || !iss->is_string() || iss->as_string() != *o.issuer)
      refuse(Error::issuer, "wrong issuer");
  }
  if (o.audience) {
    const auto* aud = claims->if_contains("aud");
    bool found = false;
    if (aud && aud->is_string())
      found = aud->as_string() == *o.audience;
    else if (aud && aud->is_array())
      for (const auto& a : aud->as_array())
        found = found || (a.is_string() && a.as_string() == *o.audience);
    if (!found)
      refuse(Error::audience, "wrong audience");
  }
  if (o.token_type) {
    const auto* t = claims->if_contains(o.type_claim);
    if (!t || !t->is_string() || t->as_string() != *o.token_type)
      refuse(Error::token_type, "wrong token type");
  }
  return std::move(*claims);
}

std::string base64url_encode(std::string_view bytes) {
  return detail::base64_encode(bytes, detail::base64_alphabet::url, false);
}

std::optional<std::string> base64url_decode(std::string_view text) {
  return detail::base64_decode(text, detail::base64_alphabet::url, false);
}

}  // namespace vivace::jwt
