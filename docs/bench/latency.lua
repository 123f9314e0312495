-- wrk script for docs/bench/e2e.sh: authenticates every request like a client of the sample
-- router, and prints one machine-readable RESULT line with throughput and latency percentiles
-- (wrk's latencies are in microseconds).
wrk.headers["Authorization"] = "Bearer bench"

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout
  local seconds = summary.duration / 1e6
  io.write(string.format(
      "RESULT requests=%d errors=%d rps=%.1f p50_us=%d p99_us=%d p999_us=%d max_us=%d\n",
      summary.requests, errors, summary.requests / seconds,
      latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max))
end
