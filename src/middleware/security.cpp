#include "vivace/middleware/security.hpp"

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <mutex>
#include <unordered_map>

#include <boost/regex.hpp>

#include "vivace/core/uuid.hpp"

namespace vivace::middleware {

namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) {
    if (!out.empty())
      out += ", ";
    out += i;
  }
  return out;
}

bool contains_ci(const std::vector<std::string>& list, std::string_view item) {
  return std::any_of(list.begin(), list.end(), [&](const auto& x) { return iequals(x, item); });
}

std::vector<std::string> split_list(std::string_view v) {
  std::vector<std::string> out;
  while (!v.empty()) {
    auto comma = v.find(',');
    auto item = trim_ows(v.substr(0, comma));
    if (!item.empty())
      out.emplace_back(item);
    v = comma == std::string_view::npos ? std::string_view{} : v.substr(comma + 1);
  }
  return out;
}

void add_vary(Headers& h, std::string_view what) {
  auto v = h.get("Vary");
  if (!v) {
    h.set("Vary", std::string{what});
    return;
  }
  for (const auto& item : split_list(*v))
    if (iequals(item, what) || item == "*")
      return;
  h.set("Vary", std::string{*v} + ", " + std::string{what});
}

// The request's host name, without port (IPv6 literals keep their brackets).
std::string_view host_name(const Request& req) {
  auto h = req.headers.get("Host");
  if (!h)
    return {};
  std::string_view v = *h;
  if (!v.empty() && v.front() == '[') {
    auto end = v.find(']');
    return end == std::string_view::npos ? v : v.substr(0, end + 1);
  }
  return v.substr(0, v.find(':'));
}

struct cors_policy {
  CorsOptions o;
  std::optional<boost::regex> origin_regex;
  bool any_origin, any_method, any_header;

  explicit cors_policy(CorsOptions opts) : o(std::move(opts)) {
    if (!o.allow_origin_regex.empty())
      origin_regex.emplace(o.allow_origin_regex);
    any_origin =
        std::find(o.allow_origins.begin(), o.allow_origins.end(), "*") != o.allow_origins.end();
    any_method =
        std::find(o.allow_methods.begin(), o.allow_methods.end(), "*") != o.allow_methods.end();
    any_header =
        std::find(o.allow_headers.begin(), o.allow_headers.end(), "*") != o.allow_headers.end();
  }
  bool origin_allowed(std::string_view origin) const {
    if (any_origin)
      return true;
    if (std::find(o.allow_origins.begin(), o.allow_origins.end(), origin) != o.allow_origins.end())
      return true;
    return origin_regex && boost::regex_match(origin.begin(), origin.end(), *origin_regex);
  }
  // "*" only for any origin without credentials; otherwise the origin itself.
  std::string allow_origin_value(std::string_view origin) const {
    return any_origin && !o.allow_credentials ? std::string{"*"} : std::string{origin};
  }
  bool echoes_origin() const { return !(any_origin && !o.allow_credentials); }
};

bool safelisted_header(std::string_view h) {
  return iequals(h, "Accept") || iequals(h, "Accept-Language") || iequals(h, "Content-Language") ||
         iequals(h, "Content-Type");
}

}  // namespace

Middleware cors(CorsOptions options) {
  auto policy = std::make_shared<const cors_policy>(std::move(options));
  auto before = [policy](Request& req) -> std::optional<Response> {
    const auto& p = *policy;
    auto requested_method = req.headers.get("Access-Control-Request-Method");
    if (req.method != "OPTIONS" || !requested_method)
      return std::nullopt;
    auto origin_header = req.headers.get("Origin");
    if (!origin_header)
      return std::nullopt;
    // A preflight: answered here, the handler never runs.
    const std::string origin(*origin_header);
    const bool allowed = p.origin_allowed(origin);
    std::vector<std::string> problems;
    if (!allowed)
      problems.emplace_back("origin");
    if (!p.any_method && !contains_ci(p.o.allow_methods, *requested_method))
      problems.emplace_back("method");
    std::vector<std::string> requested;
    if (auto h = req.headers.get("Access-Control-Request-Headers"))
      requested = split_list(*h);
    if (!p.any_header)
      for (const auto& h : requested)
        if (!safelisted_header(h) && !contains_ci(p.o.allow_headers, h)) {
          problems.emplace_back("headers");
          break;
        }
    Response r;
    if (!problems.empty()) {
      r = Response::text("Disallowed CORS " + join(problems), 400);
    } else {
      r = Response::text("OK", 200);
      r.headers.set("Access-Control-Allow-Origin", p.allow_origin_value(origin));
      r.headers.set("Access-Control-Allow-Methods",
                    p.any_method ? std::string{*requested_method} : join(p.o.allow_methods));
      if (!requested.empty())
        r.headers.set("Access-Control-Allow-Headers",
                      p.any_header ? join(requested) : join(p.o.allow_headers));
      r.headers.set("Access-Control-Max-Age", std::to_string(p.o.max_age));
      if (p.o.allow_credentials)
        r.headers.set("Access-Control-Allow-Credentials", "true");
    }
    if (p.echoes_origin() || !allowed)
      add_vary(r.headers, "Origin");
    return r;
  };
  // An actual request: the handler answers; allowed origins may read the answer.
  auto after = [policy](Request& req, Response& res) {
    const auto& p = *policy;
    auto origin_header = req.headers.get("Origin");
    if (!origin_header)
      return;
    const std::string origin(*origin_header);
    if (p.origin_allowed(origin)) {
      res.headers.set("Access-Control-Allow-Origin", p.allow_origin_value(origin));
      if (p.o.allow_credentials)
        res.headers.set("Access-Control-Allow-Credentials", "true");
      if (!p.o.expose_headers.empty())
        res.headers.set("Access-Control-Expose-Headers", join(p.o.expose_headers));
    }
    if (p.echoes_origin())
      add_vary(res.headers, "Origin");
  };
  return Middleware::steps(std::move(before), std::move(after));
}

