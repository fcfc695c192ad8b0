-- GET a rotating list of staff API paths, each with its own token (one "token<TAB>path" per line in
-- BENCH_PATHS_FILE): case details spread over many cases, or queue pages of several users.
dofile(os.getenv("BENCH_LUA_DIR") .. "/limited.lua")
local entries, i = {}, 0

function prepare(thread_id)
  for line in io.lines(os.getenv("BENCH_PATHS_FILE")) do
    local token, path = line:match("^(%S+)\t(.+)$")
    table.insert(entries, {path = path, headers = {["Authorization"] = "Token " .. token}})
  end
  i = thread_id * 7919
end

function request()
  i = i + 1
  local entry = entries[(i % #entries) + 1]
  return wrk.format("GET", entry.path, entry.headers)
end
