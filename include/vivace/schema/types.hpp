#pragma once
/// @file
/// Ready-made string formats: e-mail, URL, date and date-time (RFC 3339).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vivace {

/// An e-mail address (`local@domain`), domain lower-cased. JSON Schema `format: email`.
struct Email {
  /// The address, domain lower-cased.
  std::string value;

  /// The normalised address, or the reason it is not one.
  [[nodiscard]] static std::optional<Email> parse(std::string_view text,
                                                  std::string* why = nullptr);
  /// Compares `value` as it is: only `parse` lower-cases the domain, so build with it.
  friend bool operator==(const Email&, const Email&) = default;
};

/// An absolute URL (`scheme:` required), checked with Boost.URL. JSON Schema `format: uri`.
struct Url {
  /// The URL as given.
  std::string value;

  /// The URL, or nullopt with the reason in `why` (when given): not RFC 3986, no scheme, ...
  [[nodiscard]] static std::optional<Url> parse(std::string_view text, std::string* why = nullptr);
  /// Compares the texts as given: `HTTP://a.example` and `http://a.example` differ.
  friend bool operator==(const Url&, const Url&) = default;
};

/// A calendar date, `YYYY-MM-DD`. JSON Schema `format: date`.
struct Date {
  /// A day that exists when `parse` made it; `ymd.ok()` checks one built by hand.
  std::chrono::year_month_day ymd{};

  /// The date from exactly `YYYY-MM-DD`, or nullopt (including for days that do not exist).
  [[nodiscard]] static std::optional<Date> parse(std::string_view text);
  /// `YYYY-MM-DD`.
  [[nodiscard]] std::string to_string() const;
  /// Compares `ymd`; order dates by their `ymd` (`a.ymd < b.ymd`).
  friend bool operator==(const Date&, const Date&) = default;
};

/// An instant with its UTC offset as sent (RFC 3339: `2024-05-01T12:30:00.25+02:00`).
/// Without an offset the value is naive (no time zone), as pydantic allows.
struct DateTime {
  /// The instant, in UTC, to the microsecond.
  std::chrono::sys_time<std::chrono::microseconds> utc{};
  /// The offset it was written with, in minutes east of UTC; empty for a naive value.
  std::optional<int> offset_minutes{};

  /// `YYYY-MM-DDTHH:MM:SS`, optional fraction (kept to the microsecond), then `Z`, `+HH:MM`,
  /// `-HH:MM` or nothing (naive); `t` or a space may stand for `T`. Nullopt otherwise.
  [[nodiscard]] static std::optional<DateTime> parse(std::string_view text);
  /// Now, in UTC (`Z`).
  [[nodiscard]] static DateTime now();
  /// RFC 3339 in the stored offset (`Z` for UTC), microseconds only when non-zero.
  [[nodiscard]] std::string to_string() const;
  /// Appends `to_string()`'s text to `out` (without a string of its own). The text never
  /// needs JSON escaping.
  void append_text(std::string& out) const;
  /// The same instant written in UTC.
  [[nodiscard]] DateTime to_utc() const {
    return {utc, offset_minutes ? std::optional<int>(0) : std::nullopt};
  }
  /// Equal when the instants and the offsets are (the same instant in two offsets differs).
  friend bool operator==(const DateTime&, const DateTime&) = default;
};

}  // namespace vivace
