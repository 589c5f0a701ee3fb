#pragma once
// A small HTTP/1.1 client for the integration tests: raw bytes in, parsed responses out, over
// plain TCP or TLS, every operation bounded by a timeout.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <vivace/http/headers.hpp>

namespace vt {

struct reply {
  int status = 0;
  vivace::Headers headers;
  std::string body;
  bool keep_alive = false;
  unsigned version = 11;
};

class connection {
 public:
  explicit connection(std::uint16_t port, bool tls = false);
  ~connection();
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  /// Writes raw bytes.
  void send(std::string_view bytes);
  /// Reads one response (`head` for a response to HEAD: no body follows).
  /// Throws std::runtime_error on timeout or when the server closed the connection first.
  reply read(bool head = false, std::chrono::milliseconds timeout = std::chrono::seconds(5));
  /// Reads raw bytes until at least `n` are available or the timeout (for 100 Continue).
  std::string read_raw(std::size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(5));
  /// True when the server closes the connection within `timeout` (EOF or reset).
  bool closed_within(std::chrono::milliseconds timeout);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// One request on a fresh connection.
reply request(std::uint16_t port, std::string_view method, std::string_view target,
              std::string_view extra_headers = {}, std::string_view body = {}, bool tls = false);

}  // namespace vt
