#pragma once
/// @file
/// The settings `serve`'s flags stand for, to derive an application's settings from. Light on
/// purpose (no server, no app): a settings header includes it.

#include <optional>
#include <string>

#include <boost/describe.hpp>

#include "vivace/core/log.hpp"
#include "vivace/schema/constraints.hpp"
#include "vivace/schema/model.hpp"

namespace vivace {
struct ServerConfig;
}

namespace vivace::cli {

/// `HOST`, `PORT`, `WORKERS` and `LOG_LEVEL`, each with a default (`--host`, `--port`,
/// `--workers`, `--log-level` of `Program::serve`). Derive from it and name it among the
/// bases: `BOOST_DESCRIBE_STRUCT(Settings, (vivace::cli::ServerSettings), (...))`.
struct ServerSettings {
  std::string host = "127.0.0.1";     ///< the address to bind (`0.0.0.0` in a container)
  Int<ge<0>, le<65535>> port = 8000;  ///< 0 picks a free port
  /// I/O threads; one per core when not set.
  std::optional<Int<ge<1>, le<256>>> workers;
  log::level log_level = log::level::info;  ///< the lowest level logged

  /// A `ServerConfig` with the host, port and threads set from these settings (include
  /// `vivace/server/server.hpp` to call it).
  [[nodiscard]] ServerConfig server_config() const;
};
BOOST_DESCRIBE_STRUCT(ServerSettings, (), (host, port, workers, log_level))
/// Every member has a default.
inline schema::model_options vivace_model(const ServerSettings*) {
  return {.name = "ServerSettings", .all_defaulted = true};
}

}  // namespace vivace::cli
