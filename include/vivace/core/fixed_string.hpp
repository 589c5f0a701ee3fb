#pragma once
/// @file
/// A string usable as a template argument: `Path<"user_id", int>`, `app.get<"/items">`.

#include <algorithm>
#include <cstddef>
#include <string_view>

namespace vivace {

/// A compile-time string literal, structural so that it can be a non-type template argument.
template <std::size_t N>
struct fixed_string {
  /// The characters, with the terminating null.
  char data[N]{};

  /// From a string literal (implicitly, so `"name"` is a template argument).
  constexpr fixed_string(const char (&s)[N]) noexcept { std::copy_n(s, N, data); }

  /// The text without the terminating null.
  [[nodiscard]] constexpr std::string_view view() const noexcept { return {data, N - 1}; }
  /// The length without the terminating null.
  [[nodiscard]] static constexpr std::size_t size() noexcept { return N - 1; }
  /// `view()`, so a `fixed_string` passes where a `std::string_view` is expected.
  constexpr operator std::string_view() const noexcept { return view(); }
};

}  // namespace vivace
