#include "vivace/core/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <string>

namespace vivace::log {

namespace {
std::mutex sink_mutex;
sink current_sink;
std::atomic<int> threshold{static_cast<int>(level::info)};

const char* name_of(level l) {
  switch (l) {
    case level::debug:
      return "DEBUG";
    case level::info:
      return "INFO";
    case level::warning:
      return "WARNING";
    case level::error:
      return "ERROR";
  }
  return "INFO";
}
}  // namespace

void set_sink(sink s) {
  std::lock_guard lock(sink_mutex);
  current_sink = std::move(s);
}

void set_level(level l) noexcept {
  threshold.store(static_cast<int>(l));
}

bool enabled(level l) noexcept {
  return static_cast<int>(l) >= threshold.load();
}

void write(level l, std::string_view message) {
  if (!enabled(l))
    return;
  std::lock_guard lock(sink_mutex);
  if (current_sink) {
    current_sink(l, message);
    return;
  }
  auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
  std::fprintf(stderr, "%s %-7s %.*s\n", stamp, name_of(l), static_cast<int>(message.size()),
               message.data());
}

}  // namespace vivace::log
