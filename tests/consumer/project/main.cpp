// A tiny program built against an installed Vivace: serves one route on a free loopback
// port, calls it over a socket, checks the answer and stops.

#include <cstdio>
#include <string>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <vivace/vivace.hpp>

int main() {
  vivace::App app;
  app.get<"/items/{item_id}">([](vivace::Path<"item_id", int> id) {
    return boost::json::value{{"item_id", *id}, {"version", VIVACE_VERSION_STRING}};
  });
  vivace::ServerConfig cfg;
  cfg.port = 0;
  cfg.threads = 1;
  cfg.handle_signals = false;
  auto server = app.make_server(cfg);
  server.start();

  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket sock(ioc);
  sock.connect({boost::asio::ip::make_address("127.0.0.1"), server.port()});
  std::string req = "GET /items/7 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  boost::asio::write(sock, boost::asio::buffer(req));
  std::string reply;
  boost::system::error_code ec;
  boost::asio::read(sock, boost::asio::dynamic_buffer(reply), ec);
  server.stop();

  std::printf("%s\n", reply.c_str());
  const std::string expected =
      std::string(R"({"item_id":7,"version":")") + VIVACE_VERSION_STRING + "\"}";
  return reply.find("200 OK") != std::string::npos && reply.find(expected) != std::string::npos ? 0
                                                                                                : 1;
}