Middleware trusted_host(std::vector<std::string> hosts) {
  return Middleware::steps([hosts = std::move(hosts)](Request& req) -> std::optional<Response> {
    const std::string_view host = host_name(req);
    bool ok = false;
    for (const auto& h : hosts) {
      if (h == "*" || iequals(h, host)) {
        ok = true;
      } else if (h.starts_with("*.")) {
        std::string_view suffix = std::string_view{h}.substr(1);  // ".example.com"
        ok = host.size() > suffix.size() &&
             iequals(host.substr(host.size() - suffix.size()), suffix);
      }
      if (ok)
        break;
    }
    if (!ok)
      return Response::text("Invalid host header", 400);
    return std::nullopt;
  });
}

Middleware https_redirect() {
  return Middleware::steps([](Request& req) -> std::optional<Response> {
    if (req.tls)
      return std::nullopt;
    std::string host(req.headers.get("Host").value_or("localhost"));
    if (host.ends_with(":80"))
      host.resize(host.size() - 3);
    return Response::redirect("https://" + host + req.target, 307);
  });
}

Middleware security_headers(SecurityHeaders options) {
  return Middleware::steps({}, [o = std::move(options)](Request& req, Response& res) {
    auto put = [&](std::string_view name, const std::string& value) {
      if (!value.empty() && !res.headers.contains(name))
        res.headers.set(name, value);
    };
    if (o.nosniff)
      put("X-Content-Type-Options", "nosniff");
    put("X-Frame-Options", o.frame_options);
    put("Referrer-Policy", o.referrer_policy);
    if (req.tls && o.hsts_max_age.count() > 0)
      put("Strict-Transport-Security",
          "max-age=" + std::to_string(o.hsts_max_age.count()) + "; includeSubDomains");
  });
}

namespace {
// Marks a request whose `X-Request-ID` header `request_id()` has set (a value that is not
// owned: nothing to allocate).
constexpr char request_id_key = 0;
constexpr std::string_view request_id_header = "X-Request-ID";

bool sane_request_id(std::string_view id) {
  return !id.empty() && id.size() <= 128 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}
}  // namespace

std::string_view current_request_id(Request& req) {
  if (!req.scope().slots().find(&request_id_key))
    return {};
  return req.headers.get(request_id_header).value_or(std::string_view{});
}

Middleware request_id() {
  auto before = [](Request& req) -> std::optional<Response> {
    auto given = req.headers.get(request_id_header);
    if (!given || !sane_request_id(*given))
      // an id, not a secret: no lock, no system call
      req.headers.set(request_id_header, Uuid::random_fast().to_string());
    req.scope().slots().set(
        &request_id_key,
        std::shared_ptr<void>(std::shared_ptr<void>{}, const_cast<char*>(&request_id_key)));
    return std::nullopt;
  };
  auto after = [](Request& req, Response& res) {
    res.headers.set(request_id_header, std::string(current_request_id(req)));
  };
  return Middleware::steps(std::move(before), std::move(after));
}

