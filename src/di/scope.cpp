#include "vivace/di/scope.hpp"

#include <memory>
#include <stdexcept>

#include <boost/core/demangle.hpp>

#include "vivace/di/security.hpp"

namespace vivace::di::detail {

void throw_not_provided(const std::type_info& type) {
  throw std::logic_error("vivace: Inject<" + boost::core::demangle(type.name()) +
                         ">: no value of this type was provided (app.provide<T>(...))");
}

std::vector<std::string>& security_scopes_of(Request& req) {
  static constexpr char key = 0;
  if (auto p = req.scope().slots().get(&key))
    return *static_cast<std::vector<std::string>*>(p.get());
  auto p = std::make_shared<std::vector<std::string>>();
  req.scope().slots().set(&key, p);
  return *p;
}

}  // namespace vivace::di::detail
