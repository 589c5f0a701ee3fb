#include "vivace/http/responses.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <utility>

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include "vivace/http/handler.hpp"
#include "vivace/http/request.hpp"

namespace vivace {

namespace {

struct mime_entry {
  std::string_view ext, type;
};
// The types a web API serves most, for the extensions the system's table lacks (or when
// there is none); text types get a charset when sent.
constexpr mime_entry builtin_media_types[] = {
    {".html", "text/html"},
    {".htm", "text/html"},
    {".css", "text/css"},
    {".js", "text/javascript"},
    {".mjs", "text/javascript"},
    {".json", "application/json"},
    {".map", "application/json"},
    {".txt", "text/plain"},
    {".md", "text/markdown"},
    {".csv", "text/csv"},
    {".xml", "application/xml"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".gif", "image/gif"},
    {".webp", "image/webp"},
    {".avif", "image/avif"},
    {".ico", "image/vnd.microsoft.icon"},
    {".pdf", "application/pdf"},
    {".zip", "application/zip"},
    {".gz", "application/gzip"},
    {".tar", "application/x-tar"},
    {".wasm", "application/wasm"},
    {".mp4", "video/mp4"},
    {".webm", "video/webm"},
    {".mp3", "audio/mpeg"},
    {".wav", "audio/wav"},
    {".ogg", "audio/ogg"},
    {".woff", "font/woff"},
    {".woff2", "font/woff2"},
    {".ttf", "font/ttf"},
    {".otf", "font/otf"},
};

std::string lower(std::string s) {
  for (auto& c : s)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  return s;
}

std::string http_date_of(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  auto n = std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return std::string(buf, n);
}

bool parse_u64(std::string_view s, std::uint64_t& out) {
  if (s.empty())
    return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && p == s.data() + s.size();
}

constexpr std::size_t file_piece = 64 * 1024;

class file_stream final : public BodyStream {
 public:
  file_stream(std::ifstream in, std::uint64_t size, std::string etag, std::string modified)
      : in_(std::move(in)),
        size_(size),
        remaining_(size),
        etag_(std::move(etag)),
        modified_(std::move(modified)) {}

  void prepare(const Request& req, Response& res) override {
    res.headers.set("Accept-Ranges", "bytes");
    res.headers.set("ETag", etag_);
    res.headers.set("Last-Modified", modified_);
    if (res.status != 200 || (req.method != "GET" && req.method != "HEAD"))
      return;
    auto range = req.headers.get("Range");
    if (!range)
      return;
    // If-Range: the range applies only to the representation the client already has.
    if (auto if_range = req.headers.get("If-Range");
        if_range && *if_range != etag_ && *if_range != modified_)
      return;
    std::string_view spec = trim_ows(*range);
    if (spec.substr(0, 6) != "bytes=")
      return;  // another unit: ignored
    spec.remove_prefix(6);
    if (spec.find(',') != std::string_view::npos)
      return;  // several ranges: the whole file
    spec = trim_ows(spec);
    auto dash = spec.find('-');
    if (dash == std::string_view::npos)
      return;  // invalid: ignored
    std::uint64_t first = 0, last = size_ == 0 ? 0 : size_ - 1;
    auto a = spec.substr(0, dash), b = spec.substr(dash + 1);
    if (a.empty()) {  // suffix: the last n bytes
      std::uint64_t n = 0;
      if (!parse_u64(b, n))
        return;
      if (n == 0 || size_ == 0)
        return unsatisfiable(res);
      first = n >= size_ ? 0 : size_ - n;
    } else {
      if (!parse_u64(a, first))
        return;
      if (!b.empty()) {
        std::uint64_t l = 0;
        if (!parse_u64(b, l) || l < first)
          return;  // invalid: ignored
        last = std::min(l, last);
      }
      if (first >= size_)
        return unsatisfiable(res);
    }
    res.status = 206;
    res.headers.set("Content-Range", "bytes " + std::to_string(first) + "-" + std::to_string(last) +
                                         "/" + std::to_string(size_));
    offset_ = first;
    remaining_ = last - first + 1;
  }

  std::optional<std::uint64_t> size() const override { return remaining_; }

  Task<std::optional<std::string>> next(Request& req) override {
    if (remaining_ == 0)
      co_return std::nullopt;
    std::string piece;
    co_await run_blocking(req, [&] {
      if (!started_) {
        in_.seekg(static_cast<std::streamoff>(offset_));
        started_ = true;
      }
      piece.resize(static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, file_piece)));
      in_.read(piece.data(), static_cast<std::streamsize>(piece.size()));
      piece.resize(static_cast<std::size_t>(in_.gcount()));
    });
    if (piece.empty())
      throw std::runtime_error("file ended before its size (changed while being sent?)");
    remaining_ -= piece.size();
    co_return piece;
  }

 private:
  void unsatisfiable(Response& res) {
    res.status = 416;
    res.headers.set("Content-Range", "bytes */" + std::to_string(size_));
    res.headers.set("Content-Type", "application/json");
    res.stream.reset();  // the caller holds its own reference while this runs
    res.body = R"({"detail":"Range Not Satisfiable"})";
  }