namespace {
// q-value of gzip in Accept-Encoding (0 when absent or refused).
double gzip_quality(std::string_view accept) {
  double star = 0, gz = -1;
  for (const auto& item : split_list(accept)) {
    std::string_view v = item;
    auto semi = v.find(';');
    std::string_view coding = v.substr(0, semi);
    while (!coding.empty() && coding.back() == ' ')
      coding.remove_suffix(1);
    double q = 1;
    if (semi != std::string_view::npos) {
      auto qpos = v.find("q=", semi);
      if (qpos != std::string_view::npos)
        q = std::atof(std::string(v.substr(qpos + 2)).c_str());
    }
    if (iequals(coding, "gzip"))
      gz = q;
    else if (coding == "*")
      star = q;
  }
  return gz >= 0 ? gz : star;
}

bool compressible(std::string_view content_type) {
  for (std::string_view skip :
       {"image/", "audio/", "video/", "font/woff", "application/zip", "application/gzip",
        "application/x-gzip", "application/octet-stream", "application/pdf", "application/x-7z",
        "application/x-rar", "application/x-bzip"})
    if (content_type.size() >= skip.size() && iequals(content_type.substr(0, skip.size()), skip))
      return content_type.starts_with("image/svg");
  return true;
}

std::optional<std::string> gzip_compress(std::string_view in, int level) {
  z_stream zs{};
  if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return std::nullopt;
  std::string out(deflateBound(&zs, static_cast<uLong>(in.size())), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END)
    return std::nullopt;
  return out;
}
}  // namespace

Middleware gzip(GzipOptions options) {
  return Middleware::steps({}, [o = options](Request& req, Response& res) {
    const double q = gzip_quality(req.headers.get("Accept-Encoding").value_or(""));
    add_vary(res.headers, "Accept-Encoding");
    if (q <= 0 || res.stream || res.body.size() < o.minimum_size ||
        res.headers.contains("Content-Encoding") ||
        !compressible(res.headers.get("Content-Type").value_or("")) || res.status == 206)
      return;
    if (auto z = gzip_compress(res.body, o.level); z && z->size() < res.body.size()) {
      res.body = std::move(*z);
      res.headers.set("Content-Encoding", "gzip");
    }
  });
}

namespace {
class memory_store final : public RateLimitStore {
 public:
  std::optional<std::chrono::milliseconds> take(
      const std::string& key, double rate, double burst,
      std::chrono::steady_clock::time_point now) override {
    std::lock_guard lock(mu_);
    if (buckets_.size() > 100000)
      sweep(now, rate, burst);
    auto [it, fresh] = buckets_.try_emplace(key, bucket{burst, now});
    auto& b = it->second;
    if (!fresh) {
      const double elapsed = std::chrono::duration<double>(now - b.last).count();
      b.tokens = std::min(burst, b.tokens + std::max(0.0, elapsed) * rate);
      b.last = now;
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return std::nullopt;
    }
    const double wait = (1 - b.tokens) / rate;
    return std::chrono::milliseconds(static_cast<long long>(std::ceil(wait * 1000)));
  }

 private:
  struct bucket {
    double tokens;
    std::chrono::steady_clock::time_point last;
  };
  // Buckets that have refilled completely carry no state worth keeping.
  void sweep(std::chrono::steady_clock::time_point now, double rate, double burst) {
    std::erase_if(buckets_, [&](const auto& kv) {
      return kv.second.tokens +
                 std::chrono::duration<double>(now - kv.second.last).count() * rate >=
             burst;
    });
  }
  std::mutex mu_;
  std::unordered_map<std::string, bucket> buckets_;
};
}  // namespace

std::shared_ptr<RateLimitStore> memory_rate_limit_store() {
  return std::make_shared<memory_store>();
}

RateLimiter::RateLimiter(Options options) : o_(std::move(options)) {
  if (!o_.store)
    o_.store = memory_rate_limit_store();
}

std::optional<std::chrono::milliseconds> RateLimiter::take(const std::string& key) const {
  return o_.store->take(key, o_.requests_per_second, o_.burst, o_.clock());
}

namespace {
std::string retry_after(std::chrono::milliseconds wait) {
  return std::to_string((wait.count() + 999) / 1000);
}
}  // namespace

void RateLimiter::check(const std::string& key) const {
  if (auto wait = take(key))
    throw HTTPException(429, "Too Many Requests", {{"Retry-After", retry_after(*wait)}});
}

Middleware rate_limit(RateLimitOptions options) {
  if (!options.key)
    options.key = [](const Request& r) {
      std::string_view a = r.remote_address;
      auto colon = a.rfind(':');
      return std::string(colon == std::string_view::npos ? a : a.substr(0, colon));
    };
  RateLimiter limiter({options.requests_per_second, options.burst, std::move(options.store),
                       std::move(options.clock)});
  return Middleware::steps([limiter = std::move(limiter),
                            key = std::move(options.key)](Request& req) -> std::optional<Response> {
    auto wait = limiter.take(key(req));
    if (!wait)
      return std::nullopt;
    Response r = Response::error(429, "Too Many Requests");
    r.headers.set("Retry-After", retry_after(*wait));
    return r;
  });
}

}  // namespace vivace::middleware
