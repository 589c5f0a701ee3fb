// Typed settings: environment and .env into a described struct, every problem named by
// variable. No test reads the machine's own environment or working directory: each gives an
// explicit environment and its own .env file in a temporary directory.

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/describe.hpp>
#include <catch2/catch.hpp>
#include <vivace/schema.hpp>
#include <vivace/settings/settings.hpp>

using namespace vivace;
using namespace std::chrono_literals;
using settings::load_settings;
using settings::SettingsError;
using settings::SettingsOptions;
using settings::SettingsProblem;

namespace cfg {

struct Database {
  std::string host;
  Int<ge<1>, le<65535>> port;
  SecretStr password;
};
BOOST_DESCRIBE_STRUCT(Database, (), (host, port, password))

struct Limits {
  int max_items = 0;
  std::string label;
};
BOOST_DESCRIBE_STRUCT(Limits, (), (max_items, label))

struct App {
  Url database_url;
  SecretStr secret_key;
  Int<ge<1>, le<65535>> port = 8000;
  bool debug = false;
  std::vector<std::string> cors_origins;
  std::vector<int> worker_ids;
  std::chrono::seconds token_ttl = 30min;
  std::chrono::milliseconds poll_interval = 250ms;
  std::optional<std::string> admin_email;
  std::optional<int> max_users;
  Limits limits;
};
BOOST_DESCRIBE_STRUCT(App, (),
                      (database_url, secret_key, port, debug, cors_origins, worker_ids, token_ttl,
                       poll_interval, admin_email, max_users, limits))

inline schema::model_options vivace_model(const App*) {
  return {.fields = {{"port", {.has_default = true}},
                     {"debug", {.has_default = true}},
                     {"cors_origins", {.has_default = true}},
                     {"worker_ids", {.has_default = true}},
                     {"token_ttl", {.has_default = true}},
                     {"poll_interval", {.has_default = true}},
                     {"limits", {.has_default = true}}}};
}

struct Flags {
  bool enabled;
};
BOOST_DESCRIBE_STRUCT(Flags, (), (enabled))

struct Port {
  Int<ge<1>, le<65535>> port;
};
BOOST_DESCRIBE_STRUCT(Port, (), (port))

struct Ids {
  List<int, max_items<3>> ids;
};
BOOST_DESCRIBE_STRUCT(Ids, (), (ids))

struct Link {
  Url url;
  std::optional<Url> mirror;
};
BOOST_DESCRIBE_STRUCT(Link, (), (url, mirror))

struct Credentials {
  Secret<min_len<8>> api_key;
  std::optional<Database> db;
};
BOOST_DESCRIBE_STRUCT(Credentials, (), (api_key, db))

struct Timeouts {
  std::chrono::seconds read;
  std::chrono::milliseconds write;
  std::chrono::minutes idle;
};
BOOST_DESCRIBE_STRUCT(Timeouts, (), (read, write, idle))

struct Required {
  std::string name;
  int count = 7;  // an initialiser alone does not make it optional: has_default does
};
BOOST_DESCRIBE_STRUCT(Required, (), (name, count))

struct Aliased {
  std::string from_;
};
BOOST_DESCRIBE_STRUCT(Aliased, (), (from_))
inline schema::model_options vivace_model(const Aliased*) {
  return {.fields = {{"from_", {.alias = "from"}}}};
}

struct Range {
  int low;
  int high;
};
BOOST_DESCRIBE_STRUCT(Range, (), (low, high))
inline void vivace_validate(const Range& r, schema::model_errors& e) {
  if (r.low > r.high)
    e.add("high", "must not be below low");
}

struct Node {
  std::string name;
  std::vector<Node> children;
};
BOOST_DESCRIBE_STRUCT(Node, (), (name, children))
inline schema::model_options vivace_model(const Node*) {
  return {.fields = {{"children", {.has_default = true}}}};
}

struct Tree {
  Node root;
  Limits limits;
};
BOOST_DESCRIBE_STRUCT(Tree, (), (root, limits))

}  // namespace cfg

