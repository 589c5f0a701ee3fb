#pragma once
// Runs a request through App::handle without sockets (the TestClient of a later issue will
// replace this).

#include <optional>
#include <string>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <vivace/app/app.hpp>

namespace vt {

inline vivace::Response call(vivace::App& app, std::string method, std::string target,
                             std::string body = {}, vivace::Headers headers = {}) {
  vivace::Request req;
  req.method = std::move(method);
  req.target = std::move(target);
  req.body = std::move(body);
  req.headers = std::move(headers);
  boost::asio::io_context ioc;
  auto fut = boost::asio::co_spawn(ioc, app.handle(req), boost::asio::use_future);
  ioc.run();
  return fut.get();
}

}  // namespace vt
