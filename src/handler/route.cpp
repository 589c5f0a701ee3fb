// What typed routes share after their handler has returned: response models, the response
// handle, background tasks and streamed bodies.

#include <stdexcept>
#include <string>

#include <boost/json/serialize.hpp>

#include "vivace/core/log.hpp"
#include "vivace/handler/make_handler.hpp"
#include "vivace/params/response_handle.hpp"

namespace vivace::handler::detail {

Response string_response(std::string_view s, int status) {
  return Response::json(boost::json::value(s), status);
}

Task<void> run_off_io(Request& req, const RouteInfo& info, std::function<void()> work,
                      bool repeatable) {
  if (info.options.cpu_bound)
    return run_cpu(req, std::move(work));
  return repeatable ? run_plain(req, std::move(work)) : run_blocking(req, std::move(work));
}

Response model_response(boost::json::value v, const RouteInfo& info) {
  const auto& o = info.options;
  if (o.response_model && o.response_model->filter)
    v = o.response_model->filter(v, o.response_model_exclude_unset, o.response_model_exclude_none);
  return Response::json(v, info.status());
}

void throw_response_model_mismatch(std::vector<ValidationError> errors) {
  // FastAPI's ResponseValidationError: the server's fault, so a 500 with the details logged.
  throw std::runtime_error(
      "the returned value does not fit the response model: " +
      boost::json::serialize(RequestValidationError(std::move(errors)).to_json()));
}

Response finish_response(Request& req, Response res) {
  params::apply_response_changes(req, res);
  if (res.stream) {
    auto stream = res.stream;  // prepare may replace the response's stream
    stream->prepare(req, res);
  }
  return res;
}

}  // namespace vivace::handler::detail
