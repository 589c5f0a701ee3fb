#include "api/v1/api.hpp"

namespace blog::api {

vivace::Router api_router(const std::string& prefix) {
  vivace::Router api({.prefix = prefix});
  api.include_router(auth_router());
  api.include_router(users_router());
  api.include_router(posts_router());
  return api;
}

}  // namespace blog::api
