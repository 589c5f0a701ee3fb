// The default log destination: stderr through a buffer written by a thread of its own.

#include "vivace/core/log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

using namespace vivace;

namespace {
// fd 2 into a temporary file while it lives.
class captured_stderr {
 public:
  captured_stderr() {
    char name[] = "/tmp/vivace-log-test-XXXXXX";
    fd_ = ::mkstemp(name);
    path_ = name;
    saved_ = ::dup(2);
    ::dup2(fd_, 2);
  }
  ~captured_stderr() {
    ::dup2(saved_, 2);
    ::close(saved_);
    ::close(fd_);
    std::remove(path_.c_str());
  }
  captured_stderr(const captured_stderr&) = delete;
  captured_stderr& operator=(const captured_stderr&) = delete;
  [[nodiscard]] std::string text() const {
    std::ifstream in(path_);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  // Waits up to `limit` for `part` to appear.
  [[nodiscard]] bool shows(const std::string& part, std::chrono::milliseconds limit) const {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
      if (text().find(part) != std::string::npos)
        return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return text().find(part) != std::string::npos;
  }

 private:
  int fd_ = -1, saved_ = -1;
  std::string path_;
};
}  // namespace

TEST_CASE("log: warnings are written at once, after the info lines before them, in order",
          "[log]") {
  log::set_level(log::level::info);
  captured_stderr err;
  log::info("first line");
  log::info("second line");
  log::warning("third line");
  // Nothing waits here: a warning is on stderr when the call returns, with what came before.
  const auto text = err.text();
  const auto a = text.find("INFO    first line\n");
  const auto b = text.find("INFO    second line\n");
  const auto c = text.find("WARNING third line\n");
  REQUIRE(a != std::string::npos);
  REQUIRE(b != std::string::npos);
  REQUIRE(c != std::string::npos);
  CHECK(a < b);
  CHECK(b < c);
}

TEST_CASE("log: info lines arrive soon, whole and in order, also past the buffer's size", "[log]") {
  log::set_level(log::level::info);
  captured_stderr err;
  log::info("a lone line");
  CHECK(err.shows("a lone line\n", std::chrono::seconds(2)));
  // Far more than one buffer's worth: every line once, in order, none cut.
  const std::string pad(200, 'x');
  for (int i = 0; i < 2000; ++i)
    log::info("line " + std::to_string(i) + " " + pad);
  REQUIRE(err.shows("line 1999 " + pad + "\n", std::chrono::seconds(5)));
  const auto text = err.text();
  std::size_t at = 0;
  for (int i = 0; i < 2000; ++i) {
    const auto next = text.find("INFO    line " + std::to_string(i) + " " + pad + "\n", at);
    REQUIRE(next != std::string::npos);
    at = next + 1;
  }
}
