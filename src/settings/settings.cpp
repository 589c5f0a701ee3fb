// Settings from the environment and a dotenv file: the dotenv parser, variable lookup (prefix,
// case), text to JSON by the field's shape, and problems named by variable with secrets masked.

#include "vivace/settings/settings.hpp"

#include "vivace/core/text.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>
#include <system_error>

#include <boost/json/serialize.hpp>

#if defined(_WIN32)
#include <stdlib.h>
#define VIVACE_ENVIRON _environ
#else
extern "C" char** environ;  // NOLINT: POSIX
#define VIVACE_ENVIRON environ
#endif

namespace vivace::settings {

namespace json = boost::json;

namespace {

constexpr const char* masked = "**********";

char ascii_upper(char c) noexcept {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

std::string upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), ascii_upper);
  return out;
}

bool blank(char c) noexcept {
  return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (blank(s.front()) || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() && (blank(s.back()) || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

bool valid_key(std::string_view k) noexcept {
  if (k.empty())
    return false;
  const auto alpha = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
  if (!alpha(k.front()) && k.front() != '_')
    return false;
  return std::all_of(k.begin(), k.end(), [&](char c) {
    return alpha(c) || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
  });
}

std::string location(std::string_view file, std::size_t line) {
  std::string out(file);
  out += ':';
  out += std::to_string(line);
  return out;
}

// `.host`, `[2]` for the part of a loc after the variable.
std::string loc_suffix(const json::array& loc) {
  std::string out;
  for (const auto& part : loc) {
    if (part.is_string()) {
      out += '.';
      out += part.get_string();
    } else {
      out += '[';
      out += json::serialize(part);
      out += ']';
    }
  }
  return out;
}

std::string text_of(const json::value& v) {
  if (const auto* s = v.if_string())
    return std::string(*s);
  return json::serialize(v);
}

}  // namespace

// ---- problems ----

std::string SettingsProblem::to_string() const {
  std::string out = variable.empty() ? origin : variable;
  if (out.empty())
    out = "settings";
  out += loc_suffix(loc);
  out += ": ";
  out += message;
  out += " [";
  out += type;
  out += ']';
  if (value) {
    constexpr std::size_t max_shown = 200;
    std::string shown = value->size() > max_shown ? value->substr(0, max_shown) + "..." : *value;
    out += ", got ";
    out += json::serialize(json::value(shown));  // quoted, control characters escaped
  }
  if (!origin.empty() && !variable.empty()) {
    out += " (from ";
    out += origin;
    out += ')';
  }
  return out;
}

namespace {
std::string summary(const std::vector<SettingsProblem>& problems) {
  std::string out = "invalid settings: ";
  out += std::to_string(problems.size());
  out += problems.size() == 1 ? " problem" : " problems";
  for (const auto& p : problems) {
    out += "\n  ";
    out += p.to_string();
  }
  return out;
}
}  // namespace

SettingsError::SettingsError(std::vector<SettingsProblem> problems)
    : std::runtime_error(summary(problems)), problems_(std::move(problems)) {}

// ---- dotenv ----

Dotenv parse_dotenv(std::string_view text, std::string_view file_name) {
  Dotenv out;
  if (text.substr(0, 3) == "\xEF\xBB\xBF")  // UTF-8 byte order mark
    text.remove_prefix(3);
  const std::size_t n = text.size();
  std::size_t i = 0;
  std::size_t line = 1;

  const auto end_of_line = [&](std::size_t from) {
    const auto e = text.find('\n', from);
    return e == std::string_view::npos ? n : e;
  };
  const auto problem = [&](std::size_t at_line, std::string key, std::string message) {
    out.problems.push_back({std::move(key),
                            {},
                            "env_file_syntax",
                            std::move(message),
                            std::nullopt,
                            location(file_name, at_line)});
  };
  // Moves past the end of the current line (and counts it).
  const auto next_line = [&] {
    i = end_of_line(i);
    if (i < n) {
      ++i;
      ++line;
    }
  };

  while (i < n) {
    while (i < n && blank(text[i]))
      ++i;
    if (i == n)
      break;
    if (text[i] == '\n' || text[i] == '\r' || text[i] == '#') {  // blank line or comment
      next_line();
      continue;
    }
    const std::size_t start_line = line;
    if (text.substr(i, 6) == "export" && i + 6 < n && blank(text[i + 6])) {
      i += 6;
      while (i < n && blank(text[i]))
        ++i;
    }
    const std::size_t eol = end_of_line(i);
    const std::size_t eq = text.substr(i, eol - i).find('=');
    if (eq == std::string_view::npos) {
      const auto raw = trim(text.substr(i, eol - i));
      problem(start_line, valid_key(raw) ? std::string(raw) : std::string(),
              valid_key(raw) ? "expected KEY=value, found no '='"
                             : "expected KEY=value, found \"" + std::string(raw) + "\"");
      next_line();
      continue;
    }
    const auto key = trim(text.substr(i, eq));
    if (!valid_key(key)) {
      problem(start_line, {},
              "invalid variable name \"" + std::string(key) +
                  "\" (letters, digits, '_', '.', '-'; not starting with a digit)");
      next_line();
      continue;
    }
    i += eq + 1;
    const bool after_blank = i < n && blank(text[i]);
    while (i < n && blank(text[i]))
      ++i;

    std::string value;
    if (i < n && (text[i] == '\'' || text[i] == '"')) {
      const char quote = text[i++];
      bool closed = false;
      while (i < n) {
        const char c = text[i++];
        if (c == quote) {
          closed = true;
          break;
        }
        if (c == '\n')
          ++line;
        if (c == '\\' && quote == '"' && i < n) {
          const char e = text[i++];
          switch (e) {
            case 'n':
              value += '\n';
              break;
            case 'r':
              value += '\r';
              break;
            case 't':
              value += '\t';
              break;
            case '"':
            case '\'':
            case '\\':
              value += e;
              break;
            default:  // unknown escapes stay as written
              value += '\\';
              value += e;
              if (e == '\n')
                ++line;
          }
          continue;
        }
        value += c;
      }
      if (!closed) {
        problem(
            start_line, std::string(key),
            quote == '"' ? "unterminated double-quoted value" : "unterminated single-quoted value");
        break;  // the rest of the file is inside the quotes
      }
      // After the closing quote: blanks, then the end of the line or a comment.
      while (i < n && blank(text[i]))
        ++i;
      if (i < n && text[i] != '\n' && text[i] != '\r' && text[i] != '#') {
        problem(line, std::string(key), "unexpected text after the closing quote");
        next_line();
        continue;
      }
    } else {
      auto raw = text.substr(i, end_of_line(i) - i);
      // A '#' after a blank starts a comment (`KEY=a#b` keeps `a#b`).
      for (std::size_t k = 0; k < raw.size(); ++k)
        if (raw[k] == '#' && (k > 0 ? blank(raw[k - 1]) : after_blank)) {
          raw = raw.substr(0, k);
          break;
        }
      value = std::string(trim(raw));
    }
    out.entries.push_back({std::string(key), std::move(value), start_line});
    next_line();
  }
  return out;
}

// ---- loading ----

namespace detail {

loader::loader(const SettingsOptions& options)
    : prefix_(options.env_prefix),
      case_sensitive_(options.case_sensitive),
      ignore_empty_(options.env_ignore_empty),
      overrides_(options.environment_overrides),
      overrides_origin_(options.overrides_origin) {
  if (options.read_environment)
    for (char** e = VIVACE_ENVIRON; e && *e; ++e) {
      const std::string_view kv(*e);
      const auto eq = kv.find('=');
      if (eq != std::string_view::npos && eq > 0)
        environment_.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
    }
  if (!options.env_file)
    return;
  const auto& path = *options.env_file;
  file_name_ = path.string();
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(status)) {
    if (options.env_file_required)
      file_problems_.push_back({{},
                                {},
                                "env_file_missing",
                                "the settings file does not exist",
                                std::nullopt,
                                file_name_});
    return;
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (std::filesystem::is_directory(status) || !in || !(text << in.rdbuf())) {
    file_problems_.push_back({{},
                              {},
                              "env_file_unreadable",
                              "the settings file cannot be read",
                              std::nullopt,
                              file_name_});
    return;
  }
  auto parsed = parse_dotenv(text.str(), file_name_);
  for (auto& e : parsed.entries)
    file_[e.key] = {std::move(e.value), e.line};  // a later line wins, as in a shell
  for (auto& p : parsed.problems)
    file_problems_.push_back(std::move(p));
}

namespace {
const std::string& value_text(const std::string& v) {
  return v;
}
const std::string& value_text(const std::pair<std::string, std::size_t>& v) {
  return v.first;
}

// The entry for `name` in one source: the exact spelling first (the canonical name, then as
// written), then, when case-insensitive, any other case (the first in sorted order).
template <class Map>
const typename Map::value_type* search(const Map& map, const std::string& canonical,
                                       const std::string& name, bool case_sensitive,
                                       bool ignore_empty) {
  const auto usable = [&](const typename Map::value_type& kv) {
    return !ignore_empty || !value_text(kv.second).empty();
  };
  for (const auto* exact : {&canonical, &name})
    if (auto it = map.find(*exact); it != map.end() && usable(*it))
      return &*it;
  if (!case_sensitive)
    for (const auto& kv : map)
      if (iequals(kv.first, name) && usable(kv))
        return &kv;
  return nullptr;
}
}  // namespace

std::optional<loader::value_found> loader::find(const std::string& name) const {
  const std::string canonical = case_sensitive_ ? name : upper(name);
  if (const auto* kv = search(overrides_, canonical, name, case_sensitive_, ignore_empty_))
    return value_found{kv->first, kv->second, overrides_origin_};
  if (const auto* kv = search(environment_, canonical, name, case_sensitive_, ignore_empty_))
    return value_found{kv->first, kv->second, "environment"};
  if (const auto* kv = search(file_, canonical, name, case_sensitive_, ignore_empty_))
    return value_found{kv->first, kv->second.first, location(file_name_, kv->second.second)};
  return std::nullopt;
}

void loader::add_field(std::string_view wire, shape s, bool secret, json::object& input) {
  field f;
  f.wire = std::string(wire);
  f.secret = secret;
  std::string name = prefix_;
  name += wire;
  f.variable = case_sensitive_ ? name : upper(name);
  if (auto hit = find(name)) {
    f.found = true;
    f.variable = std::move(hit->key);
    f.origin = std::move(hit->origin);
    f.text = std::move(hit->value);
    const json::array loc{json::value(wire)};
    const auto text = trim(f.text);
    if (s == shape::text) {
      input[wire] = json::string(f.text);
    } else if (s == shape::list && (text.empty() || text.front() != '[')) {
      json::array items;  // comma-separated; empty text is an empty list
      for (std::string_view rest = text; !rest.empty();) {
        const auto comma = rest.find(',');
        items.emplace_back(trim(rest.substr(0, comma)));
        if (comma == std::string_view::npos)
          break;
        rest.remove_prefix(comma + 1);
        if (rest.empty())  // "a," ends with an empty item
          items.emplace_back("");
      }
      input[wire] = std::move(items);
    } else {
      std::vector<ValidationError> errors;
      if (auto v = schema::parse_json(f.text, loc, errors, {})) {
        input[wire] = std::move(*v);
      } else {
        f.unparsed = true;
        for (auto& e : errors) {  // loc [wire, position] -> [wire], the position in the message
          std::string msg = "Invalid JSON";
          if (const auto* ctx = e.ctx.if_object(); ctx && ctx->contains("error")) {
            msg += ": ";
            msg += text_of(ctx->at("error"));
          }
          if (e.loc.size() > 1) {
            msg += " at character ";
            msg += text_of(e.loc.back());
          }
          text_errors_.push_back({e.type, loc, std::move(msg), json::string(f.text), e.ctx});
        }
      }
    }
  }
  fields_.push_back(std::move(f));
}

bool loader::clean() const noexcept {
  return file_problems_.empty() && text_errors_.empty();
}

SettingsProblem loader::problem_of(const ValidationError& e) const {
  SettingsProblem p;
  p.type = e.type;
  p.message = e.msg;
  const field* f = nullptr;
  if (!e.loc.empty() && e.loc.front().is_string())
    for (const auto& candidate : fields_)
      if (candidate.wire == e.loc.front().get_string())
        f = &candidate;
  if (!f) {  // a model-level error (vivace_validate without a field)
    p.loc = e.loc;
    return p;
  }
  p.variable = f->variable;
  p.loc = json::array(std::next(e.loc.begin()), e.loc.end());
  if (!f->found)
    return p;  // missing: no value, no origin
  p.origin = f->origin;
  if (e.type == "missing")  // inside a nested model: the input is the enclosing object
    return p;
  if (f->secret)
    p.value = masked;
  else if (p.loc.empty())
    p.value = f->text;  // the variable's own text, as written
  else
    p.value = text_of(e.input);  // an item or a nested member
  return p;
}

void loader::fail(std::vector<ValidationError> decode_errors) const {
  std::vector<ValidationError> errors = text_errors_;
  for (auto& e : decode_errors) {
    const bool about_unparsed = !e.loc.empty() && e.loc.front().is_string() &&
                                std::any_of(fields_.begin(), fields_.end(), [&](const field& f) {
                                  return f.unparsed && f.wire == e.loc.front().get_string();
                                });
    if (!about_unparsed)
      errors.push_back(std::move(e));
  }
  // In declaration order of the fields; model-level errors last.
  const auto rank = [&](const ValidationError& e) {
    if (!e.loc.empty() && e.loc.front().is_string())
      for (std::size_t k = 0; k < fields_.size(); ++k)
        if (fields_[k].wire == e.loc.front().get_string())
          return k;
    return fields_.size();
  };
  std::stable_sort(errors.begin(), errors.end(),
                   [&](const auto& a, const auto& b) { return rank(a) < rank(b); });
  std::vector<SettingsProblem> problems = file_problems_;
  for (const auto& e : errors)
    problems.push_back(problem_of(e));
  throw SettingsError(std::move(problems));
}

}  // namespace detail
}  // namespace vivace::settings
