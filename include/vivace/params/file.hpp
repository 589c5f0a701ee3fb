#pragma once
/// @file
/// `File<"name", T>`: file parts of a `multipart/form-data` body.

#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/json/array.hpp>

#include "vivace/core/errors.hpp"
#include "vivace/core/fixed_string.hpp"
#include "vivace/http/request.hpp"
#include "vivace/params/concepts.hpp"
#include "vivace/params/multipart.hpp"
#include "vivace/routing/route_info.hpp"

namespace vivace {

namespace params::detail {
template <class T>
struct file_shape;
template <>
struct file_shape<UploadFile> {
  static constexpr bool optional = false, multiple = false, bytes = false;
};
template <>
struct file_shape<std::string> {
  static constexpr bool optional = false, multiple = false, bytes = true;
};
template <class T>
struct file_shape<std::optional<T>> : file_shape<T> {
  static constexpr bool optional = true;
};
template <>
struct file_shape<std::vector<UploadFile>> {
  static constexpr bool optional = false, multiple = true, bytes = false;
};

/// Adds a file part to the route's (multipart) body description.
void describe_file(RouteInfo& info, std::string_view name, bool required, bool multiple);
/// A missing required file: `{"type":"missing","loc":["body",name]}`.
void missing_file(std::string_view name, error_list& errors);
}  // namespace params::detail

/// An uploaded file from a `multipart/form-data` body, by part name. `T` is `UploadFile`
/// (the default: name, content type, size, content in memory or spooled to disk),
/// `std::string` (the bytes), `std::optional` of either, or `std::vector<UploadFile>` (every
/// file sent under the name). The route's body size limit bounds the upload (413).
///
/// @code
/// app.post<"/avatar">([](vivace::File<"file"> f) { return f->filename(); });
/// @endcode
template <fixed_string Name, class T = UploadFile>
struct File : params::value_holder<T> {
  /// Whether `T` is optional, several files, or bytes.
  using shape = params::detail::file_shape<T>;
  /// Marks a file parameter (not with a JSON `Body`).
  static constexpr bool is_file = true;
  /// Compared exactly, case included, with each part's `name=`.
  static constexpr std::string_view name = Name.view();

  /// The file(s) sent under `name`. Returns nullopt after adding a `missing` error to `errors`
  /// when none was sent and `T` is not optional.
  /// @throws HTTPException 415 for a body that is neither multipart nor urlencoded, 400 for an
  /// invalid multipart body; std::system_error when a spooled file cannot be read (bytes).
  static std::optional<File> extract(Request& req, params::error_list& errors) {
    // A body of another kind (JSON, text) is a 415, as for `Body` and `Form`; a urlencoded
    // form has no files (an optional file is then absent).
    if (auto ct = req.headers.get("Content-Type");
        ct && !params::multipart_boundary(*ct) && !params::detail::is_form_media_type(*ct))
      throw HTTPException(415, "Unsupported Media Type: the body must be multipart/form-data");
    const params::multipart_form* form = params::multipart_of(req);
    std::vector<const UploadFile*> found;
    if (form)
      for (const auto& [n, f] : form->files)
        if (n == name)
          found.push_back(&f);
    if constexpr (shape::multiple) {
      if (found.empty()) {
        params::detail::missing_file(name, errors);
        return std::nullopt;
      }
      std::vector<UploadFile> all;
      for (auto* f : found)
        all.push_back(*f);
      return File{std::move(all)};
    } else {
      if (found.empty()) {
        if constexpr (shape::optional) {
          return File{T{}};
        } else {
          params::detail::missing_file(name, errors);
          return std::nullopt;
        }
      }
      if constexpr (shape::bytes)
        return File{T{found.front()->read()}};
      else
        return File{T{*found.front()}};
    }
  }

  /// Documents the route's body as `multipart/form-data` with a `format: binary` part (an
  /// array of them for a list).
  static void describe(RouteInfo& info) {
    params::detail::describe_file(info, name, !shape::optional, shape::multiple);
  }
};

}  // namespace vivace
