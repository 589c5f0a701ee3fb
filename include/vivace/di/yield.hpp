#pragma once
/// @file
/// `Yield<T>`: the coroutine type of a provider with cleanup (FastAPI's dependency with
/// `yield`). The provider `co_yield`s its value once; the code after it runs after the
/// response has been sent, and learns whether the request failed.

#include <coroutine>
#include <exception>
#include <stdexcept>
#include <utility>

namespace vivace {

/// What a yield-style provider learns when it resumes after the response.
struct DependencyExit {
  /// The exception the handler (or a later dependency) ended with; null on success.
  std::exception_ptr error{};
  /// Whether the request failed (an exception is held).
  [[nodiscard]] bool failed() const noexcept { return error != nullptr; }
  /// Rethrows the error (to inspect it with `catch`); does nothing on success.
  void rethrow() const {
    if (error)
      std::rethrow_exception(error);
  }
};

/// A provider coroutine that yields one value and resumes for cleanup. The cleanup runs on the
/// worker pool (it may block: commit a transaction, close a file), after the response has been
/// sent and after the background tasks, in reverse order of the dependencies' creation.
///
/// @code
/// vivace::Yield<Session> get_session(vivace::Inject<Pool> pool) {
///   Session s{*pool};
///   auto exit = co_yield s;          // the handler runs here
///   if (exit.failed()) s.rollback(); else s.commit();
/// }
/// @endcode
template <class T>
class Yield {
 public:
  /// @cond detail
  struct promise_type {
    T* value = nullptr;
    DependencyExit exit{};
    std::exception_ptr error{};

    Yield get_return_object() noexcept {
      return Yield{std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() const noexcept { return {}; }
    std::suspend_always final_suspend() const noexcept { return {}; }

    struct resume_with_exit {
      promise_type& p;
      bool await_ready() const noexcept { return false; }
      void await_suspend(std::coroutine_handle<>) const noexcept {}
      DependencyExit await_resume() const noexcept { return p.exit; }
    };
    // A local of the coroutine lives in its frame until the cleanup has run: the handler gets
    // that very object, and the cleanup code after `co_yield` can still use it.
    resume_with_exit yield_value(T& v) noexcept {
      value = &v;
      return {*this};
    }
    // A temporary would be gone by the cleanup (and GCC 12 miscompiles class temporaries
    // that span a co_yield): refused at compile time.
    template <class U = T>
    resume_with_exit yield_value(T&&) {
      static_assert(sizeof(U) == 0,
                    "vivace: co_yield a named local variable from a Yield<T> provider (its "
                    "cleanup code usually needs it), not a temporary");
      return {*this};
    }
    void return_void() const noexcept {}
    void unhandled_exception() noexcept { error = std::current_exception(); }
  };

  /// @endcond
  /// `o` is left empty: its destructor and `exit` then do nothing.
  Yield(Yield&& o) noexcept : h_(std::exchange(o.h_, {})) {}
  Yield& operator=(Yield&&) = delete;
  Yield(const Yield&) = delete;
  ~Yield() {
    if (h_)
      h_.destroy();
  }

  /// Runs the provider up to its `co_yield` and returns the value.
  /// @throws what the provider throws before yielding; std::logic_error if it never yields.
  T& enter() {
    h_.resume();
    auto& p = h_.promise();
    if (p.error)
      std::rethrow_exception(std::exchange(p.error, {}));
    if (h_.done() || !p.value)
      throw std::logic_error("vivace: a Yield<T> provider finished without co_yield");
    return *p.value;
  }
  /// Resumes the provider after its `co_yield` with the request's outcome.
  /// @throws what the cleanup code throws.
  void exit(std::exception_ptr error) {
    if (!h_ || h_.done())
      return;
    auto& p = h_.promise();
    p.exit.error = std::move(error);
    h_.resume();
    if (p.error)
      std::rethrow_exception(std::exchange(p.error, {}));
    if (!h_.done())
      throw std::logic_error("vivace: a Yield<T> provider yielded more than once");
  }

 private:
  explicit Yield(std::coroutine_handle<promise_type> h) noexcept : h_(h) {}
  std::coroutine_handle<promise_type> h_{};
};

}  // namespace vivace
