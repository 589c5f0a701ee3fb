// Multipart files and forms, response classes, optional → 404, response models.

#include <filesystem>
#include <fstream>

#include <boost/describe.hpp>
#include <catch2/catch.hpp>
#include <vivace/testing/client.hpp>
#include <vivace/vivace.hpp>

using namespace vivace;
namespace json = boost::json;

namespace {

struct Profile {
  std::string title;
  std::optional<int> age;
};
BOOST_DESCRIBE_STRUCT(Profile, (), (title, age))

struct UserInDb {
  std::int64_t id = 0;
  std::string username;
  std::string password_hash;
  std::optional<std::string> bio;
};
BOOST_DESCRIBE_STRUCT(UserInDb, (), (id, username, password_hash, bio))

struct UserOut {
  std::int64_t id = 0;
  std::string username;
  std::optional<std::string> bio;
};
BOOST_DESCRIBE_STRUCT(UserOut, (), (id, username, bio))

std::filesystem::path temp_file(const std::string& name, const std::string& content) {
  auto p = std::filesystem::temp_directory_path() / name;
  std::ofstream(p, std::ios::binary) << content;
  return p;
}

}  // namespace

TEST_CASE("File: uploads in memory, spooled to disk over the threshold, removed after", "[files]") {
  App app({.upload_spool_threshold = 64});
  std::filesystem::path seen_path;
  app.post<"/upload">([&](File<"file"> f) {
    if (f->on_disk()) {
      seen_path = f->path();
      CHECK(std::filesystem::exists(seen_path));
    }
    return json::value{{"filename", f->filename()},
                       {"content_type", f->content_type()},
                       {"size", f->size()},
                       {"on_disk", f->on_disk()},
                       {"content", f->read()}};
  });
  testing::TestClient client(app);

  auto small = client.post("/upload").file("file", "a.txt", "hello", "text/plain").send();
  REQUIRE(small.status == 200);
  CHECK(small.json() == json::value{{"filename", "a.txt"},
                                    {"content_type", "text/plain"},
                                    {"size", 5},
                                    {"on_disk", false},
                                    {"content", "hello"}});

  // Content with CRLFs and dashes that look like a boundary but are not one.
  std::string big;
  for (int i = 0; i < 50; ++i)
    big += "line " + std::to_string(i) + "\r\n--not-a-boundary\r\n";
  auto large = client.post("/upload").file("file", "big.bin", big).send();
  REQUIRE(large.status == 200);
  CHECK(large.json().at("on_disk") == true);
  CHECK(large.json().at("size") == big.size());
  CHECK(large.json().at("content") == json::value(big));
  CHECK(large.json().at("content_type") == "application/octet-stream");
  REQUIRE_FALSE(seen_path.empty());
  CHECK_FALSE(std::filesystem::exists(seen_path));  // deleted after the response
}

TEST_CASE("File: bytes, optional, several files, form fields beside files", "[files]") {
  App app;
  app.post<"/bytes">([](File<"f", std::string> f) { return *f; });
  app.post<"/optional">([](File<"f", std::optional<UploadFile>> f) {
    return f->has_value() ? (*f)->filename() : std::string{"none"};
  });
  app.post<"/many">([](File<"docs", std::vector<UploadFile>> docs) {
    json::array names;
    for (const auto& d : *docs)
      names.emplace_back(d.filename());
    return json::value(names);
  });
  app.post<"/profile">([](Form<Profile> p, File<"avatar"> a) {
    return json::value{{"title", p->title},
                       {"age", p->age ? json::value(*p->age) : nullptr},
                       {"avatar", a->read()}};
  });
  testing::TestClient client(app);

  CHECK(client.post("/bytes").file("f", "x", "bytes\r\n\x01").send().body ==
        "\"bytes\\r\\n\\u0001\"");
  CHECK(client.post("/optional").field("other", "1").send().json() == "none");
  // Another kind of body is a 415, as for Body and Form; a urlencoded form has no files.
  CHECK(client.post("/bytes").json({{"f", "x"}}).send().status == 415);
  CHECK(client.post("/bytes").body("f=x", "text/plain").send().status == 415);
  CHECK(client.post("/optional").form({{"other", "1"}}).send().json() == "none");
  CHECK(client.post("/bytes").form({{"f", "x"}}).send().status == 422);
  CHECK(client.post("/optional").file("f", "o.txt", "o").send().json() == "o.txt");
  CHECK(client.post("/many").file("docs", "1.txt", "a").file("docs", "2.txt", "b").send().json() ==
        json::array{"1.txt", "2.txt"});
  auto p = client.post("/profile")
               .field("title", "Dr")
               .field("age", "42")
               .file("avatar", "me.png", "PNG", "image/png")
               .send();
  CHECK(p.json() == json::value{{"title", "Dr"}, {"age", 42}, {"avatar", "PNG"}});

  // Every error together: the form field and the missing file.
  auto bad = client.post("/profile").field("age", "old").send();
  REQUIRE(bad.status == 422);
  auto d = bad.json().at("detail").as_array();
  REQUIRE(d.size() == 3);
  CHECK(d[0].at("loc") == json::array{"body", "title"});
  CHECK(d[1].at("loc") == json::array{"body", "age"});
  CHECK(d[2].at("loc") == json::array{"body", "avatar"});
  CHECK(d[2].at("type") == "missing");

  // Documented as multipart with the file part.
  const auto& info = app.routes().at(3).info;
  REQUIRE(info.body);
  CHECK(info.body->media_type == "multipart/form-data");
  REQUIRE(info.body->files.size() == 1);
  CHECK(info.body->files[0].name == "avatar");
  CHECK(app.routes().at(2).info.body->files[0].multiple);
}

