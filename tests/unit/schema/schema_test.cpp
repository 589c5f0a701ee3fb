// The schema layer: decode with every error and its location, encode, JSON Schema.

#include <cctype>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>
#include <vivace/schema.hpp>

using namespace vivace;
namespace json = boost::json;

namespace shop {

enum class Color { red, green, blue };
BOOST_DESCRIBE_ENUM(Color, red, green, blue)

struct Tag {
  Str<min_len<1>, max_len<10>> name;
};
BOOST_DESCRIBE_STRUCT(Tag, (), (name))

struct Item {
  Str<min_len<3>, max_len<20>> title;
  Float<gt<0>, le<1000>> price;
  std::optional<std::string> description;
  std::int8_t stock = 0;
  Color color = Color::red;
  std::vector<Tag> tags;
  List<std::string, max_items<3>, unique_items> labels;
  std::map<std::string, int> counts;
  Str<pattern<"^[A-Z]{2}-[0-9]+$">> sku;
  Str<one_of<"new", "used">> condition;
};
BOOST_DESCRIBE_STRUCT(Item, (),
                      (title, price, description, stock, color, tags, labels, counts, sku,
                       condition))

inline schema::model_options vivace_model(const Item*) {
  return {.description = "Something to sell",
          .fields = {{"stock", {.description = "Units in store", .has_default = true}},
                     {"color", {.has_default = true}},
                     {"tags", {.has_default = true}},
                     {"labels", {.has_default = true}},
                     {"counts", {.has_default = true}},
                     {"condition", {.example = "new"}}}};
}

struct Signup {
  Str<min_len<3>> username;
  Secret<min_len<8>> password;
  Secret<> password_repeat;
  std::string from_;
};
BOOST_DESCRIBE_STRUCT(Signup, (), (username, password, password_repeat, from_))

inline schema::model_options vivace_model(const Signup*) {
  return {.extra = schema::extra_policy::forbid, .fields = {{"from_", {.alias = "from"}}}};
}
inline void vivace_validate(const Signup& s, schema::model_errors& errors) {
  if (s.password.reveal() != s.password_repeat.reveal())
    errors.add("password_repeat", "passwords do not match", "**********");
}

struct Update {
  Patch<std::string> bio;
  Patch<Str<min_len<2>>> name;
};
BOOST_DESCRIBE_STRUCT(Update, (), (bio, name))

struct Row {
  std::int64_t id = 0;
  std::string title;
  std::string secret_note;
};
BOOST_DESCRIBE_STRUCT(Row, (), (id, title, secret_note))
struct Out {
  std::int64_t id = 0;
  std::string title;
};
BOOST_DESCRIBE_STRUCT(Out, (), (id, title))

struct Node {
  std::string name;
  std::vector<Node> children;
};
BOOST_DESCRIBE_STRUCT(Node, (), (name, children))

}  // namespace shop

namespace other {
struct Tag {
  int id = 0;
};
BOOST_DESCRIBE_STRUCT(Tag, (), (id))
struct Holder {
  shop::Tag a;
  other::Tag b;
};
BOOST_DESCRIBE_STRUCT(Holder, (), (a, b))
}  // namespace other

namespace {
json::value j(std::string_view s) {
  return json::parse(s);
}

const char* valid_item = R"({"title":"Lamp","price":19.5,"sku":"AB-12","condition":"new",
  "tags":[{"name":"home"}],"labels":["a","b"],"counts":{"x":1},"color":"blue","stock":3})";
}  // namespace

TEST_CASE("uuid: the canonical text of random ids, and back", "[schema]") {
  const auto known = Uuid::parse("{123E4567-E89B-12D3-A456-426614174000}");
  REQUIRE(known);
  CHECK(known->to_string() == "123e4567-e89b-12d3-a456-426614174000");
  for (int i = 0; i < 200; ++i) {
    const Uuid u = i % 2 ? Uuid::random() : Uuid::random_fast();
    const std::string text = u.to_string();
    REQUIRE(text.size() == 36);
    for (std::size_t at = 0; at < text.size(); ++at) {
      const bool dash = at == 8 || at == 13 || at == 18 || at == 23;
      CHECK((dash ? text[at] == '-' : std::isxdigit(static_cast<unsigned char>(text[at])) != 0));
    }
    CHECK(text[14] == '4');                                                    // version 4
    CHECK(std::string_view("89ab").find(text[19]) != std::string_view::npos);  // RFC 4122 variant
    CHECK(Uuid::parse(text) == u);
  }
}

TEST_CASE("uuid: the forms RFC 9562 writes are read, and nothing near them", "[schema]") {
  const std::string canonical = "123e4567-e89b-12d3-a456-426614174000";
  for (const char* ok :
       {"123e4567-e89b-12d3-a456-426614174000", "123E4567E89B12D3A456426614174000",
        "{123e4567-e89b-12d3-a456-426614174000}", "urn:uuid:123e4567-e89b-12d3-a456-426614174000",
        "URN:UUID:123e4567e89b12d3a456426614174000"}) {
    INFO(ok);
    const auto u = Uuid::parse(ok);
    REQUIRE(u);
    CHECK(u->to_string() == canonical);
  }
  for (const char* bad :
       {"", "123e4567-e89b-12d3-a456-42661417400", "123e4567-e89b-12d3-a456-4266141740000",
        "123e4567e89b-12d3-a456-426614174000", "123e4567-e89b-12d3-a456426614174000-",
        "{123e4567-e89b-12d3-a456-426614174000", "(123e4567-e89b-12d3-a456-426614174000)",
        "123e4567-e89b-12d3-a456-42661417400g", " 123e4567-e89b-12d3-a456-42661417400",
        "urn:uuid:{123e4567-e89b-12d3-a456-426614174000", "123e4567+e89b+12d3+a456+426614174000"}) {
    INFO(bad);
    CHECK_FALSE(Uuid::parse(bad));
  }
}

