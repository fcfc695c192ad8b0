-- GET a rotating list of workspace pages, each with its own signed-in session (one "session-key<TAB>path" per
-- line in BENCH_PATHS_FILE): queue pages, case pages and dashboards of several users.
dofile(os.getenv("BENCH_LUA_DIR") .. "/limited.lua")
local entries, i = {}, 0

function prepare(thread_id)
  for line in io.lines(os.getenv("BENCH_PATHS_FILE")) do
    local session, path = line:match("^(%S+)\t(.+)$")
    table.insert(entries, {path = path, headers = {["Cookie"] = "sessionid=" .. session}})
  end
  i = thread_id * 7919
end

function request()
  i = i + 1
  local entry = entries[(i % #entries) + 1]
  return wrk.format("GET", entry.path, entry.headers)
end
