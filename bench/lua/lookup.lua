-- GET /api/v1/public/cases/{tracking}/ over the tracking numbers intake made (one per line in BENCH_TRACKING_FILE).
dofile(os.getenv("BENCH_LUA_DIR") .. "/limited.lua")
local numbers, i = {}, 0

function prepare(thread_id)
  for line in io.lines(os.getenv("BENCH_TRACKING_FILE")) do table.insert(numbers, line) end
  i = thread_id * 997
end

function request()
  i = i + 1
  return wrk.format("GET", "/api/v1/public/cases/" .. numbers[(i % #numbers) + 1] .. "/")
end
