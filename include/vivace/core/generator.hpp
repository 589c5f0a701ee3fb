#pragma once
/// @file
/// `Generator<T>`: a synchronous coroutine that produces values with `co_yield`, one at a
/// time (the body of a `StreamingResponse`, for example).

#include <coroutine>
#include <exception>
#include <optional>
#include <utility>

namespace vivace {

/// A lazily evaluated sequence: the coroutine runs up to its next `co_yield` each time
/// `next()` is called. Move-only; destroying it destroys the coroutine (and its locals).
///
/// @code
/// vivace::Generator<std::string> lines() {
///   for (int i = 0; i < 3; ++i) co_yield std::to_string(i) + "\n";
/// }
/// @endcode
template <class T>
class Generator {
 public:
  /// @cond detail
  struct promise_type {
    std::optional<T> current{};
    std::exception_ptr error{};

    Generator get_return_object() noexcept {
      return Generator{std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() const noexcept { return {}; }
    std::suspend_always final_suspend() const noexcept { return {}; }
    std::suspend_always yield_value(T value) {
      current = std::move(value);
      return {};
    }
    void return_void() const noexcept {}
    void unhandled_exception() noexcept { error = std::current_exception(); }
  };

  /// @endcond
  /// `other` is left finished: its `next()` returns `std::nullopt`.
  Generator(Generator&& other) noexcept : h_(std::exchange(other.h_, {})) {}
  /// Destroys this coroutine (and its locals) first; `other` is left finished.
  Generator& operator=(Generator&& other) noexcept {
    if (this != &other) {
      reset();
      h_ = std::exchange(other.h_, {});
    }
    return *this;
  }
  Generator(const Generator&) = delete;
  Generator& operator=(const Generator&) = delete;
  ~Generator() { reset(); }

  /// Runs to the next `co_yield` and returns its value; `std::nullopt` once the coroutine
  /// has finished. Rethrows what the coroutine throws.
  std::optional<T> next() {
    if (!h_ || h_.done())
      return std::nullopt;
    auto& p = h_.promise();
    p.current.reset();
    h_.resume();
    if (p.error)
      std::rethrow_exception(std::exchange(p.error, {}));
    if (h_.done())
      return std::nullopt;
    return std::move(p.current);
  }

 private:
  explicit Generator(std::coroutine_handle<promise_type> h) noexcept : h_(h) {}
  void reset() noexcept {
    if (h_)
      h_.destroy();
    h_ = {};
  }
  std::coroutine_handle<promise_type> h_{};
};

}  // namespace vivace
