#pragma once
/// @file
/// A small, thread-safe logging hook. Messages go to stderr unless a sink is installed.

#include <functional>
#include <string_view>

#include <boost/describe/enum.hpp>

namespace vivace::log {

/// The severity of a message, lowest first.
enum class level { debug, info, warning, error };
BOOST_DESCRIBE_ENUM(level, debug, info, warning, error)

/// Receives every message at or above the threshold. Must be thread-safe.
using sink = std::function<void(level, std::string_view)>;

/// Replaces the sink (an empty function restores stderr). Call before the server starts.
void set_sink(sink s);
/// Messages below this level are dropped (default: info).
void set_level(level l) noexcept;
/// Whether a message at `l` would be written: build costly messages only when it is.
[[nodiscard]] bool enabled(level l) noexcept;
/// Writes `message` at `l` to the sink, or to stderr with a UTC time stamp and the level,
/// unless `l` is below the threshold. A sink is called one message at a time. stderr is
/// buffered off the caller's thread: a line is appended under a short lock and written out
/// within 20 ms by a thread of the logger (warnings and errors at once, after the lines before
/// them; what remains at exit is written then), so that an access log line costs no system
/// call on the request's path.
void write(level l, std::string_view message);

/// Dropped unless `set_level(level::debug)`: check `enabled` before building a costly `m`.
inline void debug(std::string_view m) {
  write(level::debug, m);
}
/// The default threshold: written unless `set_level` raised it.
inline void info(std::string_view m) {
  write(level::info, m);
}
/// On stderr, written out at once rather than within 20 ms as lower levels are.
inline void warning(std::string_view m) {
  write(level::warning, m);
}
/// Never dropped by `set_level`; on stderr, written out at once.
inline void error(std::string_view m) {
  write(level::error, m);
}

}  // namespace vivace::log
