// The request framing rules of RFC 9112 that Beast 1.81's parser leaves to the server.

#include <boost/beast/core/string.hpp>

#include "connection.hpp"
#include "vivace/core/text.hpp"

namespace vivace::server_detail {

namespace {
// The framing of a chunked body needs a few short lines; a trailer section past this many
// unconsumed bytes is not one a client sends by mistake.
constexpr std::size_t max_pending_framing = 64 * 1024;
}  // namespace

int framing_status(const http::request_header<>& h) {
  if (h.count(http::field::host) > 1)
    return 400;
  // The codings of every Transfer-Encoding field, in order.
  bool present = false, other = false, last_chunked = false;
  int chunked = 0;
  for (auto it = h.find(http::field::transfer_encoding);
       it != h.end() && it->name() == http::field::transfer_encoding; ++it) {
    present = true;
    std::string_view rest = it->value();
    for (;;) {
      const auto comma = rest.find(',');
      if (const auto coding = trim_ows(rest.substr(0, comma)); !coding.empty()) {
        last_chunked = beast::iequals(coding, "chunked");
        chunked += last_chunked ? 1 : 0;
        other = other || !last_chunked;
      }
      if (comma == std::string_view::npos)
        break;
      rest.remove_prefix(comma + 1);
    }
  }
  if (!present)
    return 0;
  if (h.version() < 11 || !last_chunked || chunked != 1)
    return 400;
  return other ? 501 : 0;
}

bool broken_framing(std::string_view pending) noexcept {
  if (pending.size() > max_pending_framing)
    return true;
  for (auto lf = pending.find('\n'); lf != std::string_view::npos; lf = pending.find('\n', lf + 1))
    if (lf == 0 || pending[lf - 1] != '\r')
      return true;
  return false;
}

}  // namespace vivace::server_detail
