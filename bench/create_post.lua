-- wrk script of bench/blog.sh: POST /api/v1/posts/ with a title of its own per request, so
-- that no two requests derive the same slug (a clash makes the server look for a free
-- `-2`, `-3`...). Titles: "Bench <BENCH_TAG> <BENCH_PHASE> <thread> post <n>"; the
-- Authorization and Content-Type headers come from wrk's -H options.

local threads = 0
function setup(thread)  -- runs in wrk's main Lua state, once per thread
  threads = threads + 1
  thread:set("thread_no", threads)
end

local content = string.rep("A benchmark post: a sentence or two of ordinary text. ", 8)
local prefix
local n = 0

function init(_)
  prefix = string.format("Bench %s %s %d", os.getenv("BENCH_TAG") or "-",
                         os.getenv("BENCH_PHASE") or "-", thread_no or 0)
end

function request()
  n = n + 1
  local body = string.format('{"title":"%s post %d","content":"%s","published":true}',
                             prefix, n, content)
  return wrk.format("POST", nil, nil, body)
end
