// The example application against its HTTP contract (../shared/spec/blog-api.md), through the
// TestClient, on SQLite and on PostgreSQL.

#include <future>
#include <regex>
#include <set>
#include <thread>

#include "blog_support.hpp"
#include "services/slug.hpp"

using namespace blogtest;
using vivace::testing::TestClient;
using vivace::testing::TestResponse;

namespace {

bool has_no_secrets(const json::value& v) {
  const auto text = json::serialize(v);
  return text.find("password") == std::string::npos && text.find("$scrypt$") == std::string::npos;
}

std::string detail(const TestResponse& r) {
  INFO(r.body);
  return std::string(r.json().at("detail").as_string());
}

}  // namespace

TEST_CASE("blog: slugs fold titles to ASCII", "[blog]") {
  using blog::services::slugify;
  CHECK(slugify("Hello, World!") == "hello-world");
  CHECK(slugify("  Crème brûlée à la façon de Zoë  ") == "creme-brulee-a-la-facon-de-zoe");
  CHECK(slugify("Łódź — Straße / Æsir") == "lodz-strasse-aesir");
  CHECK(slugify("e\xCC\x81t\xC3\xA9") == "ete");  // a decomposed é, then a composed one
  CHECK(slugify("日本語") == "post");
  CHECK(slugify("--- ---") == "post");
  CHECK(slugify("C++20 & Boost 1.81") == "c-20-boost-1-81");
}

TEST_CASE("blog: health, request ids and timing on every response", "[blog]") {
  for (const auto& which : dbtest::backends()) {
    DYNAMIC_SECTION(which) {
      blog_app b(which);
      auto& c = b.client();
      auto r = c.get("/health").send();
      CHECK(r.status == 200);
      CHECK(r.json() == json::parse(R"({"status":"healthy","version":")" + b.settings().version +
                                    R"(","environment":"test"})"));
      const std::regex seconds(R"(^\d+(\.\d+)?$)");
      for (const auto& res : {r, c.get("/nowhere").send(), c.delete_("/health").send(),
                              c.get("/health").header("Host", "evil.example").send(),
                              c.options(api + "/posts/")
                                  .header("Origin", "http://localhost:3000")
                                  .header("Access-Control-Request-Method", "POST")
                                  .send()}) {
        INFO(res.status << " " << res.body);
        CHECK(
            std::regex_match(std::string(res.headers.get("X-Process-Time").value_or("")), seconds));
        CHECK_FALSE(res.headers.get("X-Request-ID").value_or("").empty());
      }
      CHECK(c.get("/nowhere").send().json() == json::parse(R"({"detail":"Not Found"})"));
      auto wrong_method = c.delete_("/health").send();
      CHECK(wrong_method.status == 405);
      CHECK(wrong_method.headers.get("Allow").has_value());
      CHECK(c.get("/health").header("Host", "evil.example").send().status == 400);
      CHECK(c.get("/health").header("X-Request-ID", "abc-123").send().headers.get("X-Request-ID") ==
            "abc-123");
      auto preflight = c.options(api + "/posts/")
                           .header("Origin", "http://localhost:3000")
                           .header("Access-Control-Request-Method", "POST")
                           .send();
      CHECK(preflight.status == 200);
      CHECK(preflight.headers.get("Access-Control-Allow-Origin") == "http://localhost:3000");
    }
  }
}

