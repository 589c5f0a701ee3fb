// di_bench: what dependency injection costs, in process. The same work — read a token
// header, look the user up, check a permission, answer a small model — is served by four
// routes of one App:
//
//   inline (coroutine)   one Task handler doing everything
//   deps (coroutine)     three nested Task providers: token -> user -> admin, then the handler
//   inline (plain)       one plain handler doing everything
//   deps (plain)         three nested plain providers, then the plain handler
//
// Requests go through App::handle (routing, extraction, dependency resolution, response
// encoding, after-response work) on one thread, without a worker pool (blocking work runs
// inline), so the figures are the CPU cost of the pipeline and nothing else. The cases are
// alternated, `--rounds` times, each run `--requests` long; the median ns per request and the
// ratio deps / inline are printed as a markdown table.
//
// usage: di_bench [--rounds N (7)] [--requests N (200000)]
//        di_bench --serve PORT    serves the same four routes over HTTP on 127.0.0.1:PORT
//                                 (one I/O thread) for bench/di.sh to measure with wrk

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/describe.hpp>
#include <vivace/vivace.hpp>

namespace {

struct User {
  std::int64_t id = 0;
  std::string name;
  bool admin = false;
};

struct Profile {
  std::int64_t id = 0;
  std::string name;
  std::string role;
};
BOOST_DESCRIBE_STRUCT(Profile, (), (id, name, role))

const std::unordered_map<std::string, User>& users() {
  static const std::unordered_map<std::string, User> u = {{"tok-ann", {1, "ann", true}},
                                                          {"tok-bob", {2, "bob", false}}};
  return u;
}

// The work, step by step (shared by both shapes so that only the wiring differs).
std::string check_token(std::string_view raw) {
  if (!raw.starts_with("tok-"))
    throw vivace::HTTPException(401, "Not authenticated");
  return std::string(raw);
}
User find_user(const std::string& token) {
  auto it = users().find(token);
  if (it == users().end())
    throw vivace::HTTPException(401, "Unknown token");
  return it->second;
}
User require_admin(const User& u) {
  if (!u.admin)
    throw vivace::HTTPException(403, "Not enough permissions");
  return u;
}
Profile profile_of(const User& u) {
  return Profile{u.id, u.name, "admin"};
}

// Coroutine providers.
vivace::Task<std::string> token_async(vivace::Header<"X-Token", std::string> t) {
  co_return check_token(*t);
}
vivace::Task<User> user_async(vivace::Depends<token_async> t) {
  co_return find_user(*t);
}
vivace::Task<User> admin_async(vivace::Depends<user_async> u) {
  co_return require_admin(*u);
}

// Plain providers.
std::string token_plain(vivace::Header<"X-Token", std::string> t) {
  return check_token(*t);
}
User user_plain(vivace::Depends<token_plain> t) {
  return find_user(*t);
}
User admin_plain(vivace::Depends<user_plain> u) {
  return require_admin(*u);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

[[noreturn]] void usage() {
  std::fprintf(stderr, "usage: di_bench [--rounds N] [--requests N] | --serve PORT\n");
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = 7;
  long requests = 200000;
  int serve_port = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (i + 1 >= argc)
      usage();
    if (a == "--rounds")
      rounds = std::atoi(argv[++i]);
    else if (a == "--requests")
      requests = std::atol(argv[++i]);
    else if (a == "--serve")
      serve_port = std::atoi(argv[++i]);
    else
      usage();
  }
  if (rounds < 1 || requests < 1)
    usage();

  vivace::App app;
  app.get<"/inline-async">([](vivace::Header<"X-Token", std::string> t) -> vivace::Task<Profile> {
    co_return profile_of(require_admin(find_user(check_token(*t))));
  });
  app.get<"/deps-async">(
      [](vivace::Depends<admin_async> u) -> vivace::Task<Profile> { co_return profile_of(*u); });
  app.get<"/inline-plain">([](vivace::Header<"X-Token", std::string> t) {
    return profile_of(require_admin(find_user(check_token(*t))));
  });
  app.get<"/deps-plain">([](vivace::Depends<admin_plain> u) { return profile_of(*u); });

  if (serve_port > 0) {
    vivace::ServerConfig cfg;
    cfg.port = static_cast<std::uint16_t>(serve_port);
    cfg.threads = 1;
    app.run(cfg);
    return 0;
  }

  boost::asio::io_context ioc;
  // Runs `n` requests to `target`; returns ns per request; checks every answer.
  auto run = [&](const std::string& target, long n) {
    double ns = 0;
    bool ok = true;
    boost::asio::co_spawn(
        ioc,
        [&]() -> vivace::Task<void> {
          const auto start = std::chrono::steady_clock::now();
          for (long i = 0; i < n; ++i) {
            vivace::Request req;
            req.method = "GET";
            req.target = target;
            req.headers.add("Host", "bench");
            req.headers.add("X-Token", "tok-ann");
            vivace::Response res = co_await app.handle(req);
            co_await finish_request(req);
            ok = ok && res.status == 200 && res.body == R"({"id":1,"name":"ann","role":"admin"})";
          }
          ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start)
                   .count() /
               static_cast<double>(n);
        },
        boost::asio::detached);
    ioc.restart();
    ioc.run();
    if (!ok) {
      std::fprintf(stderr, "di_bench: %s answered something else\n", target.c_str());
      std::exit(1);
    }
    return ns;
  };

  const std::vector<std::string> targets = {"/inline-async", "/deps-async", "/inline-plain",
                                            "/deps-plain"};
  std::vector<std::vector<double>> ns(targets.size());
  for (const auto& t : targets)
    run(t, requests / 10);  // warm-up
  for (int r = 0; r < rounds; ++r)
    for (std::size_t i = 0; i < targets.size(); ++i) {
      ns[i].push_back(run(targets[i], requests));
      std::fprintf(stderr, "round %d %-14s %8.1f ns/request\n", r + 1, targets[i].c_str(),
                   ns[i].back());
    }

  std::printf("| handler | inline, ns/request | 3 nested deps, ns/request | ratio |\n");
  std::printf("|---|---|---|---|\n");
  const char* kinds[] = {"coroutine (Task)", "plain"};
  for (std::size_t k = 0; k < 2; ++k) {
    const double a = median(ns[2 * k]), b = median(ns[2 * k + 1]);
    std::printf("| %s | %.0f | %.0f | %.2f |\n", kinds[k], a, b, b / a);
  }
  std::printf("\nmedians of %d rounds of %ld requests each\n", rounds, requests);
}
