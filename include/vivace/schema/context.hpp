#pragma once
/// @file
/// The state of one decode: where we are (`loc`) and every error found so far.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include "vivace/core/errors.hpp"

namespace vivace::schema {

/// Limits that keep hostile input harmless.
struct decode_limits {
  std::size_t max_depth = 64;                ///< nesting of arrays and objects
  std::size_t max_bytes = 16 * 1024 * 1024;  ///< JSON text longer than this is refused
  std::size_t max_echo_bytes = 64 * 1024;    ///< larger inputs are summarised in errors
};

/// Collects errors with their location while the decoder walks a value.
class decode_context {
 public:
  /// Starts at `base_loc` (`["body"]`, `["query", "limit"]`) with no errors.
  explicit decode_context(boost::json::array base_loc = {}, decode_limits limits = {})
      : loc_(std::move(base_loc)), limits_(limits) {}

  /// A context for trying one alternative of a union at the current place: same limits and
  /// depth, its own errors.
  [[nodiscard]] decode_context branch(std::string_view name) const {
    decode_context c(loc_, limits_);
    c.loc_.emplace_back(name);
    c.depth_ = depth_;
    return c;
  }

  /// Records an error at the current location. An object or array input larger than
  /// `max_echo_bytes` is not copied into the error (a missing field's input is its whole
  /// enclosing object, and a large body must not turn into a many times larger 422).
  void error(std::string_view type, std::string msg, const boost::json::value& input,
             boost::json::value ctx = nullptr);

  /// Descends into an object member: `key` is appended to `loc`.
  void push(std::string_view key) { loc_.emplace_back(key); }
  /// Descends into an array item: `index` is appended to `loc`.
  void push(std::size_t index) { loc_.emplace_back(index); }
  /// Leaves what the last `push` entered.
  void pop() { loc_.pop_back(); }
  /// The current location, as errors report it.
  [[nodiscard]] const boost::json::array& loc() const noexcept { return loc_; }

  /// Enters one level of nesting; false (with an error) past the depth limit.
  bool enter(const boost::json::value& input);
  /// Leaves the level a successful `enter` entered.
  void leave() noexcept { --depth_; }

  /// The errors recorded so far, in order (mutable: callers may move them elsewhere).
  [[nodiscard]] std::vector<ValidationError>& errors() noexcept { return errors_; }
  /// Compare it before and after a call to find the errors that call recorded.
  [[nodiscard]] std::size_t error_count() const noexcept { return errors_.size(); }

 private:
  boost::json::array loc_;
  std::vector<ValidationError> errors_;
  decode_limits limits_;
  std::size_t depth_ = 0;
  const boost::json::value* last_large_ = nullptr;  // the last input found too large to echo
};

}  // namespace vivace::schema
