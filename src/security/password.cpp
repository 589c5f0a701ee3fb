// scrypt through OpenSSL's EVP_PBE_scrypt, salts from RAND_bytes, PHC strings.

#include "vivace/security/password.hpp"

#include "base64.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <charconv>
#include <stdexcept>
#include <vector>

#include "vivace/core/blocking.hpp"
#include "vivace/http/handler.hpp"

namespace vivace::password {

namespace {

std::string b64(std::string_view bytes) {  // standard alphabet, no padding (PHC)
  return detail::base64_encode(bytes, detail::base64_alphabet::standard, false);
}

std::optional<std::string> unb64(std::string_view text) {
  if (text.empty())
    return std::nullopt;
  return detail::base64_decode(text, detail::base64_alphabet::standard, false);
}

struct parsed {
  Params params;
  std::string salt, hash;
};

// "$scrypt$ln=17,r=8,p=1$salt$hash"
std::optional<parsed> parse(std::string_view s) {
  constexpr std::string_view prefix = "$scrypt$";
  if (!s.starts_with(prefix))
    return std::nullopt;
  s.remove_prefix(prefix.size());
  auto d1 = s.find('$');
  if (d1 == std::string_view::npos)
    return std::nullopt;
  auto d2 = s.find('$', d1 + 1);
  if (d2 == std::string_view::npos || s.find('$', d2 + 1) != std::string_view::npos)
    return std::nullopt;
  parsed out;
  std::string_view params = s.substr(0, d1);
  bool ln = false, r = false, p = false;
  while (!params.empty()) {
    auto comma = params.find(',');
    auto item = params.substr(0, comma);
    params = comma == std::string_view::npos ? std::string_view{} : params.substr(comma + 1);
    auto eq = item.find('=');
    if (eq == std::string_view::npos)
      return std::nullopt;
    auto key = item.substr(0, eq), value = item.substr(eq + 1);
    std::uint64_t v = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
    if (ec != std::errc{} || end != value.data() + value.size())
      return std::nullopt;
    if (key == "ln" && v >= 1 && v <= 30) {
      out.params.log2_n = static_cast<unsigned>(v);
      ln = true;
    } else if (key == "r" && v >= 1 && v <= 64) {
      out.params.r = static_cast<std::uint32_t>(v);
      r = true;
    } else if (key == "p" && v >= 1 && v <= 64) {
      out.params.p = static_cast<std::uint32_t>(v);
      p = true;
    } else {
      return std::nullopt;
    }
  }
  auto salt = unb64(s.substr(d1 + 1, d2 - d1 - 1));
  auto hash = unb64(s.substr(d2 + 1));
  if (!ln || !r || !p || !salt || !hash || hash->size() < 16 || hash->size() > 128)
    return std::nullopt;
  out.params.salt_bytes = salt->size();
  out.params.hash_bytes = hash->size();
  out.salt = std::move(*salt);
  out.hash = std::move(*hash);
  return out;
}

std::string derive(std::string_view password, std::string_view salt, const Params& p,
                   std::size_t length) {
  if (must_not_block())  // a run_inline handler on an I/O thread: hash on a worker instead
    throw WouldBlock("a password hash", true);
  return scrypt(password, salt, std::uint64_t{1} << p.log2_n, p.r, p.p, length);
}

}  // namespace

std::string scrypt(std::string_view password, std::string_view salt, std::uint64_t n,
                   std::uint32_t r, std::uint32_t p, std::size_t length) {
  std::string out(length, '\0');
  // Memory: 128 * N * r * p bytes, plus room.
  const std::uint64_t maxmem = 128ull * n * r * p + (16ull << 20);
  if (EVP_PBE_scrypt(password.data(), password.size(),
                     reinterpret_cast<const unsigned char*>(salt.data()), salt.size(), n, r, p,
                     maxmem, reinterpret_cast<unsigned char*>(out.data()), length) != 1)
    throw std::runtime_error("password: scrypt failed (parameters or memory)");
  return out;
}

std::string hash(std::string_view password, const Params& params) {
  std::string salt(params.salt_bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(salt.data()), static_cast<int>(salt.size())) != 1)
    throw std::runtime_error("password: no random bytes");
  const auto key = derive(password, salt, params, params.hash_bytes);
  return "$scrypt$ln=" + std::to_string(params.log2_n) + ",r=" + std::to_string(params.r) +
         ",p=" + std::to_string(params.p) + "$" + b64(salt) + "$" + b64(key);
}

bool verify(std::string_view password, std::string_view stored) {
  auto p = parse(stored);
  if (!p)
    return false;
  const auto key = derive(password, p->salt, p->params, p->hash.size());
  return CRYPTO_memcmp(key.data(), p->hash.data(), key.size()) == 0;
}

bool needs_rehash(std::string_view stored, const Params& params) {
  auto p = parse(stored);
  return !p || p->params.log2_n != params.log2_n || p->params.r != params.r ||
         p->params.p != params.p || p->salt.size() != params.salt_bytes ||
         p->hash.size() != params.hash_bytes;
}

Task<std::string> hash_async(Request& req, std::string password, Params params) {
  std::string out;
  co_await run_cpu(req, [&] { out = hash(password, params); });
  co_return out;
}

Task<bool> verify_async(Request& req, std::string password, std::string stored) {
  bool ok = false;
  co_await run_cpu(req, [&] { ok = verify(password, stored); });
  co_return ok;
}

}  // namespace vivace::password
