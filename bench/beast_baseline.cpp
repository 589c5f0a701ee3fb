// beast_baseline: the smallest reasonable HTTP/1.1 server on Boost.Beast + C++20 coroutines,
// serving the three benchmark endpoints. It is the ceiling Vivace is measured against: the
// same stack (one io_context, N threads, one strand per connection when N > 1, keep-alive)
// with nothing but what the endpoints need, and the response head written by hand in one
// gathered write (as Vivace's own server writes it), not through Beast's generic serializer.
//
//   GET /plaintext   -> 200 text/plain        Hello, World!
//   GET /json        -> 200 application/json  {"message":"Hello, World!"}
//   GET /users/{id}  -> 200 application/json  {"id":<id>,"name":"user<id>"}  (400 if not int64)
//   GET /bytes/{n}   -> 200 application/json  a JSON string of n bytes in all (n <= 1 MiB): what
//                       sending a response of that size costs, whatever makes it
//   anything else    -> 404
//
// usage: beast_baseline [--host HOST] [--port PORT] [--threads N]

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <iostream>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;

namespace {

constexpr auto no_throw = asio::as_tuple(asio::use_awaitable);
constexpr auto idle_timeout = std::chrono::seconds(30);

// RFC 9110 IMF-fixdate, rebuilt only when the second changes (one cache per I/O thread).
const std::string& date_header() {
  struct cache {
    std::time_t second = -1;
    std::string text;
  };
  thread_local cache c;
  const std::time_t now = std::time(nullptr);
  if (now != c.second) {
    std::tm utc{};
    gmtime_r(&now, &utc);
    char buf[40];
    const std::size_t n = std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &utc);
    c.text.assign(buf, n);
    c.second = now;
  }
  return c.text;
}

using request = http::request<http::string_body>;

// A response as the endpoints make it. Its head is written by hand into one string and sent
// with the body in one gathered write, as Vivace's server does: Beast's generic serializer
// would make the baseline slower than the thing it measures.
struct response {
  int status = 200;
  std::string_view reason;
  std::string_view content_type;
  std::string body;
  bool keep_alive = true;
};

response make_response(const request& req, int status, std::string_view reason,
                       std::string_view content_type, std::string body) {
  return {status, reason, content_type, std::move(body), req.keep_alive()};
}

response error_response(const request& req, int status, std::string_view reason,
                        std::string_view detail) {
  json::object body;
  body["detail"] = detail;
  return make_response(req, status, reason, "application/json", json::serialize(body));
}

void format_head(std::string& out, const response& res, unsigned version) {
  out.clear();
  out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  char num[8];
  auto [end, ec] = std::to_chars(num, num + sizeof num, res.status);
  out.append(num, end);
  out += ' ';
  out += res.reason;
  out += "\r\nServer: beast-baseline\r\nDate: ";
  out += date_header();
  out += "\r\nContent-Type: ";
  out += res.content_type;
  out += "\r\nContent-Length: ";
  auto [end2, ec2] = std::to_chars(num, num + sizeof num, res.body.size());
  out.append(num, end2);
  if (version >= 11 && !res.keep_alive)
    out += "\r\nConnection: close";
  if (version == 10 && res.keep_alive)
    out += "\r\nConnection: keep-alive";
  out += "\r\n\r\n";
}

response route(const request& req) {
  std::string_view path = req.target();
  if (auto q = path.find('?'); q != std::string_view::npos)
    path = path.substr(0, q);

  if (req.method() != http::verb::get)
    return error_response(req, 404, "Not Found", "Not Found");

  if (path == "/plaintext")
    return make_response(req, 200, "OK", "text/plain; charset=utf-8", "Hello, World!");

  if (path == "/json") {
    json::object body;
    body["message"] = "Hello, World!";
    return make_response(req, 200, "OK", "application/json", json::serialize(body));
  }

  constexpr std::string_view bytes = "/bytes/";
  if (path.starts_with(bytes)) {
    std::size_t n = 0;
    const std::string_view raw = path.substr(bytes.size());
    const auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), n);
    if (ec != std::errc{} || end != raw.data() + raw.size() || n < 2 || n > (1u << 20))
      return error_response(req, 400, "Bad Request", "n must be an integer from 2 to 1048576");
    std::string body(n, 'x');
    body.front() = body.back() = '"';
    return make_response(req, 200, "OK", "application/json", std::move(body));
  }

  constexpr std::string_view users = "/users/";
  if (path.starts_with(users)) {
    const std::string_view raw = path.substr(users.size());
    if (raw.empty() || raw.find('/') != std::string_view::npos)
      return error_response(req, 404, "Not Found", "Not Found");
    std::int64_t id = 0;
    const auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), id);
    if (ec != std::errc{} || end != raw.data() + raw.size())
      return error_response(req, 400, "Bad Request", "id must be an integer");
    json::object body;
    body["id"] = id;
    body["name"] = "user" + std::to_string(id);
    return make_response(req, 200, "OK", "application/json", json::serialize(body));
  }

  return error_response(req, 404, "Not Found", "Not Found");
}

