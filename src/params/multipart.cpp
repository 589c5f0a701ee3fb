// multipart/form-data (RFC 7578) read incrementally: the server feeds the body as it arrives;
// small parts stay in memory, files above the threshold go to temporary files.

#include "vivace/params/multipart.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <system_error>

#include <boost/json/array.hpp>

#include "vivace/core/errors.hpp"
#include "vivace/core/log.hpp"
#include "vivace/params/file.hpp"

namespace vivace {

struct UploadFile::impl {
  std::string filename;
  std::string content_type = "application/octet-stream";
  Headers headers;
  std::uint64_t size = 0;
  std::string memory;
  std::filesystem::path path;  // set when spooled
  int fd = -1;                 // open while the part is written

  ~impl() {
    if (fd >= 0)
      ::close(fd);
    if (!path.empty()) {
      std::error_code ec;
      std::filesystem::remove(path, ec);
    }
  }
};

UploadFile::UploadFile() : impl_(std::make_shared<impl>()) {}
const std::string& UploadFile::filename() const noexcept {
  return impl_->filename;
}
const std::string& UploadFile::content_type() const noexcept {
  return impl_->content_type;
}
std::uint64_t UploadFile::size() const noexcept {
  return impl_->size;
}
const Headers& UploadFile::headers() const noexcept {
  return impl_->headers;
}
bool UploadFile::on_disk() const noexcept {
  return !impl_->path.empty();
}
const std::filesystem::path& UploadFile::path() const noexcept {
  return impl_->path;
}
std::string UploadFile::read() const {
  if (!on_disk())
    return impl_->memory;
  std::ifstream in(impl_->path, std::ios::binary);
  if (!in)
    throw std::system_error(errno, std::generic_category(), "UploadFile::read");
  std::string out(static_cast<std::size_t>(impl_->size), '\0');
  in.read(out.data(), static_cast<std::streamsize>(out.size()));
  out.resize(static_cast<std::size_t>(in.gcount()));
  return out;
}
void UploadFile::save(const std::filesystem::path& to) const {
  if (on_disk()) {
    std::filesystem::copy_file(impl_->path, to, std::filesystem::copy_options::overwrite_existing);
    return;
  }
  std::ofstream out(to, std::ios::binary | std::ios::trunc);
  out.write(impl_->memory.data(), static_cast<std::streamsize>(impl_->memory.size()));
  if (!out)
    throw std::system_error(errno, std::generic_category(), "UploadFile::save");
}

namespace params {

namespace {

constexpr char form_key = 0;

bool ieq_prefix(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

// `type; a=b; c="d;e"` → the parameters (names lower-cased), quoted strings unescaped.
std::vector<std::pair<std::string, std::string>> header_params(std::string_view v) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t i = v.find(';');
  while (i != std::string_view::npos && i < v.size()) {
    ++i;
    while (i < v.size() && (v[i] == ' ' || v[i] == '\t'))
      ++i;
    auto eq = v.find('=', i);
    auto semi = v.find(';', i);
    if (eq == std::string_view::npos || (semi != std::string_view::npos && semi < eq)) {
      i = semi;
      continue;
    }
    std::string name(trim_ows(v.substr(i, eq - i)));
    for (auto& c : name)
      if (c >= 'A' && c <= 'Z')
        c = static_cast<char>(c - 'A' + 'a');
    std::size_t j = eq + 1;
    while (j < v.size() && (v[j] == ' ' || v[j] == '\t'))
      ++j;
    std::string value;
    if (j < v.size() && v[j] == '"') {
      ++j;
      for (; j < v.size() && v[j] != '"'; ++j) {
        if (v[j] == '\\' && j + 1 < v.size())
          ++j;
        value += v[j];
      }
      i = v.find(';', j);
    } else {
      auto end = v.find(';', j);
      value = std::string(trim_ows(v.substr(j, end == std::string_view::npos ? v.npos : end - j)));
      i = end;
    }
    out.emplace_back(std::move(name), std::move(value));
  }
  return out;
}

class multipart_parser final : public BodySink {
 public:
  multipart_parser(Request& req, std::string boundary, multipart_limits limits)
      : req_(req),
        delimiter_("\r\n--" + boundary),
        limits_(limits),
        form_(std::make_shared<multipart_form>()) {
    buf_ = "\r\n";  // the first boundary is not preceded by a line break
  }

  void write(std::string_view bytes) noexcept override {
    if (failed() || state_ == state::done)
      return;
    try {
      buf_.append(bytes);
      run();
    } catch (const std::exception& e) {
      fail(std::string{"cannot store the upload: "} + e.what());
    }
  }

