-- Shared by the wrk scripts beside it, which load it with dofile: each thread's id, the
-- answers other than `expected` (counted; the first three printed) and the summary line.

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

refused = 0

function response(status, headers, body)
  if status ~= expected then
    refused = refused + 1
    if refused <= 3 then
      io.stderr:write("answer " .. status .. ": " .. body:sub(1, 200) .. "\n")
    end
  end
end

-- wrk's `done`: "NAME: N answers (E REFUSED, S socket errors) in … = R/s; latency ms …",
-- where E counts the answers of status 400 or more.
function summary_line(name, refused_words)
  return function(summary, latency, requests)
    local ok = summary.requests - summary.errors.status
    io.write(string.format(
      "%s: %d answers (%d %s, %d socket errors) in %.2f s = %.0f/s; " ..
      "latency ms p50 %.1f p90 %.1f p99 %.1f max %.1f\n",
      name, summary.requests, summary.errors.status, refused_words,
      summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
      summary.duration / 1e6, ok / (summary.duration / 1e6),
      latency:percentile(50) / 1000, latency:percentile(90) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000))
  end
end