TEST_CASE("blog: registration", "[blog]") {
  for (const auto& which : dbtest::backends()) {
    DYNAMIC_SECTION(which) {
      blog_app b(which);
      auto& c = b.client();
      auto r = c.post(api + "/auth/register")
                   .json({{"email", "Ann@Example.com"},
                          {"username", "ann"},
                          {"password", "password123"},
                          {"full_name", "Ann Smith"},
                          {"is_superuser", true},
                          {"is_active", false},
                          {"id", 999},
                          {"hashed_password", "x"}})
                   .send();
      REQUIRE(r.status == 200);
      auto u = r.json().as_object();
      CHECK(u.at("email") == "ann@example.com");
      CHECK(u.at("username") == "ann");
      CHECK(u.at("full_name") == "Ann Smith");
      CHECK(u.at("is_superuser") == false);  // mass assignment has no effect
      CHECK(u.at("is_active") == true);
      CHECK(u.at("id") != 999);
      CHECK(has_no_secrets(r.json()));
      for (const char* k : {"id", "email", "username", "full_name", "bio", "avatar_url",
                            "is_active", "is_superuser", "created_at", "updated_at"})
        CHECK(u.contains(k));
      CHECK(u.size() == 10);

      auto dup =
          c.post(api + "/auth/register")
              .json(
                  {{"email", "ANN@example.com"}, {"username", "ann2"}, {"password", "password123"}})
              .send();
      CHECK(dup.status == 400);
      CHECK(detail(dup) == "Email already registered");
      auto dup_name = c.post(api + "/auth/register")
                          .json({{"email", "other@example.com"},
                                 {"username", "ann"},
                                 {"password", "password123"}})
                          .send();
      CHECK(dup_name.status == 400);
      CHECK(detail(dup_name) == "Username already taken");

      // Every error at once; the password is never echoed.
      auto bad = c.post(api + "/auth/register")
                     .json({{"email", "not-an-email"}, {"username", "a b"}, {"password", "s3cr"}})
                     .send();
      REQUIRE(bad.status == 422);
      auto errors = bad.json().at("detail").as_array();
      std::set<std::string> locs;
      for (const auto& e : errors) {
        locs.insert(json::serialize(e.at("loc")));
        CHECK(e.as_object().contains("input"));
        CHECK(e.as_object().contains("msg"));
      }
      CHECK(locs == std::set<std::string>{R"(["body","email"])", R"(["body","username"])",
                                          R"(["body","password"])"});
      for (const auto& e : errors)
        if (e.at("loc").as_array().back() == "password")
          CHECK(e.at("input") == "**********");
      CHECK(bad.body.find("s3cr") == std::string::npos);

      // Lengths in code points: "Zoë" is 3 characters (4 bytes), "Zö" is 2.
      CHECK(c.post(api + "/auth/register")
                .json({{"email", "z@example.com"}, {"username", "Zoe"}, {"password", "pässwörd"}})
                .send()
                .status == 200);
      auto missing = c.post(api + "/auth/register").json({{"email", "m@example.com"}}).send();
      REQUIRE(missing.status == 422);
      CHECK(missing.json().at("detail").as_array().size() == 2);
      auto malformed =
          c.post(api + "/auth/register").body("{\"email\": ", "application/json").send();
      REQUIRE(malformed.status == 422);
      CHECK(malformed.json().at("detail").at(0).at("type") == "json_invalid");
      CHECK(malformed.json().at("detail").at(0).at("loc").at(0) == "body");
      auto as_form = c.post(api + "/auth/register").form({{"email", "f@example.com"}}).send();
      CHECK(as_form.status == 415);
    }
  }
}

