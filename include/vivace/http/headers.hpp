#pragma once
/// @file
/// An ordered, case-insensitive multimap of HTTP header fields.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vivace/core/text.hpp"

namespace vivace {

/// Header fields in arrival order. Names keep their spelling; look-ups ignore case.
class Headers {
 public:
  /// `first` keeps the name's spelling as added: compare it with `iequals`.
  using field = std::pair<std::string, std::string>;
  /// Invalidated by any change to the fields, as a `std::vector`'s.
  using const_iterator = std::vector<field>::const_iterator;

  /// The first value of `name`, if present.
  [[nodiscard]] std::optional<std::string_view> get(std::string_view name) const noexcept {
    for (const auto& f : fields_)
      if (iequals(f.first, name))
        return std::string_view{f.second};
    return std::nullopt;
  }
  /// Every value of `name`, in order (for repeated headers such as `Set-Cookie`).
  [[nodiscard]] std::vector<std::string_view> get_all(std::string_view name) const {
    std::vector<std::string_view> out;
    for (const auto& f : fields_)
      if (iequals(f.first, name))
        out.emplace_back(f.second);
    return out;
  }
  /// Case-insensitive like every look-up: `contains("content-type")` finds `Content-Type`.
  [[nodiscard]] bool contains(std::string_view name) const noexcept {
    return get(name).has_value();
  }
  /// Appends a field, keeping any existing ones with the same name.
  void add(std::string name, std::string value) {
    fields_.emplace_back(std::move(name), std::move(value));
  }
  /// Replaces every field called `name` with one field.
  void set(std::string_view name, std::string value) {
    erase(name);
    fields_.emplace_back(std::string{name}, std::move(value));
  }
  /// Removes every field called `name`; returns how many were removed.
  std::size_t erase(std::string_view name) noexcept {
    auto old = fields_.size();
    std::erase_if(fields_, [&](const field& f) { return iequals(f.first, name); });
    return old - fields_.size();
  }
  /// Removes every field but keeps the storage, for reuse.
  void clear() noexcept { fields_.clear(); }
  /// Only an optimisation: `add` and `set` grow the storage as needed.
  void reserve(std::size_t n) { fields_.reserve(n); }

  /// How many fields (a repeated name counts each time).
  [[nodiscard]] std::size_t size() const noexcept { return fields_.size(); }
  /// Whether there are no fields.
  [[nodiscard]] bool empty() const noexcept { return fields_.empty(); }
  /// The first field, in arrival order.
  [[nodiscard]] const_iterator begin() const noexcept { return fields_.begin(); }
  /// Past the last field.
  [[nodiscard]] const_iterator end() const noexcept { return fields_.end(); }

 private:
  std::vector<field> fields_;
};

}  // namespace vivace
