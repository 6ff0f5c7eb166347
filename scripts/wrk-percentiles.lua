-- wrk: print the latency percentiles the targets name (p50, p95, p99) in milliseconds, and the
-- non-2xx count, on one line the bench scripts read: "percentiles <rps> <p50> <p95> <p99> <errors>".
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("percentiles %.1f %.2f %.2f %.2f %d\n", summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, errors))
end
