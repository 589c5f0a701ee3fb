#include "base64.hpp"

#include <openssl/evp.h>

namespace vivace::detail {

std::string base64_encode(std::string_view bytes, base64_alphabet alphabet, bool pad) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  if (!pad)
    while (!out.empty() && out.back() == '=')
      out.pop_back();
  if (alphabet == base64_alphabet::url)
    for (auto& c : out)
      c = c == '+' ? '-' : c == '/' ? '_' : c;
  return out;
}

std::optional<std::string> base64_decode(std::string_view text, base64_alphabet alphabet,
                                         bool padded) {
  std::string std64;
  std64.reserve(text.size() + 3);
  std::size_t pads = 0;
  for (char c : text) {
    if (pads > 0 && c != '=')
      return std::nullopt;  // data after padding
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
      std64 += c;
    else if (alphabet == base64_alphabet::url && (c == '-' || c == '_'))
      std64 += c == '-' ? '+' : '/';
    else if (alphabet == base64_alphabet::standard && (c == '+' || c == '/'))
      std64 += c;
    else if (c == '=' && padded)
      ++pads;
    else
      return std::nullopt;
  }
  if (std64.size() % 4 == 1 || pads > 2 || (padded && (std64.size() + pads) % 4 != 0))
    return std::nullopt;
  const std::size_t fill = (4 - std64.size() % 4) % 4;
  std64.append(fill, '=');
  std::string out(std64.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(std64.data()),
                                static_cast<int>(std64.size()));
  if (n < 0)
    return std::nullopt;
  out.resize(static_cast<std::size_t>(n) - fill);
  if (base64_encode(out, alphabet, padded) != text)
    return std::nullopt;  // not canonical (stray bits in the last character)
  return out;
}

}  // namespace vivace::detail