namespace {

/// A fresh directory under the system's temporary directory, removed afterwards.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
    path_ = std::filesystem::temp_directory_path() /
            ("vivace-settings-" + std::to_string(stamp) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::filesystem::path write(const std::string& name, const std::string& content) const {
    auto p = path_ / name;
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// Options that read only `env`: no process environment, no .env file.
SettingsOptions only(std::map<std::string, std::string> env, std::string prefix = "") {
  return {.env_prefix = std::move(prefix),
          .env_file = std::nullopt,
          .read_environment = false,
          .environment_overrides = std::move(env)};
}

/// The problems `load_settings<T>` throws with; fails the test when it does not throw.
template <class T>
std::vector<SettingsProblem> problems_of(const SettingsOptions& o, std::string* what = nullptr) {
  try {
    (void)load_settings<T>(o);
  } catch (const SettingsError& e) {
    if (what)
      *what = e.what();
    return e.problems();
  }
  FAIL("load_settings did not throw");
  return {};
}

const std::map<std::string, std::string> minimal = {
    {"APP_DATABASE_URL", "postgresql://db.example:5432/app"}, {"APP_SECRET_KEY", "s3cr3t-value"}};

}  // namespace

TEST_CASE("settings: a struct loads with every kind of field", "[settings]") {
  auto env = minimal;
  env["APP_PORT"] = "9000";
  env["APP_DEBUG"] = "yes";
  env["APP_CORS_ORIGINS"] = "https://a.example, https://b.example";
  env["APP_WORKER_IDS"] = "[1, 2, 3]";
  env["APP_TOKEN_TTL"] = "2h";
  env["APP_POLL_INTERVAL"] = "1500ms";
  env["APP_MAX_USERS"] = "12";
  env["APP_LIMITS"] = R"({"max_items": 5, "label": "small"})";
  const auto s = load_settings<cfg::App>(only(env, "APP_"));

  CHECK(s.database_url.value == "postgresql://db.example:5432/app");
  CHECK(s.secret_key.reveal() == "s3cr3t-value");
  CHECK(*s.port == 9000);
  CHECK(s.debug);
  CHECK(s.cors_origins == std::vector<std::string>{"https://a.example", "https://b.example"});
  CHECK(s.worker_ids == std::vector<int>{1, 2, 3});
  CHECK(s.token_ttl == 2h);
  CHECK(s.poll_interval == 1500ms);
  CHECK_FALSE(s.admin_email.has_value());
  CHECK(s.max_users == 12);
  CHECK(s.limits.max_items == 5);
  CHECK(s.limits.label == "small");
}

TEST_CASE("settings: absent optional fields are empty, defaulted ones keep their initialiser",
          "[settings]") {
  const auto s = load_settings<cfg::App>(only(minimal, "APP_"));
  CHECK(*s.port == 8000);
  CHECK_FALSE(s.debug);
  CHECK(s.cors_origins.empty());
  CHECK(s.token_ttl == 30min);
  CHECK(s.poll_interval == 250ms);
  CHECK_FALSE(s.admin_email.has_value());
  CHECK_FALSE(s.max_users.has_value());
  CHECK(s.limits.max_items == 0);

  // A member initialiser without has_default does not make the field optional.
  auto p = problems_of<cfg::Required>(only({{"NAME", "x"}}));
  REQUIRE(p.size() == 1);
  CHECK(p[0].variable == "COUNT");
  CHECK(p[0].type == "missing");
  CHECK_FALSE(p[0].value.has_value());
}

TEST_CASE("settings: the environment wins over the .env file, which fills the rest", "[settings]") {
  TempDir dir;
  auto file = dir.write(".env",
                        "APP_PORT=1111\n"
                        "APP_DATABASE_URL=https://from-file.example\n"
                        "APP_SECRET_KEY=file-secret\n");
  SettingsOptions o{.env_prefix = "APP_",
                    .env_file = file,
                    .read_environment = false,
                    .environment_overrides = {{"APP_PORT", "2222"}}};
  auto s = load_settings<cfg::App>(o);
  CHECK(*s.port == 2222);
  CHECK(s.database_url.value == "https://from-file.example");
  CHECK(s.secret_key.reveal() == "file-secret");

  // Case-insensitively, a lower-case environment variable still wins over the file.
  o.environment_overrides = {{"app_port", "3333"}};
  CHECK(*load_settings<cfg::App>(o).port == 3333);

  // An empty value is a value (and not a port) unless env_ignore_empty is set.
  o.environment_overrides = {{"APP_PORT", ""}};
  auto p = problems_of<cfg::App>(o);
  REQUIRE(p.size() == 1);
  CHECK(p[0].variable == "APP_PORT");
  CHECK(p[0].type == "int_parsing");
  o.env_ignore_empty = true;
  CHECK(*load_settings<cfg::App>(o).port == 1111);
}

#ifndef _WIN32
TEST_CASE("settings: the process environment is read, below explicit overrides", "[settings]") {
  // Names no machine has, removed afterwards.
  ::setenv("VIVACE_SETTINGS_TEST_7F3A_PORT", "4444", 1);
  ::setenv("vivace_settings_test_7f3a_enabled", "on", 1);
  SettingsOptions o{.env_prefix = "VIVACE_SETTINGS_TEST_7F3A_", .env_file = std::nullopt};
  CHECK(*load_settings<cfg::Port>(o).port == 4444);
  CHECK(load_settings<cfg::Flags>(o).enabled);
  o.environment_overrides = {{"VIVACE_SETTINGS_TEST_7F3A_PORT", "5555"}};
  CHECK(*load_settings<cfg::Port>(o).port == 5555);
  o.read_environment = false;
  o.environment_overrides.clear();
  CHECK(problems_of<cfg::Port>(o).at(0).type == "missing");
  ::unsetenv("VIVACE_SETTINGS_TEST_7F3A_PORT");
  ::unsetenv("vivace_settings_test_7f3a_enabled");
}
#endif

TEST_CASE("settings: prefix and case sensitivity", "[settings]") {
  SECTION("no prefix by default") {
    CHECK(*load_settings<cfg::Port>(only({{"PORT", "81"}})).port == 81);
    CHECK(problems_of<cfg::Port>(only({{"APP_PORT", "81"}})).at(0).variable == "PORT");
  }
  SECTION("case-insensitive by default, for the prefix too") {
    CHECK(*load_settings<cfg::Port>(only({{"app_port", "82"}}, "APP_")).port == 82);
    CHECK(*load_settings<cfg::Port>(only({{"App_Port", "83"}}, "app_")).port == 83);
    // the exact upper-case spelling is preferred when several spellings are set
    CHECK(*load_settings<cfg::Port>(only({{"app_port", "1"}, {"APP_PORT", "84"}}, "APP_")).port ==
          84);
  }
  SECTION("a problem names the variable as it was spelled") {
    auto p = problems_of<cfg::Port>(only({{"app_port", "x"}}, "APP_"));
    REQUIRE(p.size() == 1);
    CHECK(p[0].variable == "app_port");
  }
  SECTION("case-sensitive: prefix + field name exactly") {
    auto o = only({{"APP_port", "85"}}, "APP_");
    o.case_sensitive = true;
    CHECK(*load_settings<cfg::Port>(o).port == 85);
    o.environment_overrides = {{"APP_PORT", "86"}};
    auto p = problems_of<cfg::Port>(o);
    REQUIRE(p.size() == 1);
    CHECK(p[0].variable == "APP_port");
    CHECK(p[0].type == "missing");
  }
  SECTION("an alias names the variable") {
    CHECK(load_settings<cfg::Aliased>(only({{"APP_FROM", "x"}}, "APP_")).from_ == "x");
    CHECK(problems_of<cfg::Aliased>(only({}, "APP_")).at(0).variable == "APP_FROM");
  }
}

TEST_CASE("settings: booleans accept pydantic's spellings, in any case", "[settings]") {
  for (const char* t : {"true", "True", "TRUE", "1", "yes", "YES", "on", "On", "t", "y"}) {
    INFO(t);
    CHECK(load_settings<cfg::Flags>(only({{"ENABLED", t}})).enabled);
  }
  for (const char* f : {"false", "False", "0", "no", "NO", "off", "OFF", "f", "n"}) {
    INFO(f);
    CHECK_FALSE(load_settings<cfg::Flags>(only({{"ENABLED", f}})).enabled);
  }
  std::string what;
  auto p = problems_of<cfg::Flags>(only({{"ENABLED", "maybe"}}), &what);
  REQUIRE(p.size() == 1);
  CHECK(p[0].variable == "ENABLED");
  CHECK(p[0].type == "bool_parsing");
  CHECK(p[0].value == "maybe");
  CHECK(p[0].origin == "environment");
  CHECK(what ==
        "invalid settings: 1 problem\n"
        "  ENABLED: Input should be a valid boolean, unable to interpret input [bool_parsing], "
        "got \"maybe\" (from environment)");
}

TEST_CASE("settings: integers are converted and their constraints checked", "[settings]") {
  CHECK(*load_settings<cfg::Port>(only({{"PORT", " 8080 "}})).port == 8080);
  auto p = problems_of<cfg::Port>(only({{"PORT", "0"}}));
  REQUIRE(p.size() == 1);
  CHECK(p[0].type == "greater_than_equal");
  CHECK(p[0].message == "Input should be greater than or equal to 1");
  CHECK(p[0].value == "0");
  p = problems_of<cfg::Port>(only({{"PORT", "70000"}}));
  CHECK(p.at(0).type == "less_than_equal");
  p = problems_of<cfg::Port>(only({{"PORT", "80a"}}));
  CHECK(p.at(0).type == "int_parsing");
  CHECK(p.at(0).value == "80a");
}

TEST_CASE("settings: lists from comma-separated text or a JSON array", "[settings]") {
  auto env = minimal;
  env["APP_CORS_ORIGINS"] = " a , b,c ";
  CHECK(load_settings<cfg::App>(only(env, "APP_")).cors_origins ==
        std::vector<std::string>{"a", "b", "c"});
  env["APP_CORS_ORIGINS"] = R"(["x, with comma", "y"])";
  CHECK(load_settings<cfg::App>(only(env, "APP_")).cors_origins ==
        std::vector<std::string>{"x, with comma", "y"});
  env["APP_CORS_ORIGINS"] = "";
  CHECK(load_settings<cfg::App>(only(env, "APP_")).cors_origins.empty());
  env["APP_CORS_ORIGINS"] = "one";
  CHECK(load_settings<cfg::App>(only(env, "APP_")).cors_origins == std::vector<std::string>{"one"});
  env["APP_WORKER_IDS"] = "4, 5,6";
  CHECK(load_settings<cfg::App>(only(env, "APP_")).worker_ids == std::vector<int>{4, 5, 6});

  SECTION("a bad item is located inside the variable") {
    env["APP_WORKER_IDS"] = "1,x,3";
    auto p = problems_of<cfg::App>(only(env, "APP_"));
    REQUIRE(p.size() == 1);
    CHECK(p[0].variable == "APP_WORKER_IDS");
    CHECK(p[0].loc == boost::json::array{1});
    CHECK(p[0].type == "int_parsing");
    CHECK(p[0].value == "x");
    CHECK(p[0].to_string().starts_with("APP_WORKER_IDS[1]: Input should be a valid integer"));
  }
  SECTION("list constraints apply") {
    auto p = problems_of<cfg::Ids>(only({{"IDS", "1,2,3,4"}}));
    REQUIRE(p.size() == 1);
    CHECK(p[0].type == "too_long");
    CHECK(p[0].value == "1,2,3,4");
  }
  SECTION("malformed JSON is one json_invalid problem, not also a missing field") {
    env["APP_WORKER_IDS"] = "[1, 2";
    auto p = problems_of<cfg::App>(only(env, "APP_"));
    REQUIRE(p.size() == 1);
    CHECK(p[0].variable == "APP_WORKER_IDS");
    CHECK(p[0].type == "json_invalid");
    CHECK(p[0].message.starts_with("Invalid JSON"));
    CHECK(p[0].value == "[1, 2");
  }
}

TEST_CASE("settings: nested models from JSON text", "[settings]") {
  auto env = minimal;
  env["APP_LIMITS"] = R"({"max_items": "many", "label": "x"})";
  auto p = problems_of<cfg::App>(only(env, "APP_"));
  REQUIRE(p.size() == 1);
  CHECK(p[0].variable == "APP_LIMITS");
  CHECK(p[0].loc == boost::json::array{"max_items"});
  CHECK(p[0].type == "int_parsing");
  CHECK(p[0].value == "many");
  CHECK(p[0].to_string().starts_with("APP_LIMITS.max_items: "));

  env["APP_LIMITS"] = "max_items=5";
  p = problems_of<cfg::App>(only(env, "APP_"));
  REQUIRE(p.size() == 1);
  CHECK(p[0].type == "json_invalid");
}

TEST_CASE("settings: URLs", "[settings]") {
  auto s = load_settings<cfg::Link>(only({{"URL", "https://example.com/x?y=1"}}));
  CHECK(s.url.value == "https://example.com/x?y=1");
  CHECK_FALSE(s.mirror.has_value());

  auto p = problems_of<cfg::Link>(only({{"URL", "not a url"}, {"MIRROR", "also bad"}}));
  REQUIRE(p.size() == 2);
  CHECK(p[0].variable == "URL");
  CHECK(p[0].type == "url_parsing");
  CHECK(p[0].value == "not a url");
  CHECK(p[1].variable == "MIRROR");
  CHECK(p[1].type == "url_parsing");
}

TEST_CASE("settings: secrets are masked in every problem", "[settings]") {
  std::string what;
  auto p = problems_of<cfg::Credentials>(only({{"API_KEY", "short"}}), &what);
  REQUIRE(p.size() == 1);
  CHECK(p[0].variable == "API_KEY");
  CHECK(p[0].type == "string_too_short");
  CHECK(p[0].value == "**********");
  CHECK(what.find("short\"") == std::string::npos);
  CHECK(what.find("\"**********\"") != std::string::npos);

  // A nested model holding a secret: none of its text is shown.
  p = problems_of<cfg::Credentials>(
      only({{"API_KEY", "long-enough-key"},
            {"DB", R"({"host": "h", "port": 0, "password": "hunter2-pass"})"}}),
      &what);
  REQUIRE(p.size() == 1);
  CHECK(p[0].variable == "DB");
  CHECK(p[0].loc == boost::json::array{"port"});
  CHECK(p[0].value == "**********");
  CHECK(what.find("hunter2") == std::string::npos);

  // ... also when its JSON is malformed.
  p = problems_of<cfg::Credentials>(
      only({{"API_KEY", "long-enough-key"}, {"DB", R"({"password": "hunter2-pass")"}}), &what);
  REQUIRE(p.size() == 1);
  CHECK(p[0].type == "json_invalid");
  CHECK(p[0].value == "**********");
  CHECK(what.find("hunter2") == std::string::npos);

  // The value decodes and stays retrievable.
  CHECK(load_settings<cfg::Credentials>(only({{"API_KEY", "long-enough-key"}})).api_key.reveal() ==
        "long-enough-key");
}

TEST_CASE("settings: durations in seconds or with units", "[settings]") {
  auto t =
      load_settings<cfg::Timeouts>(only({{"READ", "30"}, {"WRITE", "1500ms"}, {"IDLE", "2h"}}));
  CHECK(t.read == 30s);
  CHECK(t.write == 1500ms);
  CHECK(t.idle == 120min);
  t = load_settings<cfg::Timeouts>(only({{"READ", "5m"}, {"WRITE", "2"}, {"IDLE", "1h30m"}}));
  CHECK(t.read == 300s);
  CHECK(t.write == 2000ms);
  CHECK(t.idle == 90min);

  auto p =
      problems_of<cfg::Timeouts>(only({{"READ", "1500ms"}, {"WRITE", "soon"}, {"IDLE", "90s"}}));
  REQUIRE(p.size() == 3);
  CHECK(p[0].variable == "READ");
  CHECK(p[0].type == "time_delta_parsing");
  CHECK(p[0].message == "Input should be a valid duration, a whole number of seconds");
  CHECK(p[1].variable == "WRITE");
  CHECK(p[1].type == "time_delta_parsing");
  CHECK(p[1].value == "soon");
  CHECK(p[2].variable == "IDLE");
  CHECK(p[2].message == "Input should be a valid duration, a whole number of minutes");
}

TEST_CASE("settings: every problem is reported at once, in field order", "[settings]") {
  TempDir dir;
  auto file = dir.write(".env", "APP_DEBUG=perhaps\nAPP_SECRET_KEY=from-file\n");
  SettingsOptions o{.env_prefix = "APP_",
                    .env_file = file,
                    .read_environment = false,
                    .environment_overrides = {{"APP_PORT", "0"},
                                              {"APP_CORS_ORIGINS", "a,b"},
                                              {"APP_TOKEN_TTL", "forever"},
                                              {"APP_MAX_USERS", "lots"}}};
  std::string what;
  auto p = problems_of<cfg::App>(o, &what);
  REQUIRE(p.size() == 5);
  CHECK(p[0].variable == "APP_DATABASE_URL");
  CHECK(p[0].type == "missing");
  CHECK(p[0].message == "Field required");
  CHECK_FALSE(p[0].value.has_value());
  CHECK(p[0].origin.empty());
  CHECK(p[1].variable == "APP_PORT");
  CHECK(p[1].type == "greater_than_equal");
  CHECK(p[1].value == "0");
  CHECK(p[2].variable == "APP_DEBUG");
  CHECK(p[2].type == "bool_parsing");
  CHECK(p[2].value == "perhaps");
  CHECK(p[2].origin == file.string() + ":1");
  CHECK(p[3].variable == "APP_TOKEN_TTL");
  CHECK(p[3].type == "time_delta_parsing");
  CHECK(p[4].variable == "APP_MAX_USERS");
  CHECK(p[4].type == "int_parsing");

  CHECK(what.starts_with("invalid settings: 5 problems\n"));
  CHECK(std::count(what.begin(), what.end(), '\n') == 5);
  CHECK(what.find("  APP_DATABASE_URL: Field required [missing]\n") != std::string::npos);
  CHECK(what.find("  APP_PORT: Input should be greater than or equal to 1 [greater_than_equal], "
                  "got \"0\" (from environment)\n") != std::string::npos);
  CHECK(what.find("  APP_DEBUG: Input should be a valid boolean, unable to interpret input "
                  "[bool_parsing], got \"perhaps\" (from " +
                  file.string() + ":1)\n") != std::string::npos);
}

TEST_CASE("settings: a model validator's error names the variable", "[settings]") {
  CHECK(load_settings<cfg::Range>(only({{"LOW", "1"}, {"HIGH", "2"}})).high == 2);
  auto p = problems_of<cfg::Range>(only({{"LOW", "5"}, {"HIGH", "2"}}));
  REQUIRE(p.size() == 1);
  CHECK(p[0].variable == "HIGH");
  CHECK(p[0].type == "value_error");
  CHECK(p[0].message == "Value error, must not be below low");
  CHECK(p[0].value == "2");
}

TEST_CASE("settings: .env syntax", "[settings]") {
  const auto d = settings::parse_dotenv(
      "# a comment\n"
      "\n"
      "PLAIN=value\n"
      "  SPACED  =   spaced value   \n"
      "export EXPORTED=yes\n"
      "INLINE=abc # a comment\n"
      "HASH=a#b\n"
      "EMPTY=\n"
      "EMPTY_COMMENT= # nothing\n"
      "SINGLE='lit $HOME \\n # not a comment'\n"
      "DOUBLE=\"line1\\nline2 \\\"quoted\\\" back\\\\slash\\ttab\" # comment\n"
      "MULTI=\"first\n"
      "second\"\n"
      "CRLF=windows\r\n"
      "URL=postgres://u:p@h/db?x=1\n"
      "PLAIN=again\n",
      "test.env");
  CHECK(d.problems.empty());
  std::map<std::string, std::string> kv;
  std::map<std::string, std::size_t> lines;
  for (const auto& e : d.entries) {
    kv[e.key] = e.value;
    lines[e.key] = e.line;
  }
  CHECK(kv["PLAIN"] == "again");  // the later line wins
  CHECK(kv["SPACED"] == "spaced value");
  CHECK(kv["EXPORTED"] == "yes");
  CHECK(kv["INLINE"] == "abc");
  CHECK(kv["HASH"] == "a#b");
  CHECK(kv.count("EMPTY") == 1);
  CHECK(kv["EMPTY"].empty());
  CHECK(kv["EMPTY_COMMENT"].empty());
  CHECK(kv["SINGLE"] == "lit $HOME \\n # not a comment");
  CHECK(kv["DOUBLE"] == "line1\nline2 \"quoted\" back\\slash\ttab");
  CHECK(kv["MULTI"] == "first\nsecond");
  CHECK(kv["CRLF"] == "windows");
  CHECK(kv["URL"] == "postgres://u:p@h/db?x=1");
  CHECK(lines["MULTI"] == 12);
  CHECK(lines["CRLF"] == 14);     // line numbers continue after a multi-line value
  CHECK(d.entries.size() == 13);  // PLAIN twice
}

TEST_CASE("settings: malformed .env lines are problems with their line number", "[settings]") {
  const auto d = settings::parse_dotenv(
      "GOOD=1\n"
      "NO_EQUALS_SIGN\n"
      "1BAD=x\n"
      "QUOTED=\"closed\" trailing\n"
      "ALSO_GOOD=2\n"
      "OPEN='never closed\n"
      "LOST=3\n",
      "conf/.env");
  REQUIRE(d.problems.size() == 4);
  CHECK(d.problems[0].origin == "conf/.env:2");
  CHECK(d.problems[0].type == "env_file_syntax");
  CHECK(d.problems[0].variable == "NO_EQUALS_SIGN");
  CHECK(d.problems[1].origin == "conf/.env:3");
  CHECK(d.problems[1].message.starts_with("invalid variable name \"1BAD\""));
  CHECK(d.problems[2].origin == "conf/.env:4");
  CHECK(d.problems[2].message == "unexpected text after the closing quote");
  CHECK(d.problems[3].origin == "conf/.env:6");
  CHECK(d.problems[3].message == "unterminated single-quoted value");
  REQUIRE(d.entries.size() == 2);
  CHECK(d.entries[0].key == "GOOD");
  CHECK(d.entries[1].key == "ALSO_GOOD");
  CHECK(d.entries[1].line == 5);

  // Through load_settings: the file's problems come first, with the others.
  TempDir dir;
  auto file = dir.write("app.env", "PORT=80\nthis is not a setting\n");
  SettingsOptions o{.env_file = file, .read_environment = false};
  std::string what;
  auto p = problems_of<cfg::Range>(o, &what);
  REQUIRE(p.size() == 3);
  CHECK(p[0].type == "env_file_syntax");
  CHECK(p[0].origin == file.string() + ":2");
  CHECK(p[1].variable == "LOW");
  CHECK(p[2].variable == "HIGH");
  CHECK(what.find("\n  " + file.string() +
                  ":2: expected KEY=value, found \"this is not a setting\" [env_file_syntax]") !=
        std::string::npos);
  // The valid lines of a file with problems still count: PORT is not missing.
  p = problems_of<cfg::Port>(o);
  REQUIRE(p.size() == 1);
  CHECK(p[0].type == "env_file_syntax");
}

TEST_CASE("settings: the .env file may be missing unless required", "[settings]") {
  TempDir dir;
  SettingsOptions o{.env_file = dir.path() / "absent.env",
                    .read_environment = false,
                    .environment_overrides = {{"PORT", "1"}}};
  CHECK(*load_settings<cfg::Port>(o).port == 1);
  o.env_file_required = true;
  auto p = problems_of<cfg::Port>(o);
  REQUIRE(p.size() == 1);
  CHECK(p[0].type == "env_file_missing");
  CHECK(p[0].origin == (dir.path() / "absent.env").string());

  o.env_file = dir.path();  // a directory
  p = problems_of<cfg::Port>(o);
  REQUIRE(p.size() == 1);
  CHECK(p[0].type == "env_file_unreadable");

  o.env_file = std::nullopt;  // no file at all: nothing to require
  CHECK(*load_settings<cfg::Port>(o).port == 1);
}

TEST_CASE("settings: recursive models load; past the depth guard they count as secret",
          "[settings]") {
  auto t = load_settings<cfg::Tree>(only({{"ROOT", R"({"name": "a", "children": [{"name": "b"}]})"},
                                          {"LIMITS", R"({"max_items": 1, "label": "l"})"}}));
  CHECK(t.root.name == "a");
  REQUIRE(t.root.children.size() == 1);
  CHECK(t.root.children[0].name == "b");
  auto p = problems_of<cfg::Tree>(
      only({{"ROOT", R"({"name": 5})"}, {"LIMITS", R"({"max_items": "x", "label": "l"})"}}));
  REQUIRE(p.size() == 2);
  CHECK(p[0].variable == "ROOT");
  CHECK(p[0].value == "**********");  // conservatively masked
  CHECK(p[1].variable == "LIMITS");
  CHECK(p[1].value == "x");  // no secret can be inside: shown
}
