#pragma once
// The version 1 API (the FastAPI app's `api/v1/api.py`): its routers, which `app.cpp` includes
// under API_V1_STR, and what they share.

#include <vivace/handler/router.hpp>
#include <vivace/params/query.hpp>
#include <vivace/schema/constraints.hpp>

#include "core/security.hpp"
#include "database.hpp"
#include "schemas.hpp"

namespace blog::api {

/// Pagination shared by the list endpoints: `skip` ≥ 0, 1 ≤ `limit` ≤ 100.
using Skip = vivace::Query<"skip", vivace::Int<vivace::ge<0>>, 0>;
using Limit = vivace::Query<"limit", vivace::Int<vivace::ge<1>, vivace::le<100>>, 100>;

vivace::Router auth_router();
vivace::Router users_router();
vivace::Router posts_router();

}  // namespace blog::api
