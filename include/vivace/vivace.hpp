#pragma once
/// @file
/// The one include a Vivace user needs. The library itself never includes it.

#include "vivace/version.hpp"

#include "vivace/app/app.hpp"
#include "vivace/core/errors.hpp"
#include "vivace/core/fixed_string.hpp"
#include "vivace/core/log.hpp"
#include "vivace/core/task.hpp"
#include "vivace/core/uuid.hpp"
#include "vivace/di/depends.hpp"
#include "vivace/handler/router.hpp"
#include "vivace/http/handler.hpp"
#include "vivace/http/headers.hpp"
#include "vivace/http/request.hpp"
#include "vivace/http/response.hpp"
#include "vivace/middleware/builtin.hpp"
#include "vivace/params/body.hpp"
#include "vivace/params/form.hpp"
#include "vivace/params/path.hpp"
#include "vivace/params/query.hpp"
#include "vivace/schema/json.hpp"
#include "vivace/server/server.hpp"
