#include "vivace/core/log.hpp"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <string>
#include <thread>

namespace vivace::log {

namespace {
std::mutex sink_mutex;
sink current_sink;
std::atomic<bool> have_sink{false};  // lets the default path skip sink_mutex
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
  have_sink.store(static_cast<bool>(current_sink));
}

void set_level(level l) noexcept {
  threshold.store(static_cast<int>(l));
}

bool enabled(level l) noexcept {
  return static_cast<int>(l) >= threshold.load();
}

namespace {
// stderr through a buffer that a thread of its own writes out: a request's log line costs an
// append under a short lock, not a write(2) on the request's thread. Lines reach stderr
// within `delay`, warnings and errors at once (with what was buffered before them, in order),
// and what is left at exit is written then. A process killed with SIGKILL may lose the last
// `delay` of info lines.
class buffered_stderr {
 public:
  static buffered_stderr& get() {
    static auto* instance = [] {
      auto* p = new buffered_stderr;  // never destroyed: logging works in static destructors
      std::atexit([] { instance_flush(); });
      return p;
    }();
    return *instance;
  }

  /// Appends one line, `stamp level message`, formatted straight into the buffer.
  void append(level l, std::string_view stamp, std::string_view name, std::string_view message) {
    std::unique_lock lock(m_);
    const bool was_empty = buf_.empty();
    buf_ += stamp;
    buf_ += ' ';
    buf_ += name;
    buf_.append(name.size() < 7 ? 7 - name.size() : 0, ' ');
    buf_ += ' ';
    buf_ += message;
    buf_ += '\n';
    // Warnings at once; a buffer too large for the writer to keep up is written here (the
    // caller waits, so memory stays bounded).
    if (l >= level::warning || buf_.size() >= hard_limit) {
      flush_locked(lock);
      return;
    }
    if (buf_.size() >= soft_limit && !urgent_) {
      urgent_ = true;  // the writer stops gathering
      cv_.notify_one();
    } else if (was_empty) {
      cv_.notify_one();
    }
  }

  void flush() {
    std::unique_lock lock(m_);
    flush_locked(lock);
  }

 private:
  static void instance_flush() { get().flush(); }

  buffered_stderr() {
    std::thread([this] {
      std::unique_lock lock(m_);
      for (;;) {
        cv_.wait(lock, [&] { return !buf_.empty(); });
        cv_.wait_for(lock, delay, [&] { return urgent_; });  // gather more lines
        flush_locked(lock);
      }
    }).detach();
  }

  // Writes the buffer out, in order with any other flush (one writer at a time).
  void flush_locked(std::unique_lock<std::mutex>& lock) {
    while (writing_)
      cv_done_.wait(lock);
    if (buf_.empty())
      return;
    writing_ = true;
    urgent_ = false;
    std::string out;
    out.swap(buf_);
    buf_.swap(spare_);  // appends go on into the spare buffer's memory, not a new one
    lock.unlock();
    std::size_t done = 0;
    while (done < out.size()) {
      const auto n = ::write(2, out.data() + done, out.size() - done);
      if (n <= 0) {
        if (n < 0 && errno == EINTR)
          continue;
        break;  // stderr closed or full: drop the rest rather than block the server
      }
      done += static_cast<std::size_t>(n);
    }
    lock.lock();
    out.clear();
    spare_.swap(out);  // this buffer's memory is the next spare
    writing_ = false;
    cv_done_.notify_all();
  }

  static constexpr std::chrono::milliseconds delay{20};
  static constexpr std::size_t soft_limit = 64 * 1024;        // wake the writer
  static constexpr std::size_t hard_limit = 4 * 1024 * 1024;  // write on the caller's thread
  std::mutex m_;
  std::condition_variable cv_, cv_done_;
  std::string buf_, spare_;
  bool writing_ = false;
  bool urgent_ = false;  // the buffer passed soft_limit: write it without waiting for `delay`
};

// "2026-01-02T03:04:05Z", formatted once per second per thread.
std::string_view stamp() {
  thread_local std::time_t last = -1;
  thread_local char text[32];
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  if (now != last) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    last = now;
  }
  return text;
}
}  // namespace

void write(level l, std::string_view message) {
  if (!enabled(l))
    return;
  if (have_sink.load()) {
    std::lock_guard lock(sink_mutex);
    if (current_sink) {
      current_sink(l, message);
      return;
    }
  }
  buffered_stderr::get().append(l, stamp(), name_of(l), message);
}

}  // namespace vivace::log
