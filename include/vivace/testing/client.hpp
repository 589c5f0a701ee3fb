#pragma once
/// @file
/// `TestClient`: requests through the whole application pipeline (middleware, routing,
/// extraction, exception handlers, lifespan) without sockets, for tests.

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>

#include "vivace/app/app.hpp"
#include "vivace/http/headers.hpp"
#include "vivace/schema/json.hpp"

namespace vivace::testing {

/// What the application answered.
struct TestResponse {
  /// As the app answered: the server's own check (an invalid status sent as a 500) is not made.
  int status = 0;
  /// The header fields, in order (`Set-Cookie` once per cookie).
  Headers headers;
  /// A streamed body read to its end; empty for `HEAD`.
  std::string body;

  /// The body parsed as JSON. @throws std::system_error if it is not JSON.
  [[nodiscard]] boost::json::value json() const;
  /// The body decoded into `T`. @throws RequestValidationError if it does not fit.
  template <class T>
  [[nodiscard]] T json_as() const {
    auto r = schema::decode_json<T>(body);
    if (!r)
      throw RequestValidationError(std::move(r.errors));
    return std::move(*r.value);
  }
};

class TestClient;

/// One request being built: `client.post("/items").json(item).header("X-Token", "t").send()`.
class RequestBuilder {
 public:
  /// A `method` request for `target` (path and query: `/items/5?q=x`), with `Host: testserver`.
  RequestBuilder(TestClient& client, std::string method, std::string target);

  /// Adds a header field (`Host` replaces the default one).
  RequestBuilder& header(std::string name, std::string value);
  /// Appends `key=value` to the query string, percent-encoded.
  RequestBuilder& query(std::string_view key, std::string_view value);
  /// Sends a cookie with this request only (the client's jar is added too).
  RequestBuilder& cookie(std::string name, std::string value);
  /// A JSON body (`Content-Type: application/json`).
  RequestBuilder& json(const boost::json::value& body);
  /// Encoded with the default `encode_options`, so `Secret`s are sent masked: send a login's
  /// password through `json(boost::json::value)`.
  template <class T>
  requires(!std::is_convertible_v<const T&, boost::json::value>)
      RequestBuilder& json(const T& model) {
    return json(schema::encode(model));
  }
  /// An `application/x-www-form-urlencoded` body.
  RequestBuilder& form(const std::vector<std::pair<std::string, std::string>>& fields);
  /// A text part of a `multipart/form-data` body (parts are sent in the order added).
  RequestBuilder& field(std::string name, std::string value);
  /// A file part of a `multipart/form-data` body.
  RequestBuilder& file(std::string name, std::string filename, std::string content,
                       std::string content_type = "application/octet-stream");
  /// Replaces an earlier body and its `Content-Type`; `field` and `file` parts replace it at
  /// `send()`.
  RequestBuilder& body(std::string bytes, std::string content_type);
  /// Runs the request through the application, then its background tasks and dependency
  /// exits, before returning.
  TestResponse send();

 private:
  TestClient& client_;
  Request request_;
  std::vector<std::pair<std::string, std::string>> cookies_;
  struct part {
    std::string name, filename, content, content_type;
    bool is_file = false;
  };
  std::vector<part> parts_;
};

/// Drives an `App` in-process. Construction runs the app's startup hooks, destruction its
/// shutdown hooks. Cookies set by responses are kept and sent with later requests.
///
/// @code
/// vivace::testing::TestClient client(app);
/// auto r = client.get("/items/5").query("q", "x").send();
/// CHECK(r.status == 200);
/// @endcode
class TestClient {
 public:
  /// Runs `app`'s startup hooks. `app` must outlive the client.
  explicit TestClient(App& app);
  ~TestClient();
  TestClient(const TestClient&) = delete;
  TestClient& operator=(const TestClient&) = delete;

  /// A `GET` request for `target` (path and query), to complete and `send()`.
  RequestBuilder get(std::string target) { return {*this, "GET", std::move(target)}; }
  /// To complete with a body (`json`, `form`, `field`, `file`) and `send()`.
  RequestBuilder post(std::string target) { return {*this, "POST", std::move(target)}; }
  /// As `post`: complete it with a body and `send()`.
  RequestBuilder put(std::string target) { return {*this, "PUT", std::move(target)}; }
  /// As `post`; a `Patch<T>` member left out of the body stays unset.
  RequestBuilder patch(std::string target) { return {*this, "PATCH", std::move(target)}; }
  /// A `DELETE` request for `target` (`delete` is a keyword).
  RequestBuilder delete_(std::string target) { return {*this, "DELETE", std::move(target)}; }
  /// `GET` routes answer it; the body comes back empty, as a client would see it.
  RequestBuilder head(std::string target) { return {*this, "HEAD", std::move(target)}; }
  /// Without an `OPTIONS` route, the app answers it with `Allow`.
  RequestBuilder options(std::string target) { return {*this, "OPTIONS", std::move(target)}; }
  /// A request with any method token.
  RequestBuilder request(std::string method, std::string target) {
    return {*this, std::move(method), std::move(target)};
  }

  /// The cookie jar: name → value.
  [[nodiscard]] std::map<std::string, std::string>& cookies() noexcept { return cookies_; }

  /// Runs a prepared request (used by `RequestBuilder::send`).
  TestResponse run(Request req);

 private:
  struct impl;
  App& app_;
  std::unique_ptr<impl> impl_;
  std::map<std::string, std::string> cookies_;
};

}  // namespace vivace::testing
