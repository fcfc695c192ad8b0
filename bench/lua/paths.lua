-- GET a rotating list of staff paths, each with its own credential (one "credential<TAB>path" per line in
-- BENCH_PATHS_FILE): API case details and queue pages with tokens, or, with BENCH_PATHS_AUTH=session,
-- workspace pages with signed-in session keys.
dofile(os.getenv("BENCH_LUA_DIR") .. "/limited.lua")
local entries, i = {}, 0
local session = os.getenv("BENCH_PATHS_AUTH") == "session"

function prepare(thread_id)
  for line in io.lines(os.getenv("BENCH_PATHS_FILE")) do
    local credential, path = line:match("^(%S+)\t(.+)$")
    local headers = session and {["Cookie"] = "sessionid=" .. credential}
                    or {["Authorization"] = "Token " .. credential}
    table.insert(entries, {path = path, headers = headers})
  end
  i = thread_id * 7919
end

function request()
  i = i + 1
  local entry = entries[(i % #entries) + 1]
  return wrk.format("GET", entry.path, entry.headers)
end