TEST_CASE("blog: login, throttling, and the current user", "[blog]") {
  for (const auto& which : dbtest::backends()) {
    DYNAMIC_SECTION(which) {
      blog_app b(which, {{"LOGIN_MAX_FAILURES", "3"}});
      auto& c = b.client();
      register_user(c, "ann");
      auto t = login(c, "ann@example.com");
      auto ok = c.post(api + "/auth/login")
                    .form({{"username", "ann@example.com"}, {"password", "password123"}})
                    .send()
                    .json();
      CHECK(ok.at("token_type") == "bearer");
      CHECK(ok.at("expires_in") == 1800);
      CHECK(ok.at("refresh_token") != json::value(t.refresh));  // a distinct refresh token

      auto me = c.get(api + "/users/me").header("Authorization", "bearer " + t.access).send();
      CHECK(me.status == 200);
      CHECK(me.json().at("username") == "ann");
      CHECK(has_no_secrets(me.json()));

      auto none = c.get(api + "/users/me").send();
      CHECK(none.status == 401);
      CHECK(detail(none) == "Not authenticated");
      CHECK(none.headers.get("WWW-Authenticate") == "Bearer");
      auto forged =
          c.get(api + "/users/me").header("Authorization", "Bearer " + t.access + "x").send();
      CHECK(forged.status == 401);
      CHECK(detail(forged) == "Could not validate credentials");
      CHECK(forged.headers.get("WWW-Authenticate") == "Bearer");
      auto refresh_as_access =
          c.get(api + "/users/me").header("Authorization", "Bearer " + t.refresh).send();
      CHECK(refresh_as_access.status == 401);

      // Wrong password and unknown e-mail: the same answer.
      auto wrong = c.post(api + "/auth/login")
                       .form({{"username", "ann@example.com"}, {"password", "nope-nope"}})
                       .send();
      CHECK(wrong.status == 401);
      CHECK(detail(wrong) == "Incorrect email or password");
      CHECK(wrong.headers.get("WWW-Authenticate") == "Bearer");
      auto unknown = c.post(api + "/auth/login")
                         .form({{"username", "nobody@example.com"}, {"password", "nope-nope"}})
                         .send();
      CHECK(unknown.status == 401);
      CHECK(unknown.body == wrong.body);
      CHECK(c.post(api + "/auth/login").json({{"username", "ann@example.com"}}).send().status ==
            415);
      CHECK(c.post(api + "/auth/login").form({{"username", "ann@example.com"}}).send().status ==
            422);

      // Three failures for ann within the window: the next attempt waits, even with the
      // right password; other e-mails are not affected.
      for (int i = 0; i < 2; ++i)
        CHECK(c.post(api + "/auth/login")
                  .form({{"username", "ann@example.com"}, {"password", "nope-nope"}})
                  .send()
                  .status == 401);
      auto throttled = c.post(api + "/auth/login")
                           .form({{"username", "ann@example.com"}, {"password", "password123"}})
                           .send();
      REQUIRE(throttled.status == 429);
      auto body = throttled.json().as_object();
      CHECK(body.at("error") == "too_many_attempts");
      CHECK(body.at("message").is_string());
      const auto retry = body.at("details").at("retry_after").to_number<long long>();
      CHECK(retry >= 1);
      CHECK(retry <= 900);
      CHECK(throttled.headers.get("Retry-After") == std::to_string(retry));
      register_user(c, "bob");
      CHECK_NOTHROW(login(c, "bob@example.com"));
    }
  }
}

TEST_CASE("blog: refresh tokens rotate; logout revokes", "[blog]") {
  for (const auto& which : dbtest::backends()) {
    DYNAMIC_SECTION(which) {
      blog_app b(which);
      auto& c = b.client();
      auto t = user(c, "ann");
      auto refresh = [&](const std::string& token) {
        return c.post(api + "/auth/refresh").json({{"refresh_token", token}}).send();
      };
      auto r1 = refresh(t.refresh);
      REQUIRE(r1.status == 200);
      const std::string next(r1.json().at("refresh_token").as_string());
      CHECK(next != t.refresh);
      auto reused = refresh(t.refresh);
      CHECK(reused.status == 401);
      CHECK(detail(reused) == "Invalid refresh token");
      CHECK(refresh(t.access).status == 401);  // an access token is not a refresh token
      CHECK(refresh("garbage").status == 401);

      // Several concurrent refreshes with one token: exactly one succeeds.
      std::vector<std::future<int>> racers;
      for (int i = 0; i < 6; ++i)
        racers.push_back(std::async(std::launch::async, [&] {
          TestClient own(b.app());
          return own.post(api + "/auth/refresh").json({{"refresh_token", next}}).send().status;
        }));
      int won = 0;
      for (auto& f : racers)
        won += f.get() == 200 ? 1 : 0;
      CHECK(won == 1);

      auto other = login(c, "ann@example.com");
      auto out = c.post(api + "/auth/logout").header("Authorization", other.bearer()).send();
      CHECK(out.status == 200);
      CHECK(out.json() == json::parse(R"({"message":"Successfully logged out"})"));
      auto after = c.get(api + "/users/me").header("Authorization", other.bearer()).send();
      CHECK(after.status == 401);
      CHECK(detail(after) == "Could not validate credentials");
      CHECK(refresh(other.refresh).status == 401);  // issued before the logout
      auto again = login(c, "ann@example.com");     // a login right after works
      CHECK(c.get(api + "/users/me").header("Authorization", again.bearer()).send().status == 200);
      CHECK(refresh(again.refresh).status == 200);
    }
  }
}

