// libFuzzer target for the schema decoder: any bytes in, a model or errors out, never a crash,
// a hang or undefined behaviour. Built and run for a bounded time by tests/fuzz/run.sh.
//
// Boost.JSON and Boost.URL are compiled from source into this target (not linked from the
// distribution's libraries) so that the fuzzer gets coverage of their parsers too.

#include <boost/json/src.hpp>
#include <boost/url/src.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <boost/describe.hpp>
#include <vivace/schema.hpp>

namespace fuzz {

enum class Kind { a, b, c };
BOOST_DESCRIBE_ENUM(Kind, a, b, c)

struct Leaf {
  vivace::Str<vivace::min_len<1>, vivace::max_len<8>, vivace::pattern<"^[a-z]+$">> name;
  // integer bounds: clang before 18 has no floating-point template arguments
  vivace::Float<vivace::ge<-1>, vivace::lt<1000000>, vivace::multiple_of<2>> weight;
};
BOOST_DESCRIBE_STRUCT(Leaf, (), (name, weight))

struct Tree {
  std::int8_t small = 0;
  std::uint64_t big = 0;
  bool flag = false;
  std::optional<std::string> note;
  vivace::Patch<vivace::Int<vivace::ge<0>>> count;
  std::vector<Leaf> leaves;
  vivace::List<std::int32_t, vivace::max_items<16>, vivace::unique_items> ids;
  std::map<std::string, Kind> kinds;
  std::vector<Tree> children;
  std::variant<std::int64_t, std::string, Leaf> any;
  vivace::Email email;
  std::optional<vivace::Url> url;
  std::optional<vivace::DateTime> at;
  std::optional<vivace::Date> day;
  vivace::Uuid id;
  vivace::Secret<vivace::min_len<4>> secret;
  boost::json::value raw;
};
BOOST_DESCRIBE_STRUCT(Tree, (),
                      (small, big, flag, note, count, leaves, ids, kinds, children, any, email, url,
                       at, day, id, secret, raw))

inline vivace::schema::model_options vivace_model(const Tree*) {
  return {.extra = vivace::schema::extra_policy::forbid,
          .fields = {{"small", {.has_default = true}}, {"big", {.has_default = true}}}};
}

}  // namespace fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto r = vivace::schema::decode_json<fuzz::Tree>(text, boost::json::array{"body"});
  if (r) {
    // what decodes, encodes, and decodes again to the same encoding
    auto once = vivace::schema::encode(*r);
    auto again = vivace::schema::decode<fuzz::Tree>(once);
    if (!again || vivace::schema::encode(*again) != once)
      __builtin_trap();
  } else if (r.errors.empty()) {
    __builtin_trap();  // a failure must say why
  }
  return 0;
}
