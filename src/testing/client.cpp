#include "vivace/testing/client.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include "../detail/pool_context.hpp"

namespace vivace::testing {

namespace {
std::string form_encode(std::string_view s) {
  // Boost.URL percent-encodes; forms write spaces as '+'
  boost::urls::encoding_opts opts;
  opts.space_as_plus = true;
  return boost::urls::encode(s, boost::urls::unreserved_chars, opts);
}
}  // namespace

boost::json::value TestResponse::json() const {
  return boost::json::parse(body);
}

RequestBuilder::RequestBuilder(TestClient& client, std::string method, std::string target)
    : client_(client) {
  request_.method = std::move(method);
  request_.target = std::move(target);
  request_.remote_address = "testclient:50000";
  request_.headers.add("Host", "testserver");
}

RequestBuilder& RequestBuilder::header(std::string name, std::string value) {
  if (iequals(name, "Host"))  // replaces the client's default Host
    request_.headers.set(name, std::move(value));
  else
    request_.headers.add(std::move(name), std::move(value));
  return *this;
}

RequestBuilder& RequestBuilder::query(std::string_view key, std::string_view value) {
  request_.target += request_.target.find('?') == std::string::npos ? '?' : '&';
  request_.target += form_encode(key);
  request_.target += '=';
  request_.target += form_encode(value);
  return *this;
}

RequestBuilder& RequestBuilder::cookie(std::string name, std::string value) {
  cookies_.emplace_back(std::move(name), std::move(value));
  return *this;
}

RequestBuilder& RequestBuilder::json(const boost::json::value& body) {
  return this->body(boost::json::serialize(body), "application/json");
}

RequestBuilder& RequestBuilder::form(
    const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    if (!out.empty())
      out += '&';
    out += form_encode(k);
    out += '=';
    out += form_encode(v);
  }
  return body(std::move(out), "application/x-www-form-urlencoded");
}

RequestBuilder& RequestBuilder::body(std::string bytes, std::string content_type) {
  request_.body = std::move(bytes);
  request_.headers.set("Content-Type", std::move(content_type));
  return *this;
}

RequestBuilder& RequestBuilder::field(std::string name, std::string value) {
  parts_.push_back({std::move(name), {}, std::move(value), {}, false});
  return *this;
}

RequestBuilder& RequestBuilder::file(std::string name, std::string filename, std::string content,
                                     std::string content_type) {
  parts_.push_back(
      {std::move(name), std::move(filename), std::move(content), std::move(content_type), true});
  return *this;
}

TestResponse RequestBuilder::send() {
  if (!parts_.empty()) {
    static constexpr std::string_view boundary = "----vivace-testclient-7MA4YWxkTrZu0gW";
    std::string out;
    auto quoted = [](std::string_view v) {
      std::string q;
      for (char c : v) {
        if (c == '"' || c == '\\')
          q += '\\';
        q += c;
      }
      return q;
    };
    for (const auto& p : parts_) {
      out.append("--").append(boundary).append("\r\n");
      out.append("Content-Disposition: form-data; name=\"").append(quoted(p.name)).append("\"");
      if (p.is_file)
        out.append("; filename=\"").append(quoted(p.filename)).append("\"");
      out.append("\r\n");
      if (p.is_file)
        out.append("Content-Type: ").append(p.content_type).append("\r\n");
      out.append("\r\n").append(p.content).append("\r\n");
    }
    out.append("--").append(boundary).append("--\r\n");
    body(std::move(out), "multipart/form-data; boundary=" + std::string{boundary});
  }
  std::string cookie_header;
  auto add = [&](const std::string& k, const std::string& v) {
    if (!cookie_header.empty())
      cookie_header += "; ";
    cookie_header += k + "=" + v;
  };
  for (const auto& [k, v] : client_.cookies())
    add(k, v);
  for (const auto& [k, v] : cookies_)
    add(k, v);
  if (!cookie_header.empty())
    request_.headers.set("Cookie", cookie_header);
  if (!request_.body.empty())
    request_.headers.set("Content-Length", std::to_string(request_.body.size()));
  return client_.run(std::move(request_));
}

struct TestClient::impl {
  boost::asio::io_context ioc;
  // Bounded as the server's pools are, but with room for any test's burst: a test client
  // never sheds work.
  vivace::detail::bounded_pool workers{
      {.threads = 2, .queue_limit = std::size_t(1) << 20, .max_wait = std::chrono::hours(1)}};
  vivace::detail::bounded_pool cpu{
      {.threads = 1, .queue_limit = std::size_t(1) << 20, .max_wait = std::chrono::hours(1)}};
  vivace::detail::pool_context context{workers, cpu};
};

TestClient::TestClient(App& app) : app_(app), impl_(std::make_unique<impl>()) {
  app_.startup();
}

TestClient::~TestClient() {
  app_.shutdown();
  impl_->workers.join();
  impl_->cpu.join();
}

TestResponse TestClient::run(Request req) {
  req.scope().set_executors(&impl_->context);
  req.received = std::chrono::steady_clock::now();
  // The whole exchange as the server does it: handle, send (a streamed body is drained as
  // a client would read it), then background tasks and dependency exits.
  auto exchange = [this](Request& rq) -> Task<Response> {
    Response res = co_await app_.handle(rq);
    if (res.stream) {
      auto stream = std::move(res.stream);
      if (rq.method != "HEAD") {
        while (auto piece = co_await stream->next(rq))
          res.body += *piece;
      }
    }
    co_await finish_request(rq);
    co_return res;
  };
  auto fut = boost::asio::co_spawn(impl_->ioc, exchange(req), boost::asio::use_future);
  impl_->ioc.restart();
  impl_->ioc.run();
  Response res = fut.get();
  // Keep cookies the response sets (a Max-Age of 0 deletes one).
  for (std::string_view set : res.headers.get_all("Set-Cookie")) {
    std::string_view pair = set.substr(0, set.find(';'));
    auto eq = pair.find('=');
    if (eq == std::string_view::npos)
      continue;
    std::string name(pair.substr(0, eq));
    if (set.find("Max-Age=0") != std::string_view::npos)
      cookies_.erase(name);
    else
      cookies_[name] = std::string(pair.substr(eq + 1));
  }
  TestResponse out{res.status, std::move(res.headers), std::move(res.body)};
  if (req.method == "HEAD")
    out.body.clear();
  return out;
}

}  // namespace vivace::testing