  std::ifstream in_;
  std::uint64_t size_;
  std::uint64_t offset_ = 0, remaining_;
  bool started_ = false;
  std::string etag_, modified_;
};

class async_source_stream final : public BodyStream {
 public:
  explicit async_source_stream(StreamingResponse::source s) : source_(std::move(s)) {}
  Task<std::optional<std::string>> next(Request&) override { co_return co_await source_(); }

 private:
  StreamingResponse::source source_;
};

class generator_stream final : public BodyStream {
 public:
  explicit generator_stream(Generator<std::string> g) : gen_(std::move(g)) {}
  Task<std::optional<std::string>> next(Request& req) override {
    std::optional<std::string> out;
    co_await run_blocking(req, [&] { out = gen_.next(); });
    co_return out;
  }

 private:
  Generator<std::string> gen_;
};

}  // namespace

namespace {

// The system's table (Debian's media-types package, the format mailcap and Apache use: a
// type, then its extensions, `#` comments), read once: extension (lower case, no dot) → type.
const std::unordered_map<std::string, std::string>& system_media_types() {
  static const auto table = [] {
    std::unordered_map<std::string, std::string> out;
    std::ifstream in("/etc/mime.types");
    std::string line;
    while (std::getline(in, line)) {
      if (const auto hash = line.find('#'); hash != std::string::npos)
        line.erase(hash);
      std::istringstream words(line);
      std::string type, ext;
      if (!(words >> type) || type.find('/') == std::string::npos)
        continue;
      while (words >> ext)
        out.try_emplace(lower(ext), type);  // the first type listed for an extension wins
    }
    return out;
  }();
  return table;
}

std::optional<std::string_view> media_type_of_suffix(std::string_view suffix) {
  const auto& system = system_media_types();
  if (const auto it = system.find(std::string(suffix)); it != system.end())
    return it->second;
  for (const auto& e : builtin_media_types)
    if (e.ext.substr(1) == suffix)
      return e.type;
  return std::nullopt;
}

}  // namespace

std::string media_type_for(const std::filesystem::path& path) {
  // The longest suffix first: `a.cwl.json` is application/cwl+json, `a.json` application/json.
  const std::string name = lower(path.filename().string());
  for (std::size_t dot = name.find('.', 1); dot != std::string::npos;
       dot = name.find('.', dot + 1)) {
    if (const auto type = media_type_of_suffix(std::string_view(name).substr(dot + 1))) {
      std::string t{*type};
      if (t.starts_with("text/") || t == "application/json" || t == "application/xml" ||
          t == "image/svg+xml")
        t += "; charset=utf-8";
      return t;
    }
  }
  return "application/octet-stream";
}

FileResponse::FileResponse(const std::filesystem::path& path, FileResponseOptions options) {
  std::error_code ec;
  auto st = std::filesystem::status(path, ec);
  if (ec)
    throw std::system_error(ec, "FileResponse: " + path.string());
  if (!std::filesystem::is_regular_file(st))
    throw std::system_error(std::make_error_code(std::errc::is_a_directory),
                            "FileResponse: not a regular file: " + path.string());
  const std::uint64_t size = std::filesystem::file_size(path);
  const auto mtime = std::filesystem::last_write_time(path);
  const auto sys = std::chrono::file_clock::to_sys(mtime);
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(sys.time_since_epoch());
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::system_error(errno ? errno : EIO, std::generic_category(),
                            "FileResponse: cannot open " + path.string());
  char etag[64];
  std::snprintf(etag, sizeof etag, "\"%llx-%llx\"", static_cast<unsigned long long>(secs.count()),
                static_cast<unsigned long long>(size));
  status = options.status;
  headers.set("Content-Type",
              options.media_type.empty() ? media_type_for(path) : std::move(options.media_type));
  if (!options.filename.empty()) {
    bool ascii = std::all_of(options.filename.begin(), options.filename.end(),
                             [](char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; });
    if (ascii)
      headers.set("Content-Disposition", "attachment; filename=\"" + options.filename + "\"");
    else  // RFC 6266 / 8187: the UTF-8 name percent-encoded
      headers.set("Content-Disposition",
                  "attachment; filename*=utf-8''" +
                      boost::urls::encode(options.filename, boost::urls::unreserved_chars));
  }
  stream = std::make_shared<file_stream>(std::move(in), size, etag,
                                         http_date_of(static_cast<std::time_t>(secs.count())));
}

StreamingResponse::StreamingResponse(source next, std::string content_type, int status_code) {
  status = status_code;
  headers.set("Content-Type", std::move(content_type));
  stream = std::make_shared<async_source_stream>(std::move(next));
}

StreamingResponse::StreamingResponse(Generator<std::string> generator, std::string content_type,
                                     int status_code) {
  status = status_code;
  headers.set("Content-Type", std::move(content_type));
  stream = std::make_shared<generator_stream>(std::move(generator));
}

}  // namespace vivace
