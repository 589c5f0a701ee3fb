#pragma once
/// @file
/// The JSON Schema registry: collects every named schema (models, enums) once and hands out
/// `$ref`s to it, giving clashing names distinct keys.

#include <map>
#include <string>
#include <typeindex>
#include <typeinfo>
#include <utility>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace vivace::schema {

/// Collects the named JSON Schemas (models, enums) met while schemas are built, once each, and
/// hands out `$ref`s to them. Two types with the same name get distinct keys (the second one
/// its qualified name, `ns__User`).
class schema_registry {
 public:
  /// `prefix` is what `$ref`s point into (`#/components/schemas/` for OpenAPI, `#/$defs/`
  /// for a standalone JSON Schema document).
  explicit schema_registry(std::string prefix = "#/components/schemas/")
      : prefix_(std::move(prefix)) {}

  /// `{"$ref": prefix + key}` for the type, building its schema with `make()` the first time
  /// only (the key is reserved first, so recursive models terminate).
  template <class F>
  boost::json::value reference(const std::string& name, const std::type_info& type, F&& make) {
    auto [key, fresh] = reserve(name, type);
    if (fresh)
      schemas_[key] = make();
    return boost::json::object{{"$ref", prefix_ + key}};
  }

  /// Every schema collected so far, by key.
  [[nodiscard]] const boost::json::object& schemas() const noexcept { return schemas_; }
  /// What the `$ref`s point into.
  [[nodiscard]] const std::string& prefix() const noexcept { return prefix_; }

 private:
  /// The key for a type (its name, or its qualified name when another type has the name) and
  /// whether it was new.
  std::pair<std::string, bool> reserve(const std::string& name, const std::type_info& type);

  std::string prefix_;
  boost::json::object schemas_;
  std::map<std::type_index, std::string> keys_;
};

}  // namespace vivace::schema