TEST_CASE("multipart: malformed bodies are a 400 with the reason", "[files]") {
  App app;
  app.post<"/bytes">([](File<"f", std::string> f) { return *f; });
  testing::TestClient client(app);
  auto send = [&](std::string body, std::string ct = "multipart/form-data; boundary=XyZ") {
    return client.post("/bytes").body(std::move(body), std::move(ct)).send();
  };
  auto unterminated =
      send("--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a\"\r\n\r\ndata");
  CHECK(unterminated.status == 400);
  CHECK(unterminated.json().at("detail") ==
        "Invalid multipart/form-data body: the body ends before the closing boundary");
  auto no_name = send("--XyZ\r\nContent-Disposition: form-data\r\n\r\nx\r\n--XyZ--\r\n");
  CHECK(no_name.json().at("detail") == "Invalid multipart/form-data body: a part has no name");
  auto no_boundary = send("whatever", "multipart/form-data");
  CHECK(no_boundary.status == 400);
  auto ok = send(
      "preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"f\"; "
      "filename=\"a\"\r\n\r\n12\r\n--XyZ--\r\nepilogue");
  CHECK(ok.status == 200);
  CHECK(ok.json() == "12");
  // A JSON body where a file is expected: 415, as Body and Form answer another media type
  // (FastAPI says 422 "missing"; the contract wants one answer on every endpoint).
  CHECK(client.post("/bytes").json(json::object{}).send().status == 415);
}

TEST_CASE("response classes", "[responses]") {
  App app;
  app.get<"/json">([] { return JSONResponse(json::value{{"a", 1}}, 202); });
  app.get<"/text">([] { return PlainTextResponse("plain"); });
  app.get<"/html">([] { return HTMLResponse("<h1>x</h1>"); });
  app.get<"/go">([] { return RedirectResponse("/json", 303); });
  app.get<"/none">([]() -> std::nullptr_t { return nullptr; });
  app.get<"/gen">([] {
    return StreamingResponse(
        []() -> Generator<std::string> {
          for (int i = 0; i < 3; ++i)
            co_yield "line " + std::to_string(i) + "\n";
        }(),
        "text/plain");
  });
  app.get<"/async">([]() -> Task<Response> {
    auto n = std::make_shared<int>(0);
    co_return StreamingResponse([n]() -> Task<std::optional<std::string>> {
      if (*n == 2)
        co_return std::nullopt;
      co_return std::to_string((*n)++);
    });
  });
  testing::TestClient client(app);
  auto j = client.get("/json").send();
  CHECK(j.status == 202);
  CHECK(j.json() == json::value{{"a", 1}});
  CHECK(client.get("/text").send().headers.get("Content-Type") == "text/plain; charset=utf-8");
  CHECK(client.get("/html").send().body == "<h1>x</h1>");
  auto go = client.get("/go").send();
  CHECK(go.status == 303);
  CHECK(go.headers.get("Location") == "/json");
  CHECK(client.get("/none").send().status == 204);
  auto gen = client.get("/gen").send();
  CHECK(gen.body == "line 0\nline 1\nline 2\n");
  CHECK(gen.headers.get("Content-Type") == "text/plain");
  CHECK(client.get("/async").send().body == "01");

  CHECK(app.routes().at(1).info.options.response_class == "text/plain");
  CHECK(app.routes().at(2).info.options.response_class == "text/html");
}

