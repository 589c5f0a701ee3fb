#pragma once
// The version 1 API (the FastAPI app's `api/v1/api.py`): one router with every endpoint.

#include <vivace/handler/router.hpp>

#include "core/security.hpp"
#include "database.hpp"
#include "schemas.hpp"

namespace blog::api {

vivace::Router auth_router();
vivace::Router users_router();
vivace::Router posts_router();

/// Everything under `prefix` (API_V1_STR).
vivace::Router api_router(const std::string& prefix);

}  // namespace blog::api