  void finish() noexcept override {
    if (!failed() && state_ != state::done)
      fail("the body ends before the closing boundary");
    if (failed()) {
      form_->fields.clear();
      form_->files.clear();
    }
    req_.scope().slots().set(&form_key, form_);
  }

 private:
  enum class state { preamble, after_delimiter, headers, body, done };

  bool failed() const noexcept { return !form_->error.empty(); }
  void fail(std::string why) {
    if (form_->error.empty())
      form_->error = std::move(why);
    if (current_file_ && current_file_->fd >= 0) {
      ::close(current_file_->fd);
      current_file_->fd = -1;
    }
  }

  void run() {
    for (;;) {
      if (failed())
        return;
      switch (state_) {
        case state::preamble: {
          auto at = buf_.find(delimiter_);
          if (at == std::string::npos) {
            keep_tail();
            return;
          }
          buf_.erase(0, at + delimiter_.size());
          state_ = state::after_delimiter;
          break;
        }
        case state::after_delimiter: {
          // "--" ends the body; otherwise optional whitespace, then CRLF.
          if (buf_.size() < 2)
            return;
          if (buf_.compare(0, 2, "--") == 0) {
            state_ = state::done;
            buf_.clear();
            return;
          }
          std::size_t i = 0;
          while (i < buf_.size() && (buf_[i] == ' ' || buf_[i] == '\t'))
            ++i;
          if (i + 2 > buf_.size())
            return;
          if (buf_.compare(i, 2, "\r\n") != 0)
            return fail("a boundary is not followed by a line break");
          buf_.erase(0, i + 2);
          state_ = state::headers;
          break;
        }
        case state::headers: {
          std::size_t end;
          std::size_t skip;
          if (buf_.compare(0, 2, "\r\n") == 0) {
            end = 0;
            skip = 2;
          } else {
            end = buf_.find("\r\n\r\n");
            skip = 4;
          }
          if (end == std::string::npos) {
            // A block within the limit would have ended by now (4 bytes of "\r\n\r\n").
            if (buf_.size() >= limits_.max_header_bytes + 4)
              return fail("the headers of a part are too large");
            return;
          }
          if (end > limits_.max_header_bytes)
            return fail("the headers of a part are too large");
          begin_part(std::string_view(buf_).substr(0, end));
          if (failed())
            return;
          buf_.erase(0, end + skip);
          state_ = state::body;
          break;
        }
        case state::body: {
          auto at = buf_.find(delimiter_);
          if (at == std::string::npos) {
            // Everything except what could be the start of a delimiter belongs to the part.
            if (buf_.size() >= delimiter_.size()) {
              const auto n = buf_.size() - (delimiter_.size() - 1);
              part_data(std::string_view(buf_).substr(0, n));
              buf_.erase(0, n);
            }
            return;
          }
          part_data(std::string_view(buf_).substr(0, at));
          if (failed())
            return;
          end_part();
          buf_.erase(0, at + delimiter_.size());
          state_ = state::after_delimiter;
          break;
        }
        case state::done:
          return;
      }
    }
  }

  void keep_tail() {
    if (buf_.size() >= delimiter_.size())
      buf_.erase(0, buf_.size() - (delimiter_.size() - 1));
  }

  void begin_part(std::string_view block) {
    Headers headers;
    std::size_t pos = 0;
    while (pos < block.size()) {
      auto eol = block.find("\r\n", pos);
      auto line = block.substr(pos, eol == std::string_view::npos ? block.npos : eol - pos);
      pos = eol == std::string_view::npos ? block.size() : eol + 2;
      auto colon = line.find(':');
      if (colon == std::string_view::npos || colon == 0)
        return fail("a part has a malformed header line");
      headers.add(std::string(trim_ows(line.substr(0, colon))),
                  std::string(trim_ows(line.substr(colon + 1))));
    }
    auto cd = headers.get("Content-Disposition");
    if (!cd || !ieq_prefix(trim_ows(*cd), "form-data"))
      return fail("a part has no Content-Disposition: form-data header");
    std::optional<std::string> name, filename;
    for (auto& [k, v] : header_params(*cd)) {
      if (k == "name")
        name = std::move(v);
      else if (k == "filename")
        filename = std::move(v);
    }
    if (!name)
      return fail("a part has no name");
    part_name_ = std::move(*name);
    if (filename) {
      if (++files_ > limits_.max_files)
        return fail("too many files (at most " + std::to_string(limits_.max_files) + ")");
      current_file_ = std::make_shared<UploadFile::impl>();
      current_file_->filename = std::move(*filename);
      if (auto ct = headers.get("Content-Type"))
        current_file_->content_type = std::string(*ct);
      current_file_->headers = std::move(headers);
    } else {
      if (++fields_ > limits_.max_fields)
        return fail("too many fields (at most " + std::to_string(limits_.max_fields) + ")");
      current_file_.reset();
      field_value_.clear();
    }
  }