TEST_CASE("FileResponse: type from the extension, ranges, validators", "[responses]") {
  std::string content;
  for (int i = 0; i < 1000; ++i)
    content += static_cast<char>('a' + i % 26);
  auto path = temp_file("vivace-file-response-test.json", content);
  App app;
  app.get<"/f">([&] { return FileResponse(path); });
  app.get<"/download">([&] { return FileResponse(path, {.filename = "report 1.json"}); });
  app.get<"/missing">([] { return FileResponse("/nonexistent/vivace/file.txt"); });
  testing::TestClient client(app);

  auto full = client.get("/f").send();
  CHECK(full.status == 200);
  CHECK(full.body == content);
  CHECK(full.headers.get("Content-Type") == "application/json; charset=utf-8");
  CHECK(full.headers.get("Accept-Ranges") == "bytes");
  auto etag = std::string(*full.headers.get("ETag"));

  auto part = client.get("/f").header("Range", "bytes=10-19").send();
  CHECK(part.status == 206);
  CHECK(part.body == content.substr(10, 10));
  CHECK(part.headers.get("Content-Range") == "bytes 10-19/1000");

  auto suffix = client.get("/f").header("Range", "bytes=-5").send();
  CHECK(suffix.status == 206);
  CHECK(suffix.body == content.substr(995));
  auto open = client.get("/f").header("Range", "bytes=990-").send();
  CHECK(open.body == content.substr(990));
  auto clipped = client.get("/f").header("Range", "bytes=990-5000").send();
  CHECK(clipped.headers.get("Content-Range") == "bytes 990-999/1000");

  auto beyond = client.get("/f").header("Range", "bytes=1000-").send();
  CHECK(beyond.status == 416);
  CHECK(beyond.headers.get("Content-Range") == "bytes */1000");

  CHECK(client.get("/f").header("Range", "bytes=0-1,5-6").send().status == 200);
  CHECK(client.get("/f").header("Range", "bytes=abc").send().status == 200);
  CHECK(
      client.get("/f").header("Range", "bytes=0-1").header("If-Range", "\"stale\"").send().status ==
      200);
  CHECK(client.get("/f").header("Range", "bytes=0-1").header("If-Range", etag).send().status ==
        206);

  CHECK(client.get("/download").send().headers.get("Content-Disposition") ==
        "attachment; filename=\"report 1.json\"");
  CHECK(client.get("/missing").send().status == 500);
  std::filesystem::remove(path);
}

TEST_CASE("media_type_for: the system's table, the longest suffix, the built-in list",
          "[responses]") {
  // The basic names, from the system's table or the built-in list alike.
  CHECK(vivace::media_type_for("a/index.HTML") == "text/html; charset=utf-8");
  CHECK(vivace::media_type_for("app.js") == "text/javascript; charset=utf-8");
  CHECK(vivace::media_type_for("logo.png") == "image/png");
  // Not in Debian's table: the built-in list answers.
  CHECK(vivace::media_type_for("app.js.map") == "application/json; charset=utf-8");
  // No extension, a dot file, an unknown extension.
  CHECK(vivace::media_type_for("README") == "application/octet-stream");
  CHECK(vivace::media_type_for(".profile") == "application/octet-stream");
  CHECK(vivace::media_type_for("data.no-such-type") == "application/octet-stream");
  if (std::filesystem::exists("/etc/mime.types")) {
    // Only the system's table (Debian's media-types, which scripts/setup.sh installs) has these.
    CHECK(vivace::media_type_for("letter.odt") == "application/vnd.oasis.opendocument.text");
    CHECK(vivace::media_type_for("tool.cwl.json") == "application/cwl+json");
    CHECK(vivace::media_type_for("photo.heic") == "image/heic");
  }
}

TEST_CASE("std::optional returns: 404 when the route asks, null otherwise", "[responses]") {
  App app;
  auto find = [](Path<"id", int> id) -> std::optional<Profile> {
    if (*id == 1)
      return Profile{"found", std::nullopt};
    return std::nullopt;
  };
  app.get<"/strict/{id}">(find, {.not_found_if_empty = true});
  app.get<"/lenient/{id}">(find);
  testing::TestClient client(app);
  CHECK(client.get("/strict/1").send().json().at("title") == "found");
  auto missing = client.get("/strict/2").send();
  CHECK(missing.status == 404);
  CHECK(missing.json() == json::value{{"detail", "Not Found"}});
  auto lenient = client.get("/lenient/2").send();
  CHECK(lenient.status == 200);
  CHECK(lenient.body == "null");
}

TEST_CASE("response_model filters the returned value; exclude_none", "[responses]") {
  App app;
  auto read = [] { return UserInDb{7, "ann", "$scrypt$secret", std::nullopt}; };
  app.get<"/user">(read, {.response_model = response_model<UserOut>()});
  app.get<"/user-compact">(
      read, {.response_model = response_model<UserOut>(), .response_model_exclude_none = true});
  app.get<"/raw">(read, {.response_model_exclude_none = true});
  app.get<"/wrong">(
      [] {
        return json::value{{"nothing", 1}};
      },
      {.response_model = response_model<UserOut>()});
  testing::TestClient client(app);
  CHECK(client.get("/user").send().json() ==
        json::value{{"id", 7}, {"username", "ann"}, {"bio", nullptr}});
  CHECK(client.get("/user-compact").send().json() == json::value{{"id", 7}, {"username", "ann"}});
  CHECK(client.get("/raw").send().json().as_object().contains("password_hash"));
  auto wrong = client.get("/wrong").send();
  CHECK(wrong.status == 500);
  CHECK(wrong.json() == json::value{{"detail", "Internal Server Error"}});
}
