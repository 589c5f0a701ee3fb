#pragma once
/// @file
/// Path templates (`/users/{user_id}/files/{rest:path}`) parsed and checked at compile time.

#include <array>
#include <cstddef>
#include <string_view>

#include "vivace/core/fixed_string.hpp"

namespace vivace::routing {

/// What is wrong with a path template, if anything.
enum class template_error {
  none,
  no_leading_slash,     ///< must start with '/'
  unbalanced_brace,     ///< '{' without '}' or a stray '}'
  empty_name,           ///< `{}`
  bad_name,             ///< names are [A-Za-z_][A-Za-z0-9_]*
  unknown_converter,    ///< only `{name}` and `{name:path}`
  partial_segment,      ///< a parameter must be a whole segment: `/a{b}` is not allowed
  path_not_last,        ///< `{name:path}` must be the last segment
  duplicate_name,       ///< the same name twice
  too_many_parameters,  ///< more than 16
};

/// The result of analysing a template: parameter names, in order, and any error.
struct template_info {
  /// The most parameters one template may have.
  static constexpr std::size_t max_params = 16;
  /// What is wrong; `none` for a valid template (the other members are then complete).
  template_error error = template_error::none;
  /// Parameters found before any `error`: all of them only when `error` is `none`.
  std::size_t count = 0;
  /// The parameter names, in order (the first `count`).
  std::array<std::string_view, max_params> names{};
  /// Whether the last segment is `{name:path}`.
  bool has_catch_all = false;

  /// Among the first `count` names only, compared exactly (case included).
  [[nodiscard]] constexpr bool has(std::string_view name) const noexcept {
    for (std::size_t i = 0; i < count; ++i)
      if (names[i] == name)
        return true;
    return false;
  }
};

/// Whether `c` may start a parameter name: a letter or `_`.
[[nodiscard]] constexpr bool is_name_start(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
/// Whether `c` may continue a parameter name: a letter, a digit or `_`.
[[nodiscard]] constexpr bool is_name_char(char c) noexcept {
  return is_name_start(c) || (c >= '0' && c <= '9');
}

/// `s.find(c, from)` as a plain loop: GCC's UBSan instrumentation makes the library's
/// pointer-returning search non-constant on template-argument strings.
[[nodiscard]] constexpr std::size_t find_char(std::string_view s, char c,
                                              std::size_t from = 0) noexcept {
  for (std::size_t i = from; i < s.size(); ++i)
    if (s[i] == c)
      return i;
  return std::string_view::npos;
}

/// Analyses a template; usable at compile time and at run time (the matcher uses it too).
[[nodiscard]] constexpr template_info analyse_template(std::string_view t) noexcept {
  template_info info;
  auto fail = [&](template_error e) {
    info.error = e;
    return info;
  };
  if (t.empty() || t[0] != '/')
    return fail(template_error::no_leading_slash);
  std::size_t i = 0;
  while (i < t.size()) {
    // t[i] == '/': one segment runs to the next '/'.
    std::size_t end = find_char(t, '/', i + 1);
    if (end == std::string_view::npos)
      end = t.size();
    std::string_view seg = t.substr(i + 1, end - i - 1);
    auto open = find_char(seg, '{');
    auto close = find_char(seg, '}');
    if (open == std::string_view::npos && close == std::string_view::npos) {
      i = end;
      continue;
    }
    if (open == std::string_view::npos || close == std::string_view::npos || close < open ||
        find_char(seg, '{', open + 1) != std::string_view::npos ||
        find_char(seg, '}', close + 1) != std::string_view::npos)
      return fail(template_error::unbalanced_brace);
    if (open != 0 || close != seg.size() - 1)
      return fail(template_error::partial_segment);
    std::string_view inner = seg.substr(1, seg.size() - 2);
    std::string_view name = inner.substr(0, find_char(inner, ':'));
    std::string_view conv = find_char(inner, ':') == std::string_view::npos
                                ? std::string_view{}
                                : inner.substr(name.size() + 1);
    if (name.empty())
      return fail(template_error::empty_name);
    if (!is_name_start(name[0]))
      return fail(template_error::bad_name);
    for (char c : name)
      if (!is_name_char(c))
        return fail(template_error::bad_name);
    if (!conv.empty() && conv != "path")
      return fail(template_error::unknown_converter);
    if (find_char(inner, ':') != std::string_view::npos && conv.empty())
      return fail(template_error::unknown_converter);
    if (info.has(name))
      return fail(template_error::duplicate_name);
    if (info.count == template_info::max_params)
      return fail(template_error::too_many_parameters);
    if (conv == "path") {
      if (end != t.size())
        return fail(template_error::path_not_last);
      info.has_catch_all = true;
    }
    info.names[info.count++] = name;
    i = end;
  }
  return info;
}

/// A template checked at compile time; a malformed one fails to compile with a message
/// naming the rule.
template <fixed_string Path>
struct path_template {
  /// `info.error` is always `none` here: any other value fails to compile below.
  static constexpr template_info info = analyse_template(Path.view());
  static_assert(info.error != template_error::no_leading_slash,
                "vivace: a route path must start with '/'");
  static_assert(info.error != template_error::unbalanced_brace,
                "vivace: unbalanced '{' or '}' in a route path");
  static_assert(info.error != template_error::empty_name,
                "vivace: '{}' in a route path needs a parameter name, e.g. '{item_id}'");
  static_assert(info.error != template_error::bad_name,
                "vivace: path parameter names are C++ identifiers: [A-Za-z_][A-Za-z0-9_]*");
  static_assert(info.error != template_error::unknown_converter,
                "vivace: the only path converter is ':path' ('{name:path}'); the parameter's "
                "C++ type (Path<\"name\", int>) chooses the conversion");
  static_assert(info.error != template_error::partial_segment,
                "vivace: a path parameter must be a whole segment: '/files/{name}', not "
                "'/files/x{name}'");
  static_assert(info.error != template_error::path_not_last,
                "vivace: '{name:path}' must be the last segment of a route path");
  static_assert(info.error != template_error::duplicate_name,
                "vivace: a path parameter name appears twice in a route path");
  static_assert(info.error != template_error::too_many_parameters,
                "vivace: a route path may have at most 16 parameters");
};

}  // namespace vivace::routing
