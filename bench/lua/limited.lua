-- Shared by the HTTP scenarios: count unexpected statuses and print the results as one JSON line
-- for bench/run.py. (wrk runs for a duration; bench/run.py sizes it to the wanted request count.)
local counter, threads = 1, {}

function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

function init(args)
  expected = tonumber(os.getenv("BENCH_EXPECT_STATUS"))
  done_count, unexpected = 0, 0
  if prepare then prepare(id) end
end

function response(status, headers, body)
  done_count = done_count + 1
  if status ~= expected then unexpected = unexpected + 1 end
end

function done(summary, latency, requests)
  local unexpected_total = 0
  for _, thread in ipairs(threads) do unexpected_total = unexpected_total + thread:get("unexpected") end
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "unexpected": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, unexpected_total, latency:percentile(50), latency:percentile(99),
    latency.max, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
