// libFuzzer target for the multipart/form-data parser: any bytes, fed in pieces of any size,
// give a form or an error, never a crash, a hang or undefined behaviour; the parts found are
// the same however the body is split. Built and run by tests/fuzz/run.sh.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <vivace/core/errors.hpp>
#include <vivace/params/multipart.hpp>

namespace {

const vivace::params::multipart_form* parse(std::string_view body, std::size_t piece,
                                            vivace::Request& req) {
  vivace::params::multipart_limits limits;
  limits.spool_threshold = 64;  // exercise the temporary files too
  limits.max_fields = 50;
  limits.max_files = 8;
  limits.max_field_bytes = 512;
  limits.max_header_bytes = 256;
  auto sink = vivace::params::make_multipart_sink(req, "XyZ", limits);
  while (!body.empty()) {
    auto n = std::min(piece, body.size());
    sink->write(body.substr(0, n));
    body.remove_prefix(n);
  }
  sink->finish();
  req.headers.set("Content-Type", "multipart/form-data; boundary=XyZ");
  try {
    return vivace::params::multipart_of(req);
  } catch (const vivace::HTTPException&) {
    return nullptr;  // an invalid body: a 400
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1)
    return 0;
  const std::size_t piece = 1 + data[0] % 97;
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);

  vivace::Request whole_req, split_req;
  const auto* whole = parse(body, body.size() + 1, whole_req);
  const auto* split = parse(body, piece, split_req);
  if ((whole == nullptr) != (split == nullptr))
    std::abort();  // splitting the body changed the verdict
  if (!whole)
    return 0;
  if (whole->fields != split->fields || whole->files.size() != split->files.size())
    std::abort();
  for (std::size_t i = 0; i < whole->files.size(); ++i) {
    const auto& a = whole->files[i].second;
    const auto& b = split->files[i].second;
    if (whole->files[i].first != split->files[i].first || a.filename() != b.filename() ||
        a.size() != b.size() || a.read() != b.read() || a.read().size() != a.size())
      std::abort();
  }
  (void)vivace::params::multipart_boundary(body.substr(0, 80));
  return 0;
}