// One connection: read a request, answer it, repeat while keep-alive holds.
asio::awaitable<void> session(tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  std::string head;
  for (;;) {
    request req;
    stream.expires_after(idle_timeout);
    auto [rec, rn] = co_await http::async_read(stream, buffer, req, no_throw);
    if (rec)
      break;  // closed by the peer, timeout or malformed request

    const response res = route(req);
    format_head(head, res, req.version());
    const std::array<asio::const_buffer, 2> buffers{asio::buffer(head), asio::buffer(res.body)};
    auto [wec, wn] = co_await asio::async_write(stream, buffers, no_throw);
    if (wec || !res.keep_alive)
      break;
  }
  boost::system::error_code ignore;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignore);
}

asio::awaitable<void> listen(tcp::acceptor& acceptor, unsigned threads) {
  auto& ioc = static_cast<asio::io_context&>(acceptor.get_executor().context());
  for (;;) {
    // With several threads each connection gets its own strand, so that they never touch one
    // socket at once; one thread needs none (as in Vivace's server).
    auto ex = threads == 1 ? asio::any_io_executor(ioc.get_executor())
                           : asio::any_io_executor(asio::make_strand(ioc));
    auto [ec, socket] = co_await acceptor.async_accept(ex, no_throw);
    if (ec) {
      if (ec == asio::error::operation_aborted)
        co_return;
      continue;
    }
    boost::system::error_code ignore;
    socket.set_option(tcp::no_delay(true), ignore);
    auto socket_ex = socket.get_executor();
    asio::co_spawn(socket_ex, session(std::move(socket)), asio::detached);
  }
}

struct options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  unsigned threads = 0;
};

int usage(std::ostream& out, int code) {
  out << "usage: beast_baseline [--host HOST] [--port PORT] [--threads N]\n";
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  options opt;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--host" && i + 1 < argc) {
      opt.host = argv[++i];
    } else if (arg == "--port" && i + 1 < argc) {
      opt.port = static_cast<std::uint16_t>(std::atoi(argv[++i]));
    } else if (arg == "--threads" && i + 1 < argc) {
      opt.threads = static_cast<unsigned>(std::atoi(argv[++i]));
    } else if (arg == "--help") {
      return usage(std::cout, 0);
    } else {
      return usage(std::cerr, 2);
    }
  }
  if (opt.threads == 0)
    opt.threads = std::max(1u, std::thread::hardware_concurrency());

  try {
    // Default concurrency hint, as Vivace's server uses: the same scheduler for both.
    asio::io_context ioc;
    tcp::acceptor acceptor(ioc);
    const tcp::endpoint ep(asio::ip::make_address(opt.host), opt.port);
    acceptor.open(ep.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(ep);
    acceptor.listen(asio::socket_base::max_listen_connections);

    asio::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code&, int) { ioc.stop(); });

    asio::co_spawn(ioc, listen(acceptor, opt.threads), asio::detached);
    std::cerr << "beast_baseline listening on http://" << opt.host << ':'
              << acceptor.local_endpoint().port() << " with " << opt.threads << " thread(s)\n";

    std::vector<std::thread> pool;
    pool.reserve(opt.threads - 1);
    for (unsigned i = 1; i < opt.threads; ++i)
      pool.emplace_back([&ioc] { ioc.run(); });
    ioc.run();
    for (auto& t : pool)
      t.join();
  } catch (const std::exception& e) {
    std::cerr << "beast_baseline: " << e.what() << '\n';
    return 1;
  }
}