  void part_data(std::string_view data) {
    if (data.empty())
      return;
    if (!current_file_) {
      if (field_value_.size() + data.size() > limits_.max_field_bytes)
        return fail("the field '" + part_name_ + "' is larger than " +
                    std::to_string(limits_.max_field_bytes) + " bytes");
      field_value_.append(data);
      return;
    }
    auto& f = *current_file_;
    f.size += data.size();
    if (f.fd < 0 && f.path.empty() && f.memory.size() + data.size() <= limits_.spool_threshold) {
      f.memory.append(data);
      return;
    }
    if (f.fd < 0 && f.path.empty())
      spool(f);
    write_all(f.fd, data);
  }

  void spool(UploadFile::impl& f) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "vivace-upload-XXXXXX").string();
    int fd = ::mkstemp(tmpl.data());
    if (fd < 0)
      throw std::system_error(errno, std::generic_category(), "mkstemp");
    f.fd = fd;
    f.path = tmpl;
    write_all(fd, f.memory);
    f.memory.clear();
    f.memory.shrink_to_fit();
  }

  static void write_all(int fd, std::string_view data) {
    while (!data.empty()) {
      auto n = ::write(fd, data.data(), data.size());
      if (n < 0) {
        if (errno == EINTR)
          continue;
        throw std::system_error(errno, std::generic_category(), "writing an upload");
      }
      data.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  void end_part() {
    if (current_file_) {
      if (current_file_->fd >= 0) {
        ::close(current_file_->fd);
        current_file_->fd = -1;
      }
      form_->files.emplace_back(std::move(part_name_), UploadFile(std::move(current_file_)));
      current_file_.reset();
    } else {
      form_->fields.emplace_back(std::move(part_name_), std::move(field_value_));
      field_value_.clear();
    }
  }

  Request& req_;
  std::string delimiter_;
  multipart_limits limits_;
  std::shared_ptr<multipart_form> form_;
  std::string buf_;
  state state_ = state::preamble;
  std::string part_name_;
  std::string field_value_;
  std::shared_ptr<UploadFile::impl> current_file_;
  std::size_t fields_ = 0, files_ = 0;
};

}  // namespace

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  auto type = trim_ows(content_type.substr(0, content_type.find(';')));
  if (!iequals(type, "multipart/form-data"))
    return std::nullopt;
  for (auto& [k, v] : header_params(content_type))
    if (k == "boundary" && !v.empty() && v.size() <= 70)
      return v;
  return std::string{};  // multipart without a usable boundary
}

std::unique_ptr<BodySink> make_multipart_sink(Request& req, std::string boundary,
                                              multipart_limits limits) {
  return std::make_unique<multipart_parser>(req, std::move(boundary), limits);
}

const multipart_form* multipart_of(Request& req) {
  auto p = req.scope().slots().get(&form_key);
  if (!p) {
    auto ct = req.headers.get("Content-Type");
    if (!ct)
      return nullptr;
    auto boundary = multipart_boundary(*ct);
    if (!boundary)
      return nullptr;
    if (boundary->empty())
      throw HTTPException(400, "Invalid multipart/form-data body: no boundary in Content-Type");
    multipart_limits limits;
    limits.spool_threshold = req.scope().upload_spool_threshold();
    auto sink = make_multipart_sink(req, std::move(*boundary), limits);
    sink->write(req.body);
    sink->finish();
    p = req.scope().slots().get(&form_key);
  }
  const auto* form = static_cast<const multipart_form*>(p.get());
  if (!form->error.empty())
    throw HTTPException(400, "Invalid multipart/form-data body: " + form->error);
  return form;
}

}  // namespace params
}  // namespace vivace

namespace vivace::params::detail {

void describe_file(RouteInfo& info, std::string_view name, bool required, bool multiple) {
  if (!info.body)
    info.body = BodyInfo{"multipart/form-data", required};
  info.body->media_type = "multipart/form-data";
  if (required)
    info.body->required = true;
  info.body->files.push_back({std::string{name}, required, multiple});
}

void missing_file(std::string_view name, error_list& errors) {
  errors.push_back(
      {"missing", boost::json::array{"body", name}, "Field required", nullptr, nullptr});
}

}  // namespace vivace::params::detail
