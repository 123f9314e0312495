-- wrk script for docs/bench/soak.sh: authenticates every request like a client of the sample
-- router, waits SOAK_DELAY_MS between a connection's requests (so that wrk offers a steady rate
-- below saturation), and prints one RESULT line with every kind of error counted apart.
wrk.headers["Authorization"] = "Bearer soak"

local delay_ms = tonumber(os.getenv("SOAK_DELAY_MS") or "0")

delay = function()
  return delay_ms
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format(
      "RESULT requests=%d rps=%.1f connect=%d read=%d write=%d timeout=%d status=%d p50_us=%d p99_us=%d max_us=%d\n",
      summary.requests, summary.requests / seconds, summary.errors.connect, summary.errors.read,
      summary.errors.write, summary.errors.timeout, summary.errors.status,
      latency:percentile(50), latency:percentile(99), latency.max))
end
