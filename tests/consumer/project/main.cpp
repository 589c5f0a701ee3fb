// A tiny program built against Vivace as a user gets it (installed package, FetchContent,
// Conan's test_package): serves one route on a free loopback port, calls it over a socket,
// checks the answer and stops. With the database layer (CONSUMER_DB) the route reads SQLite.

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <vivace/config.hpp>
#include <vivace/vivace.hpp>
#if CONSUMER_DB
#include <vivace/db.hpp>
#endif

int main() {
  vivace::App app;
#if CONSUMER_DB
  app.provide<vivace::db::Database>(std::make_shared<vivace::db::Database>("sqlite://:memory:"));
  app.get<"/items/{item_id}">([](vivace::Path<"item_id", int> id, vivace::db::SessionDep db) {
    const auto twice = db->one<long long>("SELECT 2 * :id", *id);
    return boost::json::value{{"item_id", *twice / 2}, {"version", VIVACE_VERSION_STRING}};
  });
#else
  app.get<"/items/{item_id}">([](vivace::Path<"item_id", int> id) {
    return boost::json::value{{"item_id", *id}, {"version", VIVACE_VERSION_STRING}};
  });
#endif
  vivace::ServerConfig cfg;
  cfg.port = 0;
  cfg.threads = 1;
  cfg.handle_signals = false;
  auto server = app.make_server(cfg);
  server.start();

  // One request over a socket; the whole reply (head and body).
  auto fetch = [&](const std::string& path) {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::socket sock(ioc);
    sock.connect({boost::asio::ip::make_address("127.0.0.1"), server.port()});
    std::string req = "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    boost::asio::write(sock, boost::asio::buffer(req));
    std::string reply;
    boost::system::error_code ec;
    boost::asio::read(sock, boost::asio::dynamic_buffer(reply), ec);
    return reply;
  };
  const std::string reply = fetch("/items/7");
  // The Swagger UI bundle: embedded, or read from the docs-assets folder at run time.
  const std::string asset = fetch("/docs/swagger-ui-bundle.js");
  server.stop();

  std::printf("%s\n(tls %d, db %d, postgresql %d, docs assets %s)\n", reply.c_str(),
              VIVACE_WITH_TLS, VIVACE_WITH_DB, VIVACE_WITH_POSTGRESQL,
              asset.starts_with("HTTP/1.1 200") ? "served" : "missing");
  const std::string expected =
      std::string(R"({"item_id":7,"version":")") + VIVACE_VERSION_STRING + "\"}";
  const bool ok =
      reply.find("200 OK") != std::string::npos && reply.find(expected) != std::string::npos;
  // CONSUMER_EXPECT_DOCS=1: the docs assets must be served (the package has them, embedded or
  // in the folder the library reads).
  const char* want_docs = std::getenv("CONSUMER_EXPECT_DOCS");
  const bool docs_ok = !want_docs || std::string_view(want_docs) != "1" ||
                       (asset.starts_with("HTTP/1.1 200") && asset.size() > 100000);
  return ok && docs_ok ? 0 : 1;
}
