#include "vivace/params/convert.hpp"
#include "vivace/http/request.hpp"

#include <cstdint>

#include <catch2/catch.hpp>

using namespace vivace;
using params::convert_text;

namespace {
const params::param_loc loc{"query", "n"};
}

TEST_CASE("convert: integers parse exactly and report range errors", "[params]") {
  params::error_list errors;
  CHECK(convert_text<int>("42", loc, errors) == 42);
  CHECK(convert_text<int>("-7", loc, errors) == -7);
  CHECK(convert_text<int>("+7", loc, errors) == 7);
  CHECK(convert_text<std::int64_t>("9223372036854775807", loc, errors) == INT64_MAX);
  CHECK(errors.empty());

  CHECK_FALSE(convert_text<int>("4.5", loc, errors));
  CHECK_FALSE(convert_text<int>("abc", loc, errors));
  CHECK_FALSE(convert_text<int>("", loc, errors));
  REQUIRE(errors.size() == 3);
  CHECK(errors[0].type == "int_parsing");
  CHECK(errors[0].input == "4.5");
  CHECK(errors[0].loc == boost::json::array{"query", "n"});

  errors.clear();
  CHECK_FALSE(convert_text<std::int8_t>("128", loc, errors));
  CHECK_FALSE(convert_text<std::int8_t>("-129", loc, errors));
  CHECK_FALSE(convert_text<std::uint16_t>("-1", loc, errors));
  CHECK_FALSE(convert_text<std::int64_t>("9223372036854775808", loc, errors));
  REQUIRE(errors.size() == 4);
  CHECK(errors[0].type == "less_than_equal");
  CHECK(errors[0].msg == "Input should be less than or equal to 127");
  CHECK(errors[1].type == "greater_than_equal");
  CHECK(errors[2].type == "greater_than_equal");
  CHECK(errors[3].type == "less_than_equal");
}

TEST_CASE("convert: floats are finite numbers", "[params]") {
  params::error_list errors;
  CHECK(convert_text<double>("2.5", loc, errors) == 2.5);
  CHECK(convert_text<double>("1e3", loc, errors) == 1000.0);
  CHECK_FALSE(convert_text<double>("nan", loc, errors));
  CHECK_FALSE(convert_text<double>("x", loc, errors));
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].type == "finite_number");
  CHECK(errors[1].type == "float_parsing");
}

TEST_CASE("convert: booleans accept pydantic's words", "[params]") {
  params::error_list errors;
  for (auto t : {"true", "True", "1", "yes", "on"})
    CHECK(convert_text<bool>(t, loc, errors) == true);
  for (auto f : {"false", "0", "NO", "off"})
    CHECK(convert_text<bool>(f, loc, errors) == false);
  CHECK_FALSE(convert_text<bool>("maybe", loc, errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].type == "bool_parsing");
}

TEST_CASE("convert: UUIDs in canonical and compact forms", "[params]") {
  params::error_list errors;
  auto u = convert_text<Uuid>("123E4567-E89B-12D3-A456-426614174000", loc, errors);
  REQUIRE(u);
  CHECK(u->to_string() == "123e4567-e89b-12d3-a456-426614174000");
  CHECK(convert_text<Uuid>("123e4567e89b12d3a456426614174000", loc, errors) == u);
  CHECK(convert_text<Uuid>("urn:uuid:123e4567-e89b-12d3-a456-426614174000", loc, errors) == u);
  CHECK_FALSE(convert_text<Uuid>("123e4567-e89b-12d3-a456-42661417400", loc, errors));
  CHECK_FALSE(convert_text<Uuid>("123e4567+e89b-12d3-a456-426614174000", loc, errors));
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].type == "uuid_parsing");
}

TEST_CASE("query strings decode percent escapes and plus signs", "[http]") {
  auto q = parse_query_string("q=some+text&tag=a&tag=b%26c&empty=&flag");
  CHECK(q.get("q") == "some text");
  CHECK(q.get_all("tag") == std::vector<std::string_view>{"a", "b&c"});
  CHECK(q.get("empty") == "");
  CHECK(q.get("flag") == "");
  CHECK_FALSE(q.get("missing"));
  CHECK_THROWS_AS(parse_query_string("a=%zz"), HTTPException);
}