TEST_CASE("schema: a valid model decodes", "[schema]") {
  auto r = schema::decode_json<shop::Item>(valid_item);
  REQUIRE(r);
  CHECK(*r->title == "Lamp");
  CHECK(*r->price == 19.5);
  CHECK_FALSE(r->description);
  CHECK(r->stock == 3);
  CHECK(r->color == shop::Color::blue);
  REQUIRE(r->tags.size() == 1);
  CHECK(*r->tags[0].name == "home");
  CHECK(r->counts.at("x") == 1);
}

TEST_CASE("schema: every error is reported, with its location", "[schema]") {
  auto r = schema::decode_json<shop::Item>(R"({"title":"Lo","price":0,"stock":200,"color":"pink",
    "tags":[{"name":"ok"},{"name":""},{}],"labels":["a","a","b","c"],"counts":{"x":"y"},
    "sku":"ab-1","condition":"broken","extra":1})",
                                           json::array{"body"});
  REQUIRE_FALSE(r);
  std::vector<std::pair<std::string, std::string>> got;
  for (const auto& e : r.errors)
    got.emplace_back(e.type, json::serialize(e.loc));
  CHECK(got == std::vector<std::pair<std::string, std::string>>{
                   {"string_too_short", R"(["body","title"])"},
                   {"greater_than", R"(["body","price"])"},
                   {"less_than_equal", R"(["body","stock"])"},
                   {"enum", R"(["body","color"])"},
                   {"string_too_short", R"(["body","tags",1,"name"])"},
                   {"missing", R"(["body","tags",2,"name"])"},
                   {"too_long", R"(["body","labels"])"},
                   {"unique_items", R"(["body","labels"])"},
                   {"int_parsing", R"(["body","counts","x"])"},
                   {"string_pattern_mismatch", R"(["body","sku"])"},
                   {"literal_error", R"(["body","condition"])"},
               });
  CHECK(r.errors[0].msg == "String should have at least 3 characters");
  CHECK(r.errors[0].input == "Lo");
  CHECK(r.errors[0].ctx == j(R"({"min_length":3})"));
  CHECK(r.errors[1].msg == "Input should be greater than 0");
  CHECK(r.errors[3].msg == "Input should be 'red', 'green' or 'blue'");
  CHECK(r.errors[5].input == j("{}"));  // a missing field's input is the enclosing object
  CHECK(r.errors[10].msg == "Input should be 'new' or 'used'");
}

TEST_CASE("schema: lengths count code points, not bytes", "[schema]") {
  auto r = schema::decode_json<shop::Tag>(R"({"name":"ÄÖÜäöüßéèê"})");  // 10 code points
  CHECK(r);
  r = schema::decode_json<shop::Tag>(R"({"name":"ÄÖÜäöüßéèêx"})");
  REQUIRE_FALSE(r);
  CHECK(r.errors[0].type == "string_too_long");
}

// Text that does not come through Boost.JSON's parser (a form field, a query value made into
// a JSON string) must be UTF-8 as RFC 3629 defines it. The cases of Markus Kuhn's UTF-8 decoder
// test file: overlong forms, surrogates, code points past U+10FFFF, lead bytes F5..FF,
// continuation bytes alone, sequences cut short. Before utfcpp the decoder accepted the
// overlong, surrogate and F5..F7 ones.
TEST_CASE("schema: strings are UTF-8 as RFC 3629 defines it, the decoder test vectors",
          "[schema]") {
  const std::vector<std::string> valid = {
      "",
      "plain",
      "\xC3\xA9",
      "\xE2\x82\xAC",
      "\xF0\x9D\x84\x9E",
      "\xC2\x80",          // U+0080, the first two-byte one
      "\xED\x9F\xBF",      // U+D7FF, just below the surrogates
      "\xEE\x80\x80",      // U+E000, just above
      "\xEF\xBF\xBD",      // U+FFFD
      "\xF4\x8F\xBF\xBF",  // U+10FFFF, the last
  };
  const std::vector<std::string> invalid = {
      "\xC0\xAF",
      "\xE0\x80\xAF",
      "\xF0\x80\x80\xAF",  // overlong '/'
      "\xC1\xBF",
      "\xE0\x9F\xBF",
      "\xF0\x8F\xBF\xBF",  // the longest overlong forms
      "\xED\xA0\x80",
      "\xED\xBF\xBF",
      "\xED\xA0\x80\xED\xB0\x80",  // surrogates, a pair
      "\xF4\x90\x80\x80",          // U+110000
      "\xF5\x80\x80\x80",
      "\xF6\x80\x80\x80",
      "\xF7\xBF\xBF\xBF",  // lead bytes F5..F7
      "\xF8\x88\x80\x80\x80",
      "\xFE",
      "\xFF",  // five bytes, FE, FF
      "\x80",
      "\xBF",
      "a\x80z",  // continuations alone
      "\xC3",
      "\xE2\x82",
      "\xF0\x9D\x84",
      "ab\xC3",    // cut short
      "\xC3\x41",  // a continuation missing
  };
  for (const auto& text : valid) {
    INFO(json::serialize(json::value(text)));
    auto r = schema::decode<std::string>(json::value(text));
    CHECK(r);
  }
  for (const auto& text : invalid) {
    auto r = schema::decode<shop::Tag>(json::value{{"name", "x" + text}});
    REQUIRE_FALSE(r);
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].type == "string_unicode");
    CHECK(r.errors[0].loc == json::array{"name"});
    // echoed as JSON, each bad sequence as U+FFFD
    const auto& echo = r.errors[0].input.as_string();
    CHECK(std::string_view(echo).substr(0, 1) == "x");
    CHECK(std::string_view(echo).find("\xEF\xBF\xBD") != std::string_view::npos);
    CHECK(json::parse(json::serialize(r.errors[0].input)) == r.errors[0].input);
  }
}

