#pragma once
/// @file
/// The typed adapter: turns one typed callable into an erased `Handler` plus the analysed
/// `RouteInfo`, once per route. Everything after this point is ordinary compiled code.

#include <algorithm>
#include <array>
#include <atomic>
#include <concepts>
#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include <boost/json/value.hpp>

#include "vivace/core/callable.hpp"
#include "vivace/core/errors.hpp"
#include "vivace/core/fixed_string.hpp"
#include "vivace/core/task.hpp"
#include "vivace/di/resolve.hpp"
#include "vivace/http/handler.hpp"
#include "vivace/params/convert.hpp"
#include "vivace/routing/path_template.hpp"
#include "vivace/routing/route_info.hpp"
#include "vivace/routing/route_table.hpp"
#include "vivace/schema/json.hpp"

namespace vivace {

namespace handler::detail {

template <class A>
using param_t = std::remove_cvref_t<A>;

template <class T>
struct is_task : std::false_type {
  using type = T;
};
template <class T, class E>
struct is_task<boost::asio::awaitable<T, E>> : std::true_type {
  using type = T;
};

// Response conversion: compiled in src/handler/route.cpp where not a template.
Response string_response(std::string_view s, int status);
/// JSON of a returned value → the response: through the route's response model when it has
/// one (a value that does not fit it is a 500, logged), with the route's status.
Response model_response(boost::json::value v, const RouteInfo& info);
/// What every successful response of a typed route gets: the `ResponseHandle` changes, the
/// background tasks queued, a streamed body prepared for the request (ranges).
Response finish_response(Request& req, Response res);
/// @throws std::runtime_error naming the fields that do not fit (rendered as a 500, logged).
[[noreturn]] void throw_response_model_mismatch(std::vector<ValidationError> errors);

template <class T>
struct is_std_optional : std::false_type {};
template <class T>
struct is_std_optional<std::optional<T>> : std::true_type {};

template <class T>
Response to_response(T&& value, const RouteInfo& info) {
  using V = std::remove_cvref_t<T>;
  if constexpr (std::is_base_of_v<Response, V>) {
    return Response(std::forward<T>(value));
  } else if constexpr (is_std_optional<V>::value) {
    if (!value) {
      if (info.options.not_found_if_empty)
        throw HTTPException(404, "Not Found");
      return model_response(nullptr, info);
    }
    return to_response(*std::forward<T>(value), info);
  } else if constexpr (std::is_convertible_v<V, std::string_view>) {
    if (info.options.response_model)
      return model_response(boost::json::value(std::string_view{value}), info);
    return string_response(std::string_view{value}, info.status());
  } else if constexpr (std::is_constructible_v<boost::json::value, V>) {
    return model_response(boost::json::value(std::forward<T>(value)), info);
  } else if constexpr (schema::has_codec<V>) {
    schema::encode_options o;
    o.exclude_none = info.options.response_model_exclude_none;
    o.exclude_unset = info.options.response_model_exclude_unset;
    if (!info.options.response_model) {  // nothing to filter: the text straight from the value
      // Room for the largest text of this type so far (up to 64 KiB): one allocation, not
      // one per doubling (a list of twenty posts grew seven times, copying what it had).
      static std::atomic<std::size_t> room{256};
      std::string text;
      text.reserve(room.load(std::memory_order_relaxed));
      schema::write_json(text, value, o);
      if (text.size() > room.load(std::memory_order_relaxed))
        room.store(std::min<std::size_t>(text.size(), 64 * 1024), std::memory_order_relaxed);
      return Response::json_text(std::move(text), info.status());
    }
    return model_response(schema::encode(value, o), info);
  } else {
    static_assert(sizeof(V) == 0,
                  "vivace: a handler must return Response (or JSONResponse, FileResponse, ...), "
                  "a string, a boost::json value, a type with a schema (a described struct, a "
                  "vector of them, std::optional of one, ...), void, or Task<> of one of these");
  }
}

/// The schema documented for a returned type (`std::optional<M>` is `M` when empty is 404).
template <class V>
schema_builder response_schema_of() {
  if constexpr (std::is_base_of_v<Response, V> || std::is_convertible_v<V, std::string_view> ||
                !schema::has_codec<V>) {
    return {};
  } else {
    return [](schema::schema_registry& r) { return schema::json_schema<V>(r); };
  }
}

template <class Tuple>
struct path_names;
template <class... A>
struct path_names<std::tuple<A...>> {
  static constexpr std::size_t count =
      (0 + ... + (requires { param_t<A>::is_path_param; } ? 1 : 0));
  static constexpr std::array<std::string_view, count + 1> names = [] {
    std::array<std::string_view, count + 1> out{};
    [[maybe_unused]] std::size_t i = 0;
    (
        [&] {
          if constexpr (requires { param_t<A>::is_path_param; })
            out[i++] = param_t<A>::name;
        }(),
        ...);
    return out;
  }();
  static constexpr bool has(std::string_view n) {
    for (std::size_t i = 0; i < count; ++i)
      if (names[i] == n)
        return true;
    return false;
  }
};

template <fixed_string Path, class Args>
constexpr bool check_path_params() {
  using tpl = routing::path_template<Path>;
  using names = path_names<Args>;
  // every template {name} needs a Path<"name", T> parameter
  constexpr bool all_bound = [] {
    for (std::size_t i = 0; i < tpl::info.count; ++i)
      if (!names::has(tpl::info.names[i]))
        return false;
    return true;
  }();
  static_assert(all_bound,
                "vivace: every '{name}' in the route path needs a Path<\"name\", T> parameter "
                "in the handler");
  // every Path<"name", T> parameter needs a {name} in the template
  constexpr bool all_declared = [] {
    for (std::size_t i = 0; i < names::count; ++i)
      if (!tpl::info.has(names::names[i]))
        return false;
    return true;
  }();
  static_assert(all_declared,
                "vivace: a Path<\"name\", T> parameter of the handler has no '{name}' in the "
                "route path");
  return all_bound && all_declared;
}

}  // namespace handler::detail

/// A response model for `RouteOptions::response_model` (FastAPI's `response_model`): the
/// returned value is encoded, then read back as `M`, so only `M`'s fields are sent.
///
/// @code
/// app.get<"/users/{id}">(read_user, {.response_model = vivace::response_model<UserOut>()});
/// @endcode
template <class M>
ResponseModel response_model() {
  static_assert(schema::has_codec<M>, "vivace: response_model<M> needs a type with a schema");
  return ResponseModel{[](schema::schema_registry& r) { return schema::json_schema<M>(r); },
                       [](const boost::json::value& v, bool exclude_unset, bool exclude_none) {
                         auto r = schema::decode<M>(v);
                         if (!r)
                           handler::detail::throw_response_model_mismatch(std::move(r.errors));
                         schema::encode_options o;
                         o.exclude_unset = exclude_unset;
                         o.exclude_none = exclude_none;
                         return schema::encode(*r.value, o);
                       }};
}

/// The schema of `M` for a documented extra response:
/// `{.responses = {{404, {"Not found", vivace::model_schema<Message>()}}}}`.
template <class M>
schema_builder model_schema() {
  static_assert(schema::has_codec<M>, "vivace: model_schema<M> needs a type with a schema");
  return [](schema::schema_registry& r) { return schema::json_schema<M>(r); };
}

namespace handler::detail {

/// What the C++ types of a route say about it: method, path, options, the default status
/// and the documented response.
template <fixed_string Path, class Value>
RouteInfo describe_route(std::string method, RouteOptions options) {
  RouteInfo info;
  info.method = std::move(method);
  info.path = std::string{Path.view()};
  info.options = std::move(options);
  using plain_t = std::remove_cvref_t<Value>;
  if constexpr (std::is_void_v<Value> || std::is_same_v<plain_t, std::nullptr_t>) {
    info.default_status = 204;
  } else {
    info.response_schema = response_schema_of<plain_t>();
    if constexpr (requires { plain_t::media_type; }) {
      if (info.options.response_class.empty())
        info.options.response_class = std::string{plain_t::media_type};
    }
  }
  if (info.options.response_model)
    info.response_schema = info.options.response_model->schema;
  if (info.options.run_inline && info.options.cpu_bound)
    throw std::invalid_argument("vivace: " + info.method + " " + info.path +
                                ": a route cannot be both run_inline and cpu_bound");
  return info;
}

/// The response of a handler that has returned `Value` (called with what it returned).
template <class Value, class Call>
Response respond(Call&& call, const RouteInfo& info) {
  if constexpr (std::is_void_v<Value>) {
    call();
    return Response::empty(info.status());
  } else if constexpr (std::is_same_v<std::remove_cvref_t<Value>, std::nullptr_t>) {
    (void)call();
    return Response::empty(info.status());
  } else {
    return to_response(call(), info);
  }
}

/// A plain handler's trip off the I/O thread: the CPU pool for a `cpu_bound` route, else the
/// worker pool, tried on the I/O thread first for a `run_inline` route when `repeatable`
/// (what the work uses is copied, not moved, so it can run a second time).
Task<void> run_off_io(Request& req, const RouteInfo& info, std::function<void()> work,
                      bool repeatable);

/// The erased handler of one typed route: `F` called with parameters `A...`, returning `R`.
/// Every request takes one of three ways, each written once:
/// - `one_trip`: a plain handler whose parameters are all synchronous runs extraction, the
///   providers, the handler and its `before_response` work in one trip to the worker pool;
/// - a coroutine handler: extraction on the I/O thread (blocking providers on the pool),
///   then the handler, on the I/O thread;
/// - a plain handler with asynchronous parameters: extraction on the I/O thread, then one
///   trip to the pool for the handler.
/// All three end the same way.
template <class F, class R, class... A>
class typed_handler {
  using params_t = di::parameters<A...>;
  using task_traits = is_task<R>;
  static constexpr bool coroutine = task_traits::value;
  using value_t = typename std::conditional_t<coroutine, task_traits, std::type_identity<R>>::type;
  static constexpr bool one_trip = !coroutine && params_t::synchronous;

