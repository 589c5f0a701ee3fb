#pragma once
/// @file
/// A small, thread-safe logging hook. Messages go to stderr unless a sink is installed.

#include <functional>
#include <string_view>

namespace vivace::log {

enum class level { debug, info, warning, error };

/// Receives every message at or above the threshold. Must be thread-safe.
using sink = std::function<void(level, std::string_view)>;

/// Replaces the sink (an empty function restores stderr). Call before the server starts.
void set_sink(sink s);
/// Messages below this level are dropped (default: info).
void set_level(level l) noexcept;
[[nodiscard]] bool enabled(level l) noexcept;
void write(level l, std::string_view message);

inline void debug(std::string_view m) {
  write(level::debug, m);
}
inline void info(std::string_view m) {
  write(level::info, m);
}
inline void warning(std::string_view m) {
  write(level::warning, m);
}
inline void error(std::string_view m) {
  write(level::error, m);
}

}  // namespace vivace::log
