#pragma once
/// @file
/// Signature analysis of handlers: parameter and return types of functions, function pointers,
/// lambdas and function objects with one non-template call operator (`callable_result`,
/// `callable_args`).

#include <tuple>
#include <type_traits>

namespace vivace::detail {

template <class F>
struct callable_traits : callable_traits<decltype(&std::remove_cvref_t<F>::operator())> {};

template <class R, class... A>
struct callable_traits<R(A...)> {
  using result = R;
  using args = std::tuple<A...>;
};
template <class R, class... A>
struct callable_traits<R (*)(A...)> : callable_traits<R(A...)> {};
template <class R, class... A>
struct callable_traits<R (*)(A...) noexcept> : callable_traits<R(A...)> {};
template <class R, class... A>
struct callable_traits<R(A...) noexcept> : callable_traits<R(A...)> {};
template <class C, class R, class... A>
struct callable_traits<R (C::*)(A...)> : callable_traits<R(A...)> {};
template <class C, class R, class... A>
struct callable_traits<R (C::*)(A...) const> : callable_traits<R(A...)> {};
template <class C, class R, class... A>
struct callable_traits<R (C::*)(A...) noexcept> : callable_traits<R(A...)> {};
template <class C, class R, class... A>
struct callable_traits<R (C::*)(A...) const noexcept> : callable_traits<R(A...)> {};

template <class F>
concept analysable = requires {
  typename callable_traits<F>::result;
};

}  // namespace vivace::detail

namespace vivace {

/// The return type of a call to `F`: a function type, a function pointer, a pointer to member
/// function, or a class (lambda, function object) with exactly one call operator that is
/// neither a template nor ref-qualified. Anything else (a generic lambda, an overloaded
/// `operator()`) does not compile; pass functions and function pointers decayed
/// (`std::decay_t<F>`), since references to them are not matched.
template <class F>
using callable_result = typename detail::callable_traits<F>::result;

/// The parameter types of `F` (as `callable_result` accepts it) as a `std::tuple`, in order
/// and as declared, references kept (`const T&` stays `const T&`). For a pointer to member
/// function or a function object, the object itself is not among them.
template <class F>
using callable_args = typename detail::callable_traits<F>::args;

}  // namespace vivace
