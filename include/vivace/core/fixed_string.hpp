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
  char data[N]{};

  constexpr fixed_string(const char (&s)[N]) noexcept { std::copy_n(s, N, data); }

  [[nodiscard]] constexpr std::string_view view() const noexcept { return {data, N - 1}; }
  [[nodiscard]] static constexpr std::size_t size() noexcept { return N - 1; }
  constexpr operator std::string_view() const noexcept { return view(); }
};

}  // namespace vivace
