-- GET the public statistics page: the current fiscal year and the one before, in turn (BENCH_STATS_PATHS,
-- space-separated).
dofile(os.getenv("BENCH_LUA_DIR") .. "/limited.lua")
local paths, i = {}, 0

function prepare(thread_id)
  for path in os.getenv("BENCH_STATS_PATHS"):gmatch("%S+") do table.insert(paths, path) end
  i = thread_id
end

function request()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
