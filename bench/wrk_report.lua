-- wrk script for `make bench`: GET one path as logged-in users, rotating over their session
-- cookies, and report as one JSON line (prefixed BENCH_JSON) with every non-200 answer counted
-- as an error (a 302 to the login page would otherwise pass as a success).
-- Usage: wrk ... -s bench/wrk_report.lua URL -- PATH SESSIONID [SESSIONID...]

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  path = args[1]
  cookies = {}
  for i = 2, #args do
    cookies[#cookies + 1] = "sessionid=" .. args[i]
  end
  sent = 0
  not_ok = 0
end

function request()
  sent = sent + 1
  return wrk.format("GET", path, { Cookie = cookies[(sent % #cookies) + 1] })
end

function response(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("not_ok")
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "not_200": %d, "connect_errors": %d, ' ..
    '"read_errors": %d, "write_errors": %d, "timeouts": %d, "latency_p50_us": %d, ' ..
    '"latency_p99_us": %d, "latency_max_us": %d}\n',
    summary.requests, summary.duration, bad, errors.connect, errors.read, errors.write,
    errors.timeout, latency:percentile(50), latency:percentile(99), latency.max))
end
