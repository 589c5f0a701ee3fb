#pragma once
/// @file
/// What a model says about itself beyond its members: name, aliases, descriptions, examples,
/// defaults, extra-key policy and model-level validation. All optional, through ADL hooks, so
/// models stay plain aggregates.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>

namespace vivace::schema {

/// What to do with keys a model does not declare.
enum class extra_policy {
  ignore,  ///< drop them (pydantic's default)
  forbid,  ///< each one is an `extra_forbidden` error
};

/// Per-field options, keyed by the C++ member name.
struct field_options {
  std::string_view alias{};        ///< the JSON name when it differs (`from` for `from_`)
  std::string_view description{};  ///< for the docs
  boost::json::value example{};    ///< for the docs (null: none)
  bool has_default = false;        ///< absent is fine: the member keeps its initialiser
};

/// Model-wide options. Return one from `vivace_model(const T*)`, found by ADL:
///
/// @code
/// inline vivace::schema::model_options vivace_model(const Login*) {
///   return {.name = "Login", .extra = vivace::schema::extra_policy::forbid,
///           .fields = {{"remember", {.has_default = true}}}};
/// }
/// @endcode
struct model_options {
  std::string name{};         ///< the schema name; the C++ type's unqualified name if empty
  std::string description{};  ///< for the docs
  /// `ignore` unless set: undeclared keys are then dropped without an error.
  extra_policy extra = extra_policy::ignore;
  /// Options of some fields, by C++ member name; the others have none.
  std::vector<std::pair<std::string_view, field_options>> fields{};
  /// Every field may be left out and keeps its initialiser, as if each had `has_default`:
  /// for a struct whose members all have one (settings, options), since C++ cannot tell
  /// which members were given an initialiser.
  bool all_defaulted = false;

  /// The options of the member named `member`, or null when it has none.
  [[nodiscard]] const field_options* field(std::string_view member) const noexcept {
    for (const auto& [n, f] : fields)
      if (n == member)
        return &f;
    return nullptr;
  }
  /// Whether the member named `member` may be left out, keeping its initialiser.
  [[nodiscard]] bool defaulted(std::string_view member) const noexcept {
    if (all_defaulted)
      return true;
    const auto* f = field(member);
    return f && f->has_default;
  }
};

/// Errors a model-level validator reports: `vivace_validate(const T&, model_errors&)`.
class model_errors {
 public:
  /// An error on one field (its C++ member or JSON name) or, with an empty field, the model.
  void add(std::string_view field, std::string message, boost::json::value input = nullptr,
           std::string type = "value_error") {
    items_.push_back({std::string(field), std::move(message), std::move(input), std::move(type)});
  }

  /// One reported error.
  struct item {
    /// The member (C++ or JSON name); empty for the whole model.
    std::string field;
    /// The sentence for people (`value_error`s get "Value error, " in front).
    std::string message;
    /// The offending value; null to report the field's (or, for the model, the whole) input.
    boost::json::value input;
    /// The reported error's `type`; `add` makes it `value_error` unless told otherwise.
    std::string type;
  };
  /// Every error added, in order.
  [[nodiscard]] const std::vector<item>& items() const noexcept { return items_; }

 private:
  std::vector<item> items_;
};

}  // namespace vivace::schema
