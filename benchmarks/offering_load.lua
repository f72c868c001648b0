-- wrk script for benchmarks/offering_load.py: POST bodies in turn (one JSON per line of the file named
-- after `--`), and the result as one JSON line.
local bodies = {}
local turn = 0

init = function(args)
  if args[1] then
    for line in io.lines(args[1]) do
      bodies[#bodies + 1] = line
    end
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/json"
  end
end

request = function()
  if #bodies == 0 then
    return wrk.request()
  end
  turn = turn % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[turn])
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "status": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"timeout": %d, "p50_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
