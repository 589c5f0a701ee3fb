// An app that uses every feature the OpenAPI document describes. `features_app` prints its
// document; tests compare it with golden/features.json and validate it with external tools.
// `features_app --serve` serves it on a free loopback port (printed in the log) for the typed
// TypeScript client generated from that document.

#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <boost/describe.hpp>
#include <vivace/vivace.hpp>

namespace features {

enum class Status { draft, published };
BOOST_DESCRIBE_ENUM(Status, draft, published)

struct Author {
  std::int64_t id = 0;
  vivace::Str<vivace::min_len<1>, vivace::max_len<50>> name;
};
BOOST_DESCRIBE_STRUCT(Author, (), (id, name))

struct PostIn {
  vivace::Str<vivace::min_len<1>, vivace::max_len<200>> title;
  std::string body;
  Status status = Status::draft;
  std::vector<std::string> tags;
};
BOOST_DESCRIBE_STRUCT(PostIn, (), (title, body, status, tags))

struct PostOut {
  std::int64_t id = 0;
  std::string title;
  Status status = Status::draft;
  Author author;
  vivace::DateTime created_at;
};
BOOST_DESCRIBE_STRUCT(PostOut, (), (id, title, status, author, created_at))

struct Message {
  std::string detail;
};
BOOST_DESCRIBE_STRUCT(Message, (), (detail))

struct Login {
  std::string username;
  vivace::SecretStr password;
};
BOOST_DESCRIBE_STRUCT(Login, (), (username, password))

struct Profile {
  std::string display_name;
  std::optional<std::string> bio;
};
BOOST_DESCRIBE_STRUCT(Profile, (), (display_name, bio))

struct Token {
  std::string access_token;
  std::string token_type;
};
BOOST_DESCRIBE_STRUCT(Token, (), (access_token, token_type))

using oauth2 =
    vivace::OAuth2PasswordBearer<"/api/v1/auth/login", vivace::scope<"posts:write", "Write posts">,
                                 vivace::scope<"admin", "Administer">>;

Author current_user(oauth2 token, vivace::SecurityScopes) {
  return Author{1, token.token};
}

std::string request_id(vivace::Header<"X-Request-ID", std::optional<std::string>> id) {
  return id->value_or("");
}

std::int64_t page(vivace::Depends<request_id>,
                  vivace::Query<"page", vivace::Int<vivace::ge<1>>, 1> p) {
  return static_cast<std::int64_t>(*p);
}

// `live`: served for the browser and the client, so no outside `servers` entry (Swagger UI
// resolves the token URL against the selected server).
vivace::App make_app(bool live) {
  vivace::App app({
      .title = "Features",
      .version = "1.2.3",
      .description = "Every documented feature.",
      .summary = "A test app",
      .terms_of_service = "https://example.com/terms",
      .contact = vivace::openapi::Contact{"API team", "https://example.com", "api@example.com"},
      .license_info = vivace::openapi::License{"MIT", "MIT", ""},
      .servers = live ? std::vector<vivace::openapi::ServerInfo>{}
                      : std::vector<vivace::openapi::ServerInfo>{{"https://api.example.com",
                                                                  "Production"}},
      .openapi_tags = {{"posts", "Blog posts"}, {"users", "People"}},
  });

  vivace::Router posts({.prefix = "/api/v1/posts",
                        .tags = {"posts"},
                        .responses = {{404, {"Not found", vivace::model_schema<Message>()}}}});
  posts.get<"/">(
      [](vivace::Depends<page> p, vivace::Query<"status", std::optional<Status>> s,
         vivace::Depends<request_id>) {
        PostOut post{*p, "page " + std::to_string(*p), s->value_or(Status::draft), {7, "ann"}, {}};
        return std::vector<PostOut>{post};
      },
      {.name = "list_posts",
       .param_docs = {
           {"status", {.description = "Only posts in this state", .example = "draft"}}}});
  posts.post<"/">(
      [](vivace::Security<current_user, "posts:write"> user, vivace::Body<PostIn> in) {
        return PostOut{1, std::string(*in->title), in->status, *user, {}};
      },
      {.name = "create_post", .status_code = 201});
  posts.get<"/{post_id}">(
      [](vivace::Path<"post_id", std::int64_t> id) -> std::optional<PostOut> {
        (void)id;
        return std::nullopt;
      },
      {.name = "read_post", .not_found_if_empty = true});
  posts.delete_<"/{post_id}">(
      [](vivace::Path<"post_id", std::int64_t>, vivace::Security<current_user, "admin">) {},
      {.name = "delete_post", .deprecated = true});
  app.include_router(posts);

  // The token URL of the OAuth2 scheme (tokens are the user names: this is a test app).
  app.post<"/api/v1/auth/login">(
      [](vivace::Form<vivace::OAuth2PasswordRequestForm> f) {
        if (f->password.reveal() != "secret")
          throw vivace::HTTPException(401, "Incorrect username or password",
                                      {{"WWW-Authenticate", "Bearer"}});
        return Token{f->username, "bearer"};
      },
      {.name = "login_for_access_token", .tags = {"auth"}});

  vivace::Router users({.prefix = "/api/v1/users", .tags = {"users"}});
  users.post<"/login">([](vivace::Form<Login> f) { return Message{f->username}; },
                       {.name = "login", .operation_id = "login_for_token"});
  users.put<"/me/avatar">(
      [](vivace::Form<Profile> p, vivace::File<"avatar"> a,
         vivace::File<"extra", std::vector<vivace::UploadFile>> more) {
        (void)p;
        (void)more;
        return Message{a->filename()};
      },
      {.name = "upload_avatar",
       .openapi_extra = {{"x-rate-limit", 10}},
       .response_model = vivace::response_model<Message>()});
  users.get<"/me/session">([](vivace::Cookie<"session", std::string> s) { return *s; },
                           {.name = "read_session"});
  app.include_router(users);

  vivace::Router admin({.prefix = "/api/v1/admin", .tags = {"admin"}});
  admin.get<"/bearer">([](vivace::HTTPBearer<> b) { return b.credentials->credentials; },
                       {.name = "with_bearer"});
  admin.get<"/basic">([](vivace::HTTPBasic<"admin"> b) { return b.credentials->username; },
                      {.name = "with_basic"});
  admin.get<"/keys">(
      [](vivace::APIKeyHeader<"X-API-Key", false> h, vivace::APIKeyQuery<"api_key", false> q,
         vivace::APIKeyCookie<"session_key", false> c) {
        return h.key.value_or(q.key.value_or(c.key.value_or("none")));
      },
      {.name = "with_api_keys"});
  app.include_router(admin);

  app.get<"/files/{path:path}">([](vivace::Path<"path", std::string> p) { return *p; },
                                {.name = "read_file"});
  app.get<"/page">([] { return vivace::HTMLResponse("<p>hi</p>"); }, {.name = "page"});
  app.get<"/hidden">([] { return "no"; }, {.include_in_schema = false});
  return app;
}

}  // namespace features

int main(int argc, char** argv) {
  const bool live = argc > 1 && std::string_view(argv[1]) == "--serve";
  auto app = features::make_app(live);
  if (live) {
    app.run({.port = 0});
    return 0;
  }
  std::cout << vivace::openapi::pretty(app.openapi());
}
