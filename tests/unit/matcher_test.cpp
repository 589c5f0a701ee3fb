#include "vivace/routing/matcher.hpp"

#include <stdexcept>

#include <catch2/catch.hpp>

using vivace::routing::match_result;
using vivace::routing::matcher;
using kind = match_result::kind;

namespace {
matcher sample() {
  matcher m;
  m.add("GET", "/", 0);
  m.add("GET", "/users/me", 1);
  m.add("GET", "/users/{user_id}", 2);
  m.add("DELETE", "/users/{user_id}", 3);
  m.add("GET", "/files/{file_path:path}", 4);
  m.add("GET", "/items/", 5);
  m.add("POST", "/users/{user_id}/posts", 6);
  m.add("GET", "/users/{user_id}/profile", 7);
  return m;
}
}  // namespace

TEST_CASE("matcher: static segments win over parameters", "[routing]") {
  auto m = sample();
  auto r = m.match("GET", "/users/me");
  REQUIRE(r.outcome == kind::found);
  CHECK(r.route == 1);
  CHECK(r.params.empty());

  r = m.match("GET", "/users/42");
  REQUIRE(r.outcome == kind::found);
  CHECK(r.route == 2);
  REQUIRE(r.params.size() == 1);
  CHECK(r.params[0].first == "user_id");
  CHECK(r.params[0].second == "42");
}

TEST_CASE("matcher: backtracks from a static branch to a parameter", "[routing]") {
  auto m = sample();
  // "me" matches the static node, which has no /profile child; the parameter branch does.
  auto r = m.match("GET", "/users/me/profile");
  REQUIRE(r.outcome == kind::found);
  CHECK(r.route == 7);
  CHECK(r.params[0].second == "me");
}

TEST_CASE("matcher: parameters are percent-decoded, one segment each", "[routing]") {
  auto m = sample();
  auto r = m.match("GET", "/users/J%C3%BCrgen%2Fx");
  REQUIRE(r.outcome == kind::found);
  CHECK(r.params[0].second == "J\xC3\xBCrgen/x");
  CHECK(m.match("GET", "/users/").outcome != kind::found);  // an empty segment is no parameter
}

TEST_CASE("matcher: a path catch-all takes the rest, slashes included", "[routing]") {
  auto m = sample();
  auto r = m.match("GET", "/files/a/b%20c/d.txt");
  REQUIRE(r.outcome == kind::found);
  CHECK(r.route == 4);
  CHECK(r.params[0].first == "file_path");
  CHECK(r.params[0].second == "a/b c/d.txt");
}

TEST_CASE("matcher: wrong method is 405 with the allowed methods", "[routing]") {
  auto m = sample();
  auto r = m.match("PUT", "/users/1");
  REQUIRE(r.outcome == kind::method_not_allowed);
  CHECK(r.allow == "GET, DELETE, HEAD, OPTIONS");
  r = m.match("GET", "/users/1/posts");
  REQUIRE(r.outcome == kind::method_not_allowed);
  CHECK(r.allow == "POST, OPTIONS");
}

TEST_CASE("matcher: HEAD falls back to GET", "[routing]") {
  auto m = sample();
  auto r = m.match("HEAD", "/users/7");
  REQUIRE(r.outcome == kind::found);
  CHECK(r.route == 2);
}

TEST_CASE("matcher: unknown paths are not found", "[routing]") {
  auto m = sample();
  CHECK(m.match("GET", "/nope").outcome == kind::not_found);
  CHECK(m.match("GET", "/users/1/2/3").outcome == kind::not_found);
  CHECK(m.match("GET", "").outcome == kind::not_found);
  CHECK(m.match("GET", "relative").outcome == kind::not_found);
}

TEST_CASE("matcher: trailing slashes redirect to the declared form", "[routing]") {
  auto m = sample();
  auto r = m.match("GET", "/items");
  REQUIRE(r.outcome == kind::redirect);
  CHECK(r.location == "/items/");
  r = m.match("GET", "/users/me/");
  REQUIRE(r.outcome == kind::redirect);
  CHECK(r.location == "/users/me");

  matcher strict({.redirect_slashes = false});
  strict.add("GET", "/items/", 0);
  CHECK(strict.match("GET", "/items").outcome == kind::not_found);
}

TEST_CASE("matcher: a duplicate route or a malformed template is refused", "[routing]") {
  matcher m;
  m.add("GET", "/a/{x}", 0);
  CHECK_THROWS_AS(m.add("GET", "/a/{x}", 1), std::invalid_argument);
  CHECK_NOTHROW(m.add("POST", "/a/{y}", 2));
  CHECK_THROWS_AS(m.add("GET", "/b/{", 3), std::invalid_argument);
  // The same position may have different names per route: each route gets its own.
  auto r = m.match("POST", "/a/1");
  REQUIRE(r.outcome == kind::found);
  CHECK(r.params[0].first == "y");
}