 public:
  typed_handler(F fn, std::shared_ptr<const RouteInfo> info)
      : fn_(std::move(fn)), info_(std::move(info)) {
    if (info_->options.run_inline)  // a coroutine handler's plain providers are tried too
      policy_ = std::make_shared<InlinePolicy>();
  }

  Task<Response> operator()(Request& req) const {
    std::exception_ptr ep;
    try {
      const RouteInfo& ri = *info_;
      if (policy_)
        req.scope().set_inline_policy(policy_.get());
      std::optional<Response> out;
      if constexpr (one_trip) {
        co_await run_off_io(
            req, ri,
            [&] {
              auto errors = req.scope().pending_errors();  // the work may run twice
              typename params_t::slots slots;
              params_t::extract_sync(req, errors, slots);
              check(errors);
              out = respond<value_t>([&]() -> decltype(auto) { return call(req, slots); }, ri);
              run_before_response(req);
            },
            true);
      } else {
        auto errors = std::move(req.scope().pending_errors());
        typename params_t::slots slots;
        if constexpr (params_t::cheap)
          params_t::extract_sync(req, errors, slots);
        else
          co_await params_t::extract(req, errors, slots);
        check(errors);
        if constexpr (coroutine) {
          if constexpr (std::is_void_v<value_t>) {
            co_await call(req, slots);
            out = Response::empty(ri.status());
          } else {
            out = to_response(co_await call(req, slots), ri);
          }
        } else {
          co_await run_off_io(
              req, ri,
              [&] {
                out = respond<value_t>([&]() -> decltype(auto) { return call(req, slots); }, ri);
                run_before_response(req);
              },
              params_t::repeatable);
        }
      }
      // Every way ends here: the `before_response` work not yet run (a coroutine handler's,
      // on the worker pool), then what every successful response gets.
      if (req.scope().has_before_response())
        co_await run_blocking(req, [&] { run_before_response(req); });
      co_return finish_response(req, std::move(*out));
    } catch (...) {
      ep = std::current_exception();
    }
    req.scope().set_error(ep);
    co_return render_exception(req, std::move(ep));
  }