TEST_CASE("blog: profiles, passwords and avatars", "[blog]") {
  for (const auto& which : dbtest::backends()) {
    DYNAMIC_SECTION(which) {
      blog_app b(which, {{"MAX_FILE_SIZE", "1000"}});
      auto& c = b.client();
      auto ann = user(c, "ann");
      auto bob = user(c, "bob");
      auto put = [&](const json::value& body) {
        return c.put(api + "/users/me").header("Authorization", ann.bearer()).json(body).send();
      };
      auto r = put({{"full_name", "Ann"}, {"bio", "hi"}, {"is_superuser", true}});
      REQUIRE(r.status == 200);
      CHECK(r.json().at("full_name") == "Ann");
      CHECK(r.json().at("is_superuser") == false);
      r = put({{"bio", nullptr}});  // null clears; full_name not sent stays
      CHECK(r.json().at("bio").is_null());
      CHECK(r.json().at("full_name") == "Ann");
      auto taken = put({{"email", "BOB@example.com"}});
      CHECK(taken.status == 400);
      CHECK(detail(taken) == "Email already registered");
      CHECK(put({{"email", nullptr}}).status == 422);
      CHECK(put({{"email", "bad"}}).status == 422);
      CHECK(put({{"email", "ann2@example.com"}}).json().at("email") == "ann2@example.com");

      auto pw = [&](const std::string& current, const std::string& next) {
        return c.post(api + "/users/me/password")
            .header("Authorization", ann.bearer())
            .json({{"current_password", current}, {"new_password", next}})
            .send();
      };
      auto wrong = pw("nope-nope", "newpassword1");
      CHECK(wrong.status == 400);
      CHECK(detail(wrong) == "Current password is incorrect");
      CHECK(pw("password123", "short").status == 422);
      auto changed = pw("password123", "newpassword1");
      CHECK(changed.status == 200);
      CHECK(changed.json() == json::parse(R"({"message":"Password updated successfully"})"));
      CHECK(c.post(api + "/auth/login")
                .form({{"username", "ann2@example.com"}, {"password", "password123"}})
                .send()
                .status == 401);
      ann = login(c, "ann2@example.com", "newpassword1");

      auto upload = [&](const std::string& name, const std::string& content) {
        return c.post(api + "/users/me/avatar")
            .header("Authorization", ann.bearer())
            .file("file", name, content, "image/png")
            .send();
      };
      const std::string png = "\x89PNG\r\n\x1a\nnot really an image";
      auto up = upload("me.PNG", png);
      REQUIRE(up.status == 200);
      const std::string url(up.json().at("avatar_url").as_string());
      CHECK(url.starts_with("/uploads/avatars/"));
      auto got = c.get(url).send();
      CHECK(got.status == 200);
      CHECK(got.body == png);
      auto bad_ext = upload("me.txt", "hello");
      CHECK(bad_ext.status == 400);
      CHECK_THAT(detail(bad_ext), Catch::Contains("extension"));
      CHECK(upload("me.png", std::string(1001, 'x')).status == 413);
      CHECK(upload("me.png", std::string(1000, 'x')).status == 200);  // exactly the limit
      CHECK(c.post(api + "/users/me/avatar")
                .header("Authorization", ann.bearer())
                .json({{"file", "x"}})
                .send()
                .status == 415);
      CHECK(c.get("/uploads/avatars/..%2F..%2Fetc%2Fpasswd").send().status == 422);
      (void)bob;
    }
  }
}

