#include "vivace/schema/context.hpp"

#include <boost/core/demangle.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serializer.hpp>
#include <boost/json/stream_parser.hpp>

#include "vivace/schema/checks.hpp"
#include "vivace/schema/json.hpp"
#include "vivace/schema/registry.hpp"

namespace vivace::schema {

namespace {
// Serialised size of `v`, stopping as soon as it exceeds `limit`.
bool larger_than(const boost::json::value& v, std::size_t limit) {
  boost::json::serializer sr;
  sr.reset(&v);
  char buf[4096];
  std::size_t total = 0;
  while (!sr.done()) {
    total += sr.read(buf, sizeof buf).size();
    if (total > limit)
      return true;
  }
  return false;
}
}  // namespace

void decode_context::error(std::string_view type, std::string msg, const boost::json::value& input,
                           boost::json::value ctx) {
  const bool composite = input.is_object() || input.is_array();
  if (composite && (&input == last_large_ || larger_than(input, limits_.max_echo_bytes))) {
    last_large_ = &input;
    errors_.push_back({std::string(type), loc_, std::move(msg),
                       boost::json::string(input.is_object() ? "<object too large to echo>"
                                                             : "<array too large to echo>"),
                       std::move(ctx)});
    return;
  }
  if (input.is_string()) {  // as valid JSON, whatever bytes it holds
    errors_.push_back(
        {std::string(type), loc_, std::move(msg), echo_text(input.get_string()), std::move(ctx)});
    return;
  }
  errors_.push_back({std::string(type), loc_, std::move(msg), input, std::move(ctx)});
}

bool decode_context::enter(const boost::json::value& input) {
  if (++depth_ <= limits_.max_depth)
    return true;
  --depth_;
  error("too_deep", "Input is nested more than " + std::to_string(limits_.max_depth) + " levels",
        nullptr);
  (void)input;
  return false;
}

std::pair<std::string, bool> schema_registry::reserve(const std::string& name,
                                                      const std::type_info& type) {
  if (auto it = keys_.find(type); it != keys_.end())
    return {it->second, false};
  std::string key = name;
  bool taken = false;
  for (const auto& [t, k] : keys_)
    if (k == key)
      taken = true;
  if (taken) {  // another type has this name: use the qualified one, "ns::User" -> "ns__User"
    key = boost::core::demangle(type.name());
    for (std::size_t p; (p = key.find("::")) != std::string::npos;)
      key.replace(p, 2, "__");
    for (char& c : key)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '-')
        c = '_';
  }
  keys_.emplace(type, key);
  schemas_[key] = nullptr;  // reserved: a recursive reference finds it
  return {key, true};
}

std::optional<boost::json::value> parse_json(std::string_view text,
                                             const boost::json::array& base_loc,
                                             std::vector<ValidationError>& errors,
                                             const decode_limits& limits) {
  if (text.size() > limits.max_bytes) {
    boost::json::array loc = base_loc;
    loc.emplace_back(limits.max_bytes);
    errors.push_back(
        {"json_invalid", std::move(loc), "JSON decode error", boost::json::object{},
         boost::json::object{
             {"error", "input longer than " + std::to_string(limits.max_bytes) + " bytes"}}});
    return std::nullopt;
  }
  boost::json::parse_options opts;
  opts.max_depth = limits.max_depth + 1;
  boost::json::stream_parser p({}, opts);
  boost::system::error_code ec;
  std::size_t used = p.write_some(text.data(), text.size(), ec);
  if (!ec)
    p.finish(ec);
  if (!ec && used < text.size())
    ec = boost::json::error::extra_data;
  if (ec) {
    // The position in characters (code points), as Python's json reports it, not in bytes.
    std::size_t position = 0;
    for (std::size_t i = 0; i < used; ++i)
      if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80)
        ++position;
    boost::json::array loc = base_loc;
    loc.emplace_back(position);
    errors.push_back({"json_invalid", std::move(loc), "JSON decode error", boost::json::object{},
                      boost::json::object{{"error", ec.message()}}});
    return std::nullopt;
  }
  return p.release();
}

}  // namespace vivace::schema