 private:
  static void check(params::error_list& errors) {
    if (!errors.empty())
      throw RequestValidationError{std::move(errors)};
  }
  decltype(auto) call(Request& req, typename params_t::slots& slots) const {
    return params_t::call(fn_, req, slots);
  }

  mutable F fn_;
  std::shared_ptr<const RouteInfo> info_;
  std::shared_ptr<InlinePolicy> policy_{};
};

}  // namespace handler::detail

/// What `Router::route` adds: `f` checked at compile time against `Path`, with the route's
/// own `dependencies` attached (a router's and the app's are attached later, outside them).
template <fixed_string Path, class F>
Route make_route(std::string method, F&& f, RouteOptions options) {
  using R = vivace::callable_result<std::decay_t<F>>;
  using Args = vivace::callable_args<std::decay_t<F>>;
  static_assert(handler::detail::check_path_params<Path, Args>());
  using value_t =
      typename std::conditional_t<handler::detail::is_task<R>::value, handler::detail::is_task<R>,
                                  std::type_identity<R>>::type;
  RouteInfo info =
      handler::detail::describe_route<Path, value_t>(std::move(method), std::move(options));
  return [&]<class... A>(std::tuple<A...>*) {
    using handler::detail::param_t;
    static_assert(di::parameters<A...>::supported,
                  "vivace: every handler parameter must be an extractor (Path, Query, Header, "
                  "Cookie, Body, Form, File, ...), a dependency (Depends, Security, Inject), "
                  "Request&, ResponseHandle or BackgroundTasks");
    static_assert((0 + ... + (requires { param_t<A>::is_body; } ? 1 : 0)) <= 1,
                  "vivace: a handler can take at most one Body<T>: put the fields into one "
                  "model");
    static_assert(!((requires { param_t<A>::is_json_body; }) || ...) ||
                      !((requires { param_t<A>::is_file; }) || ...),
                  "vivace: a JSON Body<T> and File parameters cannot share a request body: "
                  "use Form<T> for the other fields");
    di::parameters<A...>::describe(info);
    auto shared = std::make_shared<const RouteInfo>(info);
    Route route{std::move(info), handler::detail::typed_handler<std::decay_t<F>, R, A...>(
                                     std::decay_t<F>(std::forward<F>(f)), std::move(shared))};
    routing::attach_dependencies(route, route.info.options.dependencies);
    return route;
  }(static_cast<Args*>(nullptr));
}

}  // namespace vivace
