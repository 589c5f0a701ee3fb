#include "vivace/routing/path_template.hpp"

#include <catch2/catch.hpp>

using vivace::routing::analyse_template;
using vivace::routing::template_error;

// Compile-time analysis: the same function runs in static_assert and at run time.
static_assert(analyse_template("/users/{user_id}").count == 1);
static_assert(analyse_template("/users/{user_id}").names[0] == "user_id");
static_assert(analyse_template("/files/{rest:path}").has_catch_all);

TEST_CASE("path templates: parameters are found in order", "[routing]") {
  auto info = analyse_template("/users/{user_id}/posts/{post_id}");
  REQUIRE(info.error == template_error::none);
  REQUIRE(info.count == 2);
  CHECK(info.names[0] == "user_id");
  CHECK(info.names[1] == "post_id");
  CHECK_FALSE(info.has_catch_all);
  CHECK(analyse_template("/").count == 0);
  CHECK(analyse_template("/items/").error == template_error::none);
}

TEST_CASE("path templates: malformed ones name the rule they break", "[routing]") {
  CHECK(analyse_template("users").error == template_error::no_leading_slash);
  CHECK(analyse_template("").error == template_error::no_leading_slash);
  CHECK(analyse_template("/users/{id").error == template_error::unbalanced_brace);
  CHECK(analyse_template("/users/id}").error == template_error::unbalanced_brace);
  CHECK(analyse_template("/users/{}").error == template_error::empty_name);
  CHECK(analyse_template("/users/{1id}").error == template_error::bad_name);
  CHECK(analyse_template("/users/{a-b}").error == template_error::bad_name);
  CHECK(analyse_template("/users/{id:int}").error == template_error::unknown_converter);
  CHECK(analyse_template("/users/{id:}").error == template_error::unknown_converter);
  CHECK(analyse_template("/users/x{id}").error == template_error::partial_segment);
  CHECK(analyse_template("/files/{p:path}/more").error == template_error::path_not_last);
  CHECK(analyse_template("/a/{x}/b/{x}").error == template_error::duplicate_name);
}
