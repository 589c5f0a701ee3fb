#pragma once
/// @file
/// The typed adapter: turns one typed callable into an erased `Handler` plus the analysed
/// `RouteInfo`, once per route. Everything after this point is ordinary compiled code.

#include <array>
#include <concepts>
#include <cstddef>
#include <memory>
#include <optional>
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

using di::detail::param_t;

template <class T>
struct is_task : std::false_type {
  using type = T;
};
template <class T, class E>
struct is_task<boost::asio::awaitable<T, E>> : std::true_type {
  using type = T;
};

// --- response conversion (compiled in src/handler/returns.cpp where not a template) ---
Response json_response(const boost::json::value& v, int status);
Response string_response(std::string_view s, int status);

template <class T>
Response to_response(T&& value, const RouteInfo& info) {
  using V = std::remove_cvref_t<T>;
  if constexpr (std::is_same_v<V, Response>) {
    return std::forward<T>(value);
  } else if constexpr (std::is_convertible_v<V, std::string_view>) {
    return string_response(std::string_view{value}, info.status());
  } else if constexpr (std::is_constructible_v<boost::json::value, V>) {
    return json_response(boost::json::value(std::forward<T>(value)), info.status());
  } else if constexpr (schema::has_codec<V>) {
    return json_response(schema::encode(value), info.status());
  } else {
    static_assert(sizeof(V) == 0,
                  "vivace: a handler must return Response, a string, a boost::json value, a "
                  "type with a schema (a described struct, a vector of them, ...), void, or "
                  "Task<> of one of these");
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

/// Builds the erased route for `f` served at `method Path`.
template <fixed_string Path, class F>
Route make_route(std::string method, F&& f, RouteOptions options) {
  using traits = vivace::detail::callable_traits<std::decay_t<F>>;
  using R = typename traits::result;
  using Args = typename traits::args;
  static_assert(handler::detail::check_path_params<Path, Args>());

  RouteInfo info;
  info.method = std::move(method);
  info.path = std::string{Path.view()};
  info.options = std::move(options);

  using task_traits = handler::detail::is_task<R>;
  using value_t =
      typename std::conditional_t<task_traits::value, task_traits, std::type_identity<R>>::type;
  if constexpr (std::is_void_v<value_t>) {
    info.default_status = 204;
  } else if constexpr (!std::is_same_v<value_t, Response> &&
                       !std::is_convertible_v<value_t, std::string_view> &&
                       schema::has_codec<std::remove_cvref_t<value_t>>) {
    info.response_schema = [](schema::schema_registry& r) {
      return schema::json_schema<std::remove_cvref_t<value_t>>(r);
    };
  }

  return [&]<class... A>(std::tuple<A...>*) {
    static_assert((di::detail::supported_param<A> && ...),
                  "vivace: every handler parameter must be an extractor (Path, Query, Header, "
                  "Cookie, Body, ...) or Request&");
    static_assert((0 + ... + (requires { di::detail::param_t<A>::is_body; } ? 1 : 0)) <= 1,
                  "vivace: a handler can take at most one Body<T>: put the fields into one "
                  "model");
    (di::detail::describe_one<A>(info), ...);
    auto shared_info = std::make_shared<const RouteInfo>(info);
    Handler h = [fn = std::decay_t<F>(std::forward<F>(f)),
                 shared_info](Request& req) -> Task<Response> {
      std::exception_ptr ep;
      try {
        params::error_list errors;
        std::tuple<typename di::detail::slot<A>::type...> slots;
        if constexpr ((di::detail::async_param<A> || ...)) {
          co_await di::detail::extract_all<A...>(req, errors, slots,
                                                 std::index_sequence_for<A...>{});
        } else {
          [&]<std::size_t... I>(std::index_sequence<I...>) {
            (di::detail::extract_sync<A>(req, errors, std::get<I>(slots)), ...);
          }
          (std::index_sequence_for<A...>{});
        }
        if (!errors.empty())
          throw RequestValidationError{std::move(errors)};
        auto call = [&]() -> decltype(auto) {
          return [&]<std::size_t... I>(std::index_sequence<I...>)->decltype(auto) {
            return fn(di::detail::pass<A>(req, std::get<I>(slots))...);
          }
          (std::index_sequence_for<A...>{});
        };
        const RouteInfo& ri = *shared_info;
        if constexpr (task_traits::value) {
          if constexpr (std::is_void_v<value_t>) {
            co_await call();
            co_return Response::empty(ri.status());
          } else {
            co_return handler::detail::to_response(co_await call(), ri);
          }
        } else {
          std::optional<Response> out;
          co_await run_blocking(req, [&] {
            if constexpr (std::is_void_v<value_t>) {
              call();
              out = Response::empty(ri.status());
            } else {
              out = handler::detail::to_response(call(), ri);
            }
          });
          co_return std::move(*out);
        }
      } catch (...) {
        ep = std::current_exception();
      }
      co_return render_exception(req, std::move(ep));
    };
    return Route{std::move(info), std::move(h)};
  }(static_cast<Args*>(nullptr));
}

}  // namespace vivace
