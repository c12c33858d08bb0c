-- wrk script: a bank officer posting repayments, POST /api/v1/loans/{id}/payments, 10,000
-- rials each with a bank reference unique per thread and request, over the given loans in
-- turn. Arguments after `--`: TOKEN LOAN_IDS (comma-separated) PAID_ON (ISO). Prints latency
-- percentiles and the answers that were not 201 (a repeat would answer 200).

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  token = args[1]
  loans = {}
  for id in string.gmatch(args[2], "%d+") do
    table.insert(loans, id)
  end
  paid_on = args[3]
  counter = 0
  refused = 0
  headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
  }
end

function request()
  counter = counter + 1
  local loan = loans[1 + (id * 7919 + counter) % #loans]
  local body = string.format(
    '{"amount":10000,"paid_on":"%s","bank_reference":"WRK-%d-%d"}', paid_on, id, counter)
  return wrk.format("POST", "/api/v1/loans/" .. loan .. "/payments", headers, body)
end

function response(status, headers, body)
  if status ~= 201 then
    refused = refused + 1
    if refused <= 3 then
      io.stderr:write("answer " .. status .. ": " .. body:sub(1, 200) .. "\n")
    end
  end
end

function done(summary, latency, requests)
  local ok = summary.requests - summary.errors.status
  io.write(string.format(
    "payments: %d answers (%d of them ≥ 400, %d socket errors) in %.2f s = %.0f/s; " ..
    "latency ms p50 %.1f p90 %.1f p99 %.1f max %.1f\n",
    summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.duration / 1e6, ok / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