TEST_CASE("schema: integers are exact, ranged and never truncated", "[schema]") {
  struct N {};
  auto check = [](const char* body, const char* type) {
    auto r = schema::decode_json<shop::Item>(body);
    REQUIRE_FALSE(r);
    bool found = false;
    for (const auto& e : r.errors)
      if (e.loc == json::array{"stock"}) {
        CHECK(e.type == type);
        found = true;
      }
    CHECK(found);
  };
  check(R"({"stock":1.5})", "int_from_float");
  check(R"({"stock":"abc"})", "int_parsing");
  check(R"({"stock":true})", "int_type");
  check(R"({"stock":-129})", "greater_than_equal");
  check(R"({"stock":99999999999999999999999})", "less_than_equal");
  auto ok = schema::decode<std::int64_t>(j("\"-42\""));
  REQUIRE(ok);
  CHECK(*ok == -42);
  CHECK(*schema::decode<std::uint64_t>(j("18446744073709551615")) == UINT64_MAX);
  CHECK(*schema::decode<std::int32_t>(j("7.0")) == 7);
}

TEST_CASE("schema: secrets are never echoed, aliases and extra keys", "[schema]") {
  auto r = schema::decode_json<shop::Signup>(
      R"({"username":"al","password":"short","password_repeat":"x","from":"web","admin":true})");
  REQUIRE_FALSE(r);
  REQUIRE(r.errors.size() == 3);
  CHECK(r.errors[0].type == "string_too_short");
  CHECK(r.errors[1].type == "string_too_short");
  CHECK(r.errors[1].loc == json::array{"password"});
  CHECK(r.errors[1].input == "**********");
  CHECK(r.errors[2].type == "extra_forbidden");
  CHECK(r.errors[2].loc == json::array{"admin"});

  // the model-level validator runs once the fields are valid
  r = schema::decode_json<shop::Signup>(
      R"({"username":"alice","password":"longenough","password_repeat":"different","from":"x"})");
  REQUIRE_FALSE(r);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].type == "value_error");
  CHECK(r.errors[0].msg == "Value error, passwords do not match");
  CHECK(r.errors[0].loc == json::array{"password_repeat"});

  r = schema::decode_json<shop::Signup>(
      R"({"username":"alice","password":"longenough","password_repeat":"longenough","from":"x"})");
  REQUIRE(r);
  CHECK(r->from_ == "x");
  auto out = schema::encode(*r);
  CHECK(out == j(R"({"username":"alice","password":"**********",
                     "password_repeat":"**********","from":"x"})"));
}

TEST_CASE("schema: Patch tells absent, null and value apart", "[schema]") {
  auto r = schema::decode_json<shop::Update>(R"({"bio":null})");
  REQUIRE(r);
  CHECK(r->bio.is_set());
  CHECK(r->bio.is_null());
  CHECK_FALSE(r->name.is_set());
  CHECK(schema::encode(*r) == j(R"({"bio":null})"));
  r = schema::decode_json<shop::Update>(R"({"name":"x"})");
  REQUIRE_FALSE(r);
  CHECK(r.errors[0].type == "string_too_short");
  r = schema::decode_json<shop::Update>(R"({"name":"Bo"})");
  REQUIRE(r);
  CHECK(*r->name.value() == "Bo");
}

TEST_CASE("schema: malformed, deep or non-UTF-8 JSON is one json_invalid error", "[schema]") {
  for (std::string bad :
       {std::string(R"({"title": )"), std::string("[1,2"), std::string("{\"title\":\"\xff\xfe\"}"),
        std::string(200, '['), std::string("{} x")}) {
    INFO(bad);
    auto r = schema::decode_json<shop::Item>(bad, json::array{"body"});
    REQUIRE_FALSE(r);
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].type == "json_invalid");
    CHECK(r.errors[0].loc.size() == 2);
    CHECK(r.errors[0].loc[0] == "body");
  }
  // a number too large for a double is an error, never infinity
  auto huge = schema::decode_json<shop::Item>(R"({"price":1e99999})");
  REQUIRE_FALSE(huge);
  CHECK(huge.errors[1].loc == json::array{"price"});  // after the missing title
  CHECK(huge.errors[1].type == "finite_number");
  // a value built in memory is limited too
  json::value deep = json::array{};
  for (int i = 0; i < 100; ++i)
    deep = json::array{deep};
  CHECK_FALSE(schema::decode<shop::Node>(deep));
}

TEST_CASE("schema: encoding options", "[schema]") {
  auto item = *schema::decode_json<shop::Item>(valid_item);
  auto full = schema::encode(item);
  CHECK(full.at("description").is_null());
  auto no_none = schema::encode(item, {.exclude_none = true});
  CHECK_FALSE(no_none.as_object().contains("description"));
  auto some = schema::encode(item, {.include = {"title", "price"}});
  CHECK(some == j(R"({"title":"Lamp","price":19.5})"));
  auto without = schema::encode(item, {.exclude = {"counts", "tags", "labels", "description"}});
  CHECK(without == j(R"({"title":"Lamp","price":19.5,"stock":3,"color":"blue","sku":"AB-12",
                         "condition":"new"})"));
}

TEST_CASE("schema: what the encoder writes decodes back to an equal model", "[schema]") {
  auto item = *schema::decode_json<shop::Item>(valid_item);
  auto again = schema::decode<shop::Item>(schema::encode(item));
  REQUIRE(again);
  CHECK(schema::encode(*again) == schema::encode(item));
  shop::Node tree{"root", {{"a", {}}, {"b", {{"c", {}}}}}};
  auto back = schema::decode<shop::Node>(schema::encode(tree));
  REQUIRE(back);
  CHECK(back->children[1].children[0].name == "c");
}