TEST_CASE("blog: users by id, the list and deletion", "[blog]") {
  for (const auto& which : dbtest::backends()) {
    DYNAMIC_SECTION(which) {
      blog_app b(which);
      auto& c = b.client();
      auto root = login(c, "root@example.com", "rootpassword");
      auto ann = user(c, "ann");
      auto bob = user(c, "bob");
      const auto ann_id = c.get(api + "/users/me")
                              .header("Authorization", ann.bearer())
                              .send()
                              .json()
                              .at("id")
                              .to_number<std::int64_t>();
      const auto bob_id = c.get(api + "/users/me")
                              .header("Authorization", bob.bearer())
                              .send()
                              .json()
                              .at("id")
                              .to_number<std::int64_t>();
      auto get = [&](const tokens& t, const std::string& path) {
        return c.get(api + path).header("Authorization", t.bearer()).send();
      };
      CHECK(get(ann, "/users/" + std::to_string(ann_id)).status == 200);
      auto other = get(ann, "/users/" + std::to_string(bob_id));
      CHECK(other.status == 403);
      CHECK(detail(other) == "Not enough permissions");
      CHECK(get(root, "/users/" + std::to_string(bob_id)).status == 200);
      auto missing = get(root, "/users/9999");
      CHECK(missing.status == 404);
      CHECK(detail(missing) == "User not found");
      CHECK(get(ann, "/users/abc").status == 422);

      CHECK(get(ann, "/users/").status == 403);
      auto list = get(root, "/users/");
      REQUIRE(list.status == 200);
      auto users = list.json().as_array();
      REQUIRE(users.size() == 3);
      CHECK(users[0].at("username") == "root");
      CHECK(users[0].at("is_superuser") == true);
      CHECK(has_no_secrets(list.json()));
      CHECK(get(root, "/users/?skip=1&limit=1").json().as_array().at(0).at("username") == "ann");
      CHECK(get(root, "/users/?limit=0").status == 422);
      CHECK(get(root, "/users/?limit=101").status == 422);
      CHECK(get(root, "/users/?skip=-1").status == 422);

      // Deleting bob takes his posts and his tokens with him.
      auto post = c.post(api + "/posts/")
                      .header("Authorization", bob.bearer())
                      .json({{"title", "Bob's post"}, {"content", "x"}, {"published", true}})
                      .send();
      REQUIRE(post.status == 201);
      const auto post_id = post.json().at("id").to_number<std::int64_t>();
      CHECK(c.delete_(api + "/users/" + std::to_string(bob_id))
                .header("Authorization", ann.bearer())
                .send()
                .status == 403);
      auto del = c.delete_(api + "/users/" + std::to_string(bob_id))
                     .header("Authorization", root.bearer())
                     .send();
      CHECK(del.status == 200);
      CHECK(del.json() == json::parse(R"({"message":"User deleted successfully"})"));
      CHECK(c.delete_(api + "/users/" + std::to_string(bob_id))
                .header("Authorization", root.bearer())
                .send()
                .status == 404);
      CHECK(c.get(api + "/posts/" + std::to_string(post_id)).send().status == 404);
      CHECK(get(bob, "/users/me").status == 401);
      CHECK(c.post(api + "/auth/refresh").json({{"refresh_token", bob.refresh}}).send().status ==
            401);
    }
  }
}

TEST_CASE("blog: posts, drafts and who may change them", "[blog]") {
  for (const auto& which : dbtest::backends()) {
    DYNAMIC_SECTION(which) {
      blog_app b(which);
      auto& c = b.client();
      auto root = login(c, "root@example.com", "rootpassword");
      auto ann = user(c, "ann");
      auto bob = user(c, "bob");
      auto create = [&](const tokens& t, const json::value& body) {
        return c.post(api + "/posts/").header("Authorization", t.bearer()).json(body).send();
      };
      auto p1 = create(ann, {{"title", "Hello World"},
                             {"content", "first"},
                             {"published", true},
                             {"author_id", 999},
                             {"slug", "mine"}});
      REQUIRE(p1.status == 201);
      auto post = p1.json().as_object();
      CHECK(post.at("slug") == "hello-world");
      CHECK(post.at("published") == true);
      CHECK(post.at("published_at").is_string());
      CHECK(post.at("author").at("username") == "ann");
      CHECK(post.at("author_id") == post.at("author").at("id"));
      CHECK(has_no_secrets(p1.json()));
      const std::string id1 = std::to_string(post.at("id").to_number<std::int64_t>());
      auto draft = create(ann, {{"title", "Hello World"}, {"content", "draft"}});
      REQUIRE(draft.status == 201);
      CHECK(draft.json().at("slug") == "hello-world-2");
      CHECK(draft.json().at("published_at").is_null());
      const std::string id2 = std::to_string(draft.json().at("id").to_number<std::int64_t>());
      CHECK(create(bob, {{"title", "Hello, world!"}, {"content", "b"}, {"published", true}})
                .json()
                .at("slug") == "hello-world-3");
      CHECK(create(ann, {{"title", "ab"}, {"content", "x"}}).status == 422);
      CHECK(create(ann, {{"title", "Zoë"}, {"content", "x"}}).status == 201);  // 3 code points
      CHECK(create(ann, {{"title", std::string(201, 'x')}, {"content", "x"}}).status == 422);
      CHECK(create(ann, {{"title", "Valid"}, {"content", ""}}).status == 422);
      CHECK(c.post(api + "/posts/").json({{"title", "Anon"}, {"content", "x"}}).send().status ==
            401);

      // Drafts: the author and superusers only; others get a 404.
      auto read = [&](const std::optional<tokens>& t, const std::string& path) {
        auto rq = c.get(api + path);
        if (t)
          rq.header("Authorization", t->bearer());
        return rq.send();
      };
      CHECK(read(std::nullopt, "/posts/" + id2).status == 404);
      CHECK(detail(read(bob, "/posts/" + id2)) == "Post not found");
      CHECK(read(ann, "/posts/" + id2).status == 200);
      CHECK(read(root, "/posts/" + id2).status == 200);
      CHECK(read(std::nullopt, "/posts/by-slug/hello-world-2").status == 404);
      CHECK(read(ann, "/posts/by-slug/hello-world-2").status == 200);
      CHECK(read(std::nullopt, "/posts/by-slug/hello-world").json().at("id").to_number<int>() ==
            std::stoi(id1));
      CHECK(read(std::nullopt, "/posts/999").status == 404);
      CHECK(read(std::nullopt, "/posts/abc").status == 422);

      // Lists: published only, newest first; the author's own list has drafts.
      auto list = read(std::nullopt, "/posts/").json().as_array();
      REQUIRE(list.size() == 2);  // "Zoë" and the draft are not published
      CHECK(list[0].at("slug") == "hello-world-3");
      CHECK(list[1].at("slug") == "hello-world");
      for (const auto& p : list)
        CHECK(p.at("published") == true);
      const auto ann_id = post.at("author_id").to_number<std::int64_t>();
      CHECK(read(std::nullopt, "/posts/?author_id=" + std::to_string(ann_id))
                .json()
                .as_array()
                .size() == 1);
      CHECK(read(std::nullopt, "/posts/?limit=1&skip=1").json().as_array().at(0).at("slug") ==
            "hello-world");
      CHECK(read(std::nullopt, "/posts/?limit=101").status == 422);
      CHECK(read(std::nullopt, "/posts/?skip=-1").status == 422);
      auto mine = read(ann, "/users/me/posts").json().as_array();
      CHECK(mine.size() == 3);

      // Updates: the author or a superuser; the slug never changes; published_at is set by
      // the first publication and kept.
      auto update = [&](const tokens& t, const std::string& id, const json::value& body) {
        return c.put(api + "/posts/" + id).header("Authorization", t.bearer()).json(body).send();
      };
      auto forbidden = update(bob, id1, {{"title", "Mine now"}});
      CHECK(forbidden.status == 403);
      CHECK(detail(forbidden) == "Not enough permissions");
      CHECK(update(bob, id2, {{"title", "Mine now"}}).status == 404);  // a draft bob cannot see
      CHECK(update(ann, "999", {{"title", "Nothing"}}).status == 404);
      CHECK(update(ann, id1, {{"title", "xy"}}).status == 422);
      CHECK(update(ann, id1, {{"title", nullptr}}).status == 422);
      auto edited = update(ann, id1, {{"title", "Renamed"}, {"author_id", 1}});
      REQUIRE(edited.status == 200);
      CHECK(edited.json().at("slug") == "hello-world");
      CHECK(edited.json().at("title") == "Renamed");
      CHECK(edited.json().at("author_id") == ann_id);
      CHECK(edited.json().at("content") == "first");
      auto published = update(ann, id2, {{"published", true}});
      const auto first_pub = published.json().at("published_at");
      CHECK(first_pub.is_string());
      CHECK(update(ann, id2, {{"published", false}}).json().at("published_at") == first_pub);
      CHECK(update(ann, id2, {{"published", true}}).json().at("published_at") == first_pub);
      CHECK(update(root, id2, {{"excerpt", "by root"}}).json().at("excerpt") == "by root");
      CHECK(update(ann, id2, {{"excerpt", nullptr}}).json().at("excerpt").is_null());

      // Deletion: 204 and an empty body.
      auto del = [&](const tokens& t, const std::string& id) {
        return c.delete_(api + "/posts/" + id).header("Authorization", t.bearer()).send();
      };
      CHECK(del(bob, id1).status == 403);
      auto gone = del(ann, id1);
      CHECK(gone.status == 204);
      CHECK(gone.body.empty());
      CHECK(del(ann, id1).status == 404);
      CHECK(del(root, id2).status == 204);
    }
  }
}