TEST_CASE("schema: one model converts into another by field names", "[schema]") {
  shop::Row row{7, "Hello", "internal"};
  auto out = schema::convert<shop::Out>(row);
  CHECK(out.id == 7);
  CHECK(out.title == "Hello");
  CHECK(schema::encode(out) == j(R"({"id":7,"title":"Hello"})"));
}

TEST_CASE("schema: JSON Schema mirrors the constraints", "[schema]") {
  schema::schema_registry reg;
  auto ref = schema::json_schema<shop::Item>(reg);
  CHECK(ref == j(R"({"$ref":"#/components/schemas/Item"})"));
  const auto& s = reg.schemas().at("Item");
  CHECK(s.at("required") == j(R"(["title","price","sku","condition"])"));
  CHECK(s.at("description") == "Something to sell");
  const auto& p = s.at("properties");
  CHECK(p.at("title") == j(R"({"type":"string","minLength":3,"maxLength":20,"title":"Title"})"));
  CHECK(p.at("price") ==
        j(R"({"type":"number","exclusiveMinimum":0,"maximum":1000,"title":"Price"})"));
  CHECK(p.at("description") ==
        j(R"({"anyOf":[{"type":"string"},{"type":"null"}],"title":"Description","default":null})"));
  CHECK(p.at("stock") == j(R"({"type":"integer","minimum":-128,"maximum":127,"title":"Stock",
                              "description":"Units in store","default":0})"));
  CHECK(p.at("color") ==
        j(R"({"allOf":[{"$ref":"#/components/schemas/Color"}],"title":"Color","default":"red"})"));
  CHECK(p.at("tags").at("items") == j(R"({"$ref":"#/components/schemas/Tag"})"));
  CHECK(p.at("labels") == j(R"({"type":"array","items":{"type":"string"},"maxItems":3,
                               "uniqueItems":true,"title":"Labels","default":[]})"));
  CHECK(p.at("sku").at("pattern") == "^[A-Z]{2}-[0-9]+$");
  CHECK(p.at("condition") == j(R"({"type":"string","enum":["new","used"],"title":"Condition",
                                  "examples":["new"]})"));
  CHECK(reg.schemas().at("Color") ==
        j(R"({"type":"string","enum":["red","green","blue"],"title":"Color"})"));
}

TEST_CASE("schema: secrets, aliases and forbidden extras in JSON Schema", "[schema]") {
  schema::schema_registry reg;
  schema::json_schema<shop::Signup>(reg);
  const auto& s = reg.schemas().at("Signup");
  CHECK(s.at("additionalProperties") == false);
  CHECK(s.at("properties").at("password") ==
        j(R"({"type":"string","minLength":8,"format":"password","writeOnly":true,
              "title":"Password"})"));
  CHECK(s.at("properties").as_object().contains("from"));
}

TEST_CASE("schema: clashing names get distinct keys; recursion terminates", "[schema]") {
  schema::schema_registry reg;
  schema::json_schema<other::Holder>(reg);
  CHECK(reg.schemas().contains("Tag"));
  CHECK(reg.schemas().contains("other__Tag"));
  auto doc = schema::json_schema_document<shop::Node>();
  CHECK(doc.at("$schema") == "https://json-schema.org/draft/2020-12/schema");
  CHECK(doc.at("$defs").at("Node").at("properties").at("children").at("items") ==
        j(R"({"$ref":"#/$defs/Node"})"));
}

namespace pets {
struct Cat {
  bool meows = false;
};
BOOST_DESCRIBE_STRUCT(Cat, (), (meows))
struct Dog {
  Int<ge<0>> barks;
};
BOOST_DESCRIBE_STRUCT(Dog, (), (barks))
struct Owner {
  Email email;
  std::optional<Url> homepage;
  Date born;
  DateTime seen;
  std::variant<Dog, Cat> pet;
  std::variant<std::int64_t, std::string> ref;
};
BOOST_DESCRIBE_STRUCT(Owner, (), (email, homepage, born, seen, pet, ref))
}  // namespace pets

TEST_CASE("schema: text written straight equals the serialised encoding", "[schema]") {
  // unset and null Patch members, control characters, every string format, a nested tree
  auto update = *schema::decode_json<shop::Update>(R"({"bio":null})");
  for (bool unset : {true, false})
    CHECK(schema::encode_json(update, {.exclude_unset = unset}) ==
          json::serialize(schema::encode(update, {.exclude_unset = unset})));
  shop::Node tree{"r\x01\t\"oo\\t", {{"a\x1f", {}}, {"\xE2\x82\xAC", {{"c", {}}}}}};
  CHECK(schema::encode_json(tree) == json::serialize(schema::encode(tree)));
  auto owner = *schema::decode_json<pets::Owner>(
      R"({"email":"a@example.com","homepage":"https://example.com/x","born":"2001-02-03",
          "seen":"2024-05-01T12:30:00.250Z","pet":{"meows":true},
          "ref":"123e4567-e89b-12d3-a456-426614174000"})");
  CHECK(schema::encode_json(owner) == json::serialize(schema::encode(owner)));
  CHECK(schema::encode_json(std::vector<std::optional<double>>{1.5, std::nullopt, 1e300}) ==
        "[1.5E0,null,1E300]");
}

TEST_CASE("DateTime: RFC 3339's own examples (section 5.8), and what is near them", "[schema]") {
  using namespace std::chrono;
  const auto utc_of = [](std::string_view text) {
    const auto t = DateTime::parse(text);
    REQUIRE(t);
    return t->utc;
  };
  // 1985-04-12T23:20:50.52Z: the fraction kept.
  CHECK(DateTime::parse("1985-04-12T23:20:50.52Z")->to_string() == "1985-04-12T23:20:50.520000Z");
  CHECK(utc_of("1985-04-12T23:20:50.52Z").time_since_epoch() == microseconds{482196050520000});
  // 1996-12-19T16:39:57-08:00 is 1996-12-20T00:39:57Z, and keeps its offset when printed.
  CHECK(utc_of("1996-12-19T16:39:57-08:00") == utc_of("1996-12-20T00:39:57Z"));
  CHECK(DateTime::parse("1996-12-19T16:39:57-08:00")->to_string() == "1996-12-19T16:39:57-08:00");
  CHECK(DateTime::parse("1996-12-19T16:39:57-08:00")->offset_minutes == -480);
  // 1937-01-01T12:00:27.87+00:20 (Amsterdam's offset then).
  CHECK(utc_of("1937-01-01T12:00:27.87+00:20") == utc_of("1937-01-01T11:40:27.870Z"));
  // Leap seconds (1990-12-31T23:59:60Z, 1990-12-31T15:59:60-08:00) are refused: sys_time has
  // no 61st second, and Python's datetime, FastAPI's, refuses them too.
  CHECK_FALSE(DateTime::parse("1990-12-31T23:59:60Z"));
  CHECK_FALSE(DateTime::parse("1990-12-31T15:59:60-08:00"));
  // Section 5.6's liberties: lower-case t and z; a space for T (its note); -00:00 (4.3).
  CHECK(utc_of("1985-04-12t23:20:50z") == utc_of("1985-04-12T23:20:50Z"));
  CHECK(utc_of("1985-04-12 23:20:50Z") == utc_of("1985-04-12T23:20:50Z"));
  CHECK(utc_of("1985-04-12T23:20:50-00:00") == utc_of("1985-04-12T23:20:50Z"));
  // Microseconds survive; digits beyond them are cut, never rounded up
  // into the next second.
  CHECK(DateTime::parse("2026-12-07T08:00:00.123456Z")->to_string() ==
        "2026-12-07T08:00:00.123456Z");
  CHECK(DateTime::parse("2026-12-07T08:00:59.9999999Z")->to_string() ==
        "2026-12-07T08:00:59.999999Z");
  // Near misses: each is refused.
  for (const char* bad :
       {"1985-13-12T23:20:50Z", "1985-02-29T23:20:50Z", "1985-04-31T00:00:00Z",
        "1985-04-12T24:00:00Z", "1985-04-12T23:60:00Z", "1985-04-12T23:20Z",
        "1985-04-12T23:20:50.Z", "1985-04-12T23:20:50+0100", "1985-04-12T23:20:50+24:00",
        "1985-04-12T23:20:50+01:60", "1985-04-12T23:20:50ZZ", "1985-4-12T23:20:50Z",
        "85-04-12T23:20:50Z", "1985-04-12_23:20:50Z", "1985-04-12T23:20:50 Z"}) {
    INFO(bad);
    CHECK_FALSE(DateTime::parse(bad));
  }
  CHECK(DateTime::parse("2024-02-29T00:00:00Z"));  // a leap day
}

TEST_CASE("schema: formats — e-mail, URL, date, date-time", "[schema]") {
  auto r = schema::decode_json<pets::Owner>(
      R"({"email":"Ann@Example.COM","homepage":"https://a.example/x?y=1",
    "born":"1990-02-28","seen":"2024-05-01T12:30:00.25+02:00","pet":{"meows":true},"ref":"abc"})");
  REQUIRE(r);
  CHECK(r->email.value == "Ann@example.com");
  CHECK(r->born.to_string() == "1990-02-28");
  CHECK(r->seen.to_string() == "2024-05-01T12:30:00.250000+02:00");
  CHECK(r->seen.to_utc().to_string() == "2024-05-01T10:30:00.250000Z");
  // Formatted by hand: every field padded, fractions only when non-zero, both offset signs.
  CHECK(DateTime::parse("0987-01-02T03:04:05-09:30")->to_string() == "0987-01-02T03:04:05-09:30");
  CHECK(DateTime::parse("2024-12-31T23:59:59.000001Z")->to_string() ==
        "2024-12-31T23:59:59.000001Z");
  CHECK(DateTime::parse("2024-02-29T00:00:00+14:00")->to_utc().to_string() ==
        "2024-02-28T10:00:00Z");
  CHECK(std::holds_alternative<pets::Cat>(r->pet));
  CHECK(std::get<std::string>(r->ref) == "abc");
  auto back = schema::decode<pets::Owner>(schema::encode(*r));
  REQUIRE(back);
  CHECK(back->seen == r->seen);

  r = schema::decode_json<pets::Owner>(R"({"email":"not-an-email","homepage":"no scheme",
    "born":"1990-02-30","seen":"2024-05-01 25:00:00","pet":{"barks":-1},"ref":1.5})");
  REQUIRE_FALSE(r);
  std::vector<std::string> types, locs;
  for (const auto& e : r.errors) {
    types.push_back(e.type);
    locs.push_back(json::serialize(e.loc));
  }
  CHECK(types == std::vector<std::string>{"value_error", "url_parsing", "date_parsing",
                                          "datetime_parsing", "greater_than_equal", "missing",
                                          "int_from_float", "string_type"});
  CHECK(locs[4] == R"(["pet","Dog","barks"])");
  CHECK(locs[5] == R"(["pet","Cat","meows"])");
  CHECK(locs[6] == R"(["ref","int"])");
  CHECK(r.errors[0].msg ==
        "value is not a valid email address: The email address is not valid. It must have "
        "exactly one @-sign.");
}

TEST_CASE("Email: an internationalised domain in its ASCII form, not in Unicode", "[schema]") {
  std::string why;
  const auto ascii = Email::parse("ann@xn--bcher-kva.Example", &why);
  REQUIRE(ascii);
  CHECK(ascii->value == "ann@xn--bcher-kva.example");
  // A non-ASCII local part is RFC 6531's (SMTPUTF8) and stays.
  CHECK(Email::parse("j\xc3\xb6rg@example.com", &why));
  for (const char* unicode_domain : {"ann@b\xc3\xbc"
                                     "cher.example",
                                     "ann@example.\xe6\x97\xa5\xe6\x9c\xac",
                                     "ann@\xe2\x80\x8b"
                                     ".example"}) {
    INFO(unicode_domain);
    why.clear();
    CHECK_FALSE(Email::parse(unicode_domain, &why));
    CHECK(why.find("non-ASCII") != std::string::npos);
    CHECK(why.find("xn--") != std::string::npos);
  }
}

TEST_CASE("schema: formats and variants in JSON Schema", "[schema]") {
  schema::schema_registry reg;
  schema::json_schema<pets::Owner>(reg);
  const auto& p = reg.schemas().at("Owner").at("properties");
  CHECK(p.at("email").at("format") == "email");
  CHECK(p.at("born").at("format") == "date");
  CHECK(p.at("seen").at("format") == "date-time");
  CHECK(p.at("pet").at("oneOf") ==
        j(R"([{"$ref":"#/components/schemas/Dog"},{"$ref":"#/components/schemas/Cat"}])"));
}

namespace zoo {
struct Cat {
  Str<one_of<"cat">> pet_type;
  bool meows = false;
};
BOOST_DESCRIBE_STRUCT(Cat, (), (pet_type, meows))
struct Dog {
  Str<one_of<"dog">> pet_type;
  Int<ge<0>> barks;
};
BOOST_DESCRIBE_STRUCT(Dog, (), (pet_type, barks))
struct Home {
  Discriminated<"pet_type", Cat, Dog> pet;
};
BOOST_DESCRIBE_STRUCT(Home, (), (pet))
}  // namespace zoo

TEST_CASE("schema: unions discriminated by a tag field", "[schema]") {
  auto r = schema::decode_json<zoo::Home>(R"({"pet":{"pet_type":"dog","barks":3}})");
  REQUIRE(r);
  REQUIRE(std::holds_alternative<zoo::Dog>(r->pet));
  CHECK(*std::get<zoo::Dog>(r->pet).barks == 3);
  CHECK(schema::encode(*r) == j(R"({"pet":{"pet_type":"dog","barks":3}})"));

  r = schema::decode_json<zoo::Home>(R"({"pet":{"pet_type":"dog","barks":-3}})");
  REQUIRE_FALSE(r);
  CHECK(r.errors[0].loc == j(R"(["pet","dog","barks"])"));  // only the chosen alternative
  r = schema::decode_json<zoo::Home>(R"({"pet":{"pet_type":"fish"}})");
  REQUIRE_FALSE(r);
  CHECK(r.errors[0].type == "union_tag_invalid");
  CHECK(r.errors[0].msg ==
        "Input tag 'fish' found using 'pet_type' does not match any of the expected tags: "
        "'cat' or 'dog'");
  r = schema::decode_json<zoo::Home>(R"({"pet":{"barks":1}})");
  REQUIRE_FALSE(r);
  CHECK(r.errors[0].type == "union_tag_not_found");

  schema::schema_registry reg;
  schema::json_schema<zoo::Home>(reg);
  CHECK(reg.schemas().at("Home").at("properties").at("pet").at("discriminator") ==
        j(R"({"propertyName":"pet_type","mapping":{"cat":"#/components/schemas/Cat",
              "dog":"#/components/schemas/Dog"}})"));
}

TEST_CASE("schema: text over the size limit is refused before parsing", "[schema]") {
  std::string big = R"({"name":")" + std::string(2000, 'x') + "\"}";
  auto r = schema::decode_json<shop::Tag>(big, json::array{"body"}, {.max_bytes = 1024});
  REQUIRE_FALSE(r);
  CHECK(r.errors[0].type == "json_invalid");
}

namespace {
// Random valid values of a model with every kind of member, for the round-trip property.
struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
  std::string text(std::size_t min, std::size_t max) {
    static const char* alphabet[] = {
        "a", "Z", "0", "_", " ", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\"", "\\", "\n"};
    std::string out;
    auto n = min + next() % (max - min + 1);
    for (std::size_t i = 0; i < n; ++i)
      out += alphabet[next() % 11];
    return out;
  }
};
}  // namespace

TEST_CASE("schema: property — every encoded value decodes back to an equal model", "[schema]") {
  Rng rng{0x9E3779B97F4A7C15ull};
  for (int round = 0; round < 300; ++round) {
    shop::Item item;
    item.title = rng.text(3, 20);
    item.price = static_cast<double>(1 + rng.next() % 99900) / 100.0;
    if (rng.next() % 2)
      item.description = rng.text(0, 30);
    item.stock = static_cast<std::int8_t>(static_cast<int>(rng.next() % 256) - 128);
    item.color = static_cast<shop::Color>(rng.next() % 3);
    for (auto n = rng.next() % 3; n > 0; --n)
      item.tags.push_back({rng.text(1, 10)});
    for (auto n = rng.next() % 4; n > 0; --n) {
      auto label = rng.text(1, 5);
      if (std::find(item.labels->begin(), item.labels->end(), label) == item.labels->end())
        item.labels->push_back(label);
    }
    item.counts[rng.text(0, 4)] = static_cast<int>(rng.next() % 1000) - 500;
    item.sku = "AB-" + std::to_string(rng.next() % 100000);
    item.condition = rng.next() % 2 ? "new" : "used";

    auto encoded = schema::encode(item);
    auto text = json::serialize(encoded);
    auto back = schema::decode_json<shop::Item>(text);
    INFO(text);
    // the text written straight from the value is the encoding's text, byte for byte
    CHECK(schema::encode_json(item) == text);
    CHECK(schema::encode_json(item, {.include = {"title", "tags"}}) ==
          json::serialize(schema::encode(item, {.include = {"title", "tags"}})));
    CHECK(schema::encode_json(item, {.exclude_none = true}) ==
          json::serialize(schema::encode(item, {.exclude_none = true})));
    REQUIRE(back);
    CHECK(schema::encode(*back) == encoded);
    CHECK(*back->title == *item.title);
    CHECK(*back->price == *item.price);
    CHECK(back->stock == item.stock);
  }
}

TEST_CASE("schema: a large enclosing object is not echoed once per missing field", "[schema]") {
  std::string body = R"({"pad":")" + std::string(200 * 1024, 'x') + "\"}";
  auto r = schema::decode_json<shop::Item>(body);
  REQUIRE_FALSE(r);
  std::size_t echoed = 0;
  for (const auto& e : r.errors) {
    CHECK(e.type == "missing");
    echoed += json::serialize(e.input).size();
  }
  CHECK(r.errors.size() == 4);
  CHECK(echoed < 1024);  // summarised, not 4 × 200 KiB
  // small ones are still echoed whole, as FastAPI does
  auto small = schema::decode_json<shop::Tag>(R"({"other":1})");
  CHECK(small.errors.at(0).input == j(R"({"other":1})"));
}

TEST_CASE("schema: union alternatives keep the depth limit", "[schema]") {
  json::value deep = json::array{};
  for (int i = 0; i < 100; ++i)
    deep = json::array{deep};
  auto r = schema::decode<std::variant<std::int64_t, shop::Node, std::vector<json::value>>>(deep);
  // the vector<json::value> alternative would accept it; depth is counted from the outside
  CHECK(r);
  auto limited =
      schema::decode<std::variant<std::int64_t, std::vector<std::vector<std::vector<int>>>>>(
          json::array{json::array{json::array{1}}}, {}, {.max_depth = 2});
  REQUIRE_FALSE(limited);
  bool too_deep = false;
  for (const auto& e : limited.errors)
    too_deep |= e.type == "too_deep";
  CHECK(too_deep);
}

TEST_CASE("schema: URLs with characters outside RFC 3986 are refused, not asserted on",
          "[schema]") {
  // Boost.URL 1.81 asserts on this input (found by the fuzzer); it must be a plain error.
  for (auto bad : {"Hvtps:`", "h00:[", "h-tps:?", "x:", "x:#f", "https://a.example/[x]",
                   "https://a.example/`x", "http://a b.example/", "https://x/\x7f"}) {
    auto r = schema::decode<Url>(json::value(bad));
    REQUIRE_FALSE(r);
    CHECK(r.errors.at(0).type == "url_parsing");
  }
  auto ok = schema::decode<Url>(json::value("https://a.example/p?q=1#f"));
  INFO((ok.errors.empty() ? std::string() : ok.errors[0].msg));
  CHECK(ok.value.has_value());
  CHECK(schema::decode<Url>(json::value("http://[::1]:8000/x")).value.has_value());
}

TEST_CASE("schema: leaves and constraints accept and reject", "[schema]") {
  auto err = [](const auto& r) {
    return r.errors.empty() ? std::string("none") : r.errors[0].type;
  };
  CHECK(*schema::decode<bool>(j("true")) == true);
  CHECK(*schema::decode<bool>(j("\"off\"")) == false);
  CHECK(err(schema::decode<bool>(j("\"maybe\""))) == "bool_parsing");
  CHECK(err(schema::decode<bool>(j("[]"))) == "bool_type");
  CHECK(err(schema::decode<std::string>(j("5"))) == "string_type");
  CHECK(err(schema::decode<double>(j("\"x\""))) == "float_parsing");
  CHECK(err(schema::decode<double>(j("{}"))) == "float_type");
  CHECK(err(schema::decode<std::vector<int>>(j("{}"))) == "list_type");
  CHECK(err(schema::decode<std::map<std::string, int>>(j("[]"))) == "dict_type");
  CHECK(err(schema::decode<Uuid>(j("\"nope\""))) == "uuid_parsing");
  CHECK(schema::decode<Uuid>(j("\"123e4567-e89b-12d3-a456-426614174000\"")).value.has_value());
  CHECK(*schema::decode<json::value>(j(R"({"any":[1,null]})")) == j(R"({"any":[1,null]})"));
  CHECK(err(schema::decode<Date>(j("5"))) == "date_type");
  CHECK(err(schema::decode<DateTime>(j("\"2024-01-01\""))) == "datetime_parsing");
  CHECK(err(schema::decode<DateTime>(j("null"))) == "datetime_type");

  CHECK(schema::decode<Int<multiple_of<5>>>(j("15"))->value == 15);
  auto m = schema::decode<Int<multiple_of<5>>>(j("16"));
  CHECK(err(m) == "multiple_of");
  CHECK(m.errors[0].msg == "Input should be a multiple of 5");
  CHECK(err(schema::decode<Int<ge<0>, lt<10>>>(j("10"))) == "less_than");
  CHECK(err(schema::decode<Int<gt<0>>>(j("0"))) == "greater_than");
  // several constraints of one value are all reported
  auto both = schema::decode<Str<min_len<5>, pattern<"^[a-z]+$">>>(j("\"AB\""));
  REQUIRE(both.errors.size() == 2);
  CHECK(both.errors[1].type == "string_pattern_mismatch");
  CHECK(err(schema::decode<List<int, min_items<2>>>(j("[1]"))) == "too_short");

  // floats: finite unless allowed
  CHECK(err(schema::decode<double>(j("\"inf\""))) == "finite_number");
  auto inf = schema::decode<Float<allow_inf_nan>>(j("\"inf\""));
  REQUIRE(inf.value);
  CHECK(std::isinf(inf.value->value));
  CHECK(schema::encode(*inf).is_null());  // JSON has no infinity
}

TEST_CASE("schema: durations from seconds or text with units", "[schema][settings]") {
  using namespace std::chrono_literals;
  using std::chrono::milliseconds;
  using std::chrono::minutes;
  using std::chrono::seconds;
  CHECK(*schema::decode<seconds>(j("30")) == 30s);
  CHECK(*schema::decode<seconds>(j("\"30\"")) == 30s);
  CHECK(*schema::decode<seconds>(j("\" 45s \"")) == 45s);
  CHECK(*schema::decode<seconds>(j("\"5m\"")) == 300s);
  CHECK(*schema::decode<seconds>(j("\"1h30m\"")) == 5400s);
  CHECK(*schema::decode<seconds>(j("\"1d\"")) == 86400s);
  CHECK(*schema::decode<seconds>(j("\"-2m\"")) == -120s);
  CHECK(*schema::decode<milliseconds>(j("\"1500ms\"")) == 1500ms);
  CHECK(*schema::decode<milliseconds>(j("0.25")) == 250ms);
  CHECK(*schema::decode<milliseconds>(j("\"2\"")) == 2000ms);
  CHECK(*schema::decode<std::chrono::nanoseconds>(j("\"1us5ns\"")) == 1005ns);
  CHECK(*schema::decode<minutes>(j("\"2h\"")) == 120min);

  auto err = [](const auto& r) {
    return r.errors.empty() ? std::string("none") : r.errors[0].type + ": " + r.errors[0].msg;
  };
  CHECK(err(schema::decode<seconds>(j("\"1500ms\""))) ==
        "time_delta_parsing: Input should be a valid duration, a whole number of seconds");
  CHECK(err(schema::decode<minutes>(j("30"))) ==
        "time_delta_parsing: Input should be a valid duration, a whole number of minutes");
  for (const char* bad :
       {"\"\"", "\"s\"", "\"5 m\"", "\"1h30\"", "\"5x\"", "\"1.5h\"", "\"--5s\"", "\"5M\""}) {
    INFO(bad);
    CHECK(schema::decode<seconds>(j(bad)).errors.at(0).type == "time_delta_parsing");
  }
  CHECK(schema::decode<seconds>(j("true")).errors.at(0).type == "time_delta_type");
  CHECK(schema::decode<seconds>(j("\"99999999999999999999s\"")).errors.at(0).msg ==
        "Input should be a valid duration, out of range");
  CHECK(schema::decode<std::chrono::duration<std::int16_t>>(j("40000")).errors.at(0).msg ==
        "Input should be a valid duration, out of range");

  // Whole seconds encode as an integer, finer values as text that decodes back.
  CHECK(schema::encode(90s) == j("90"));
  CHECK(schema::encode(std::chrono::milliseconds(3000)) == j("3"));
  CHECK(schema::encode(std::chrono::milliseconds(1500)) == j("\"1500ms\""));
  CHECK(schema::encode(std::chrono::microseconds(2500)) == j("\"2500us\""));
  CHECK(schema::encode(std::chrono::hours(2)) == j("7200"));
  CHECK(*schema::decode<milliseconds>(schema::encode(milliseconds(1500))) == 1500ms);

  schema::schema_registry r;
  auto s = schema::json_schema<seconds>(r);
  CHECK(s.at("anyOf").at(0).at("type") == "number");
  CHECK(s.at("anyOf").at(1).at("type") == "string");
  CHECK(s.at("anyOf").at(1).at("pattern") == "^[+-]?[0-9]+$|^[+-]?([0-9]+(ns|us|ms|s|m|h|d))+$");
}

TEST_CASE("schema: a model from named fields that are not an object (a row)", "[schema]") {
  // A source that is not a JSON object: each field asked for by its wire name (the alias).
  std::vector<std::string> asked;
  json::value scratch;
  auto from = [&](std::map<std::string, json::value> fields) {
    return [&asked, &scratch, fields = std::move(fields)](std::string_view name) {
      asked.emplace_back(name);
      auto it = fields.find(std::string(name));
      if (it == fields.end())
        return static_cast<const json::value*>(nullptr);
      scratch = it->second;
      return static_cast<const json::value*>(&scratch);
    };
  };
  auto r = schema::decode_fields<shop::Signup>(from({{"username", "alice"},
                                                     {"password", "longenough"},
                                                     {"password_repeat", "longenough"},
                                                     {"from", "web"},
                                                     {"admin", true}}));
  REQUIRE(r);
  CHECK(r->from_ == "web");
  CHECK(asked == std::vector<std::string>{"username", "password", "password_repeat", "from"});

  // The same errors as decode: every field's, the validator's once they pass; no input is
  // echoed for a missing field, extra names are not looked at.
  r = schema::decode_fields<shop::Signup>(from({{"username", "al"}, {"password", "short"}}));
  REQUIRE_FALSE(r);
  REQUIRE(r.errors.size() == 4);
  CHECK(r.errors[0].type == "string_too_short");
  CHECK(r.errors[1].input == "**********");
  CHECK(r.errors[2].type == "missing");
  CHECK(r.errors[2].loc == json::array{"password_repeat"});
  CHECK(r.errors[2].input.is_null());
  CHECK(r.errors[3].loc == json::array{"from"});
  r = schema::decode_fields<shop::Signup>(from({{"username", "alice"},
                                                {"password", "longenough"},
                                                {"password_repeat", "different"},
                                                {"from", "web"}}),
                                          json::array{"row"});
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].msg == "Value error, passwords do not match");
  CHECK(r.errors[0].loc == json::array{"row", "password_repeat"});
}