TEST_CASE("blog: concurrent registrations and posts with one title", "[blog]") {
  for (const auto& which : dbtest::backends()) {
    DYNAMIC_SECTION(which) {
      blog_app b(which);
      std::vector<std::future<int>> regs;
      for (int i = 0; i < 50; ++i)
        regs.push_back(std::async(std::launch::async, [&, i] {
          TestClient own(b.app());
          const std::string n = "user" + std::to_string(i);
          return own.post(api + "/auth/register")
              .json({{"email", n + "@example.com"}, {"username", n}, {"password", "password123"}})
              .send()
              .status;
        }));
      int ok = 0;
      for (auto& f : regs)
        ok += f.get() == 200 ? 1 : 0;
      CHECK(ok == 50);

      auto t = login(b.client(), "user7@example.com");
      std::vector<std::future<std::string>> posts;
      for (int i = 0; i < 20; ++i)
        posts.push_back(std::async(std::launch::async, [&] {
          TestClient own(b.app());
          auto r = own.post(api + "/posts/")
                       .header("Authorization", t.bearer())
                       .json({{"title", "Same Title"}, {"content", "x"}, {"published", true}})
                       .send();
          INFO(r.body);
          return r.status == 201 ? std::string(r.json().at("slug").as_string()) : std::string();
        }));
      std::set<std::string> slugs;
      for (auto& f : posts)
        slugs.insert(f.get());
      std::set<std::string> expected{"same-title"};
      for (int i = 2; i <= 20; ++i)
        expected.insert("same-title-" + std::to_string(i));
      CHECK(slugs == expected);
      auto list =
          b.client().get(api + "/users/me/posts").header("Authorization", t.bearer()).send();
      CHECK(list.json().as_array().size() == 20);
      auto root = login(b.client(), "root@example.com", "rootpassword");
      CHECK(b.client()
                .get(api + "/users/?limit=100")
                .header("Authorization", root.bearer())
                .send()
                .json()
                .as_array()
                .size() == 51);
    }
  }
}

TEST_CASE("blog: the OpenAPI document and the docs pages", "[blog]") {
  blog_app b("sqlite");
  auto& c = b.client();
  auto r = c.get(api + "/openapi.json").send();
  REQUIRE(r.status == 200);
  auto doc = r.json().as_object();
  CHECK(doc.at("openapi") == "3.1.0");
  auto& paths = doc.at("paths").as_object();
  CHECK(paths.contains("/health"));
  for (const char* p : {"/auth/register", "/auth/login", "/auth/refresh", "/auth/logout", "/users/",
                        "/users/me", "/users/me/password", "/users/me/avatar", "/users/me/posts",
                        "/users/{user_id}", "/posts/", "/posts/{post_id}", "/posts/by-slug/{slug}"})
    CHECK(paths.contains(api + p));
  CHECK(paths.at(api + "/posts/").at("post").at("responses").as_object().contains("201"));
  CHECK(
      paths.at(api + "/posts/{post_id}").at("delete").at("responses").as_object().contains("204"));
  CHECK_FALSE(paths.contains("/uploads/avatars/{name}"));
  CHECK(c.get(api + "/docs").send().status == 200);
  CHECK(c.get(api + "/redoc").send().status == 200);
}
