-- wrk script: walk-in registrations by a desk clerk, POST /api/v1/applications, each a new
-- person with a valid national ID (unique per thread and request). Arguments after `--`:
-- PROGRAM_ID COUNTY TOKEN OFFSET. Prints latency percentiles and the answers that were not 201.

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  program = args[1]
  county = args[2]
  token = args[3]
  offset = tonumber(args[4])
  counter = 0
  refused = 0
  headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
  }
end

-- A valid Iranian national ID from a number: nine digits and the mod-11 check digit.
local function national_id(n)
  local base = string.format("%09d", 100000000 + n % 800000000)
  local sum = 0
  for i = 1, 9 do
    sum = sum + tonumber(base:sub(i, i)) * (11 - i)
  end
  local r = sum % 11
  if r >= 2 then r = 11 - r end
  return base .. r
end

function request()
  counter = counter + 1
  local n = offset + id * 50000000 + counter
  local body = string.format(
    '{"program_id":%s,"loan_type":"self_employment","requested_amount":1500000000,' ..
    '"applicant":{"national_id":"%s","first_name":"زهرا","last_name":"احمدی",' ..
    '"father_name":"علی","birth_date":"1370/05/12","gender":"female","mobile":"0912%07d",' ..
    '"province":"07","county":"%s","address":"تهران، خیابان آزادی",' ..
    '"female_head_of_household":%s,"disability":false,"household_size":%d,' ..
    '"income_decile":%d,"beneficiary_status":"supported"},' ..
    '"business":{"title":"خیاطی خانگی","activity":"tailoring","jobs_planned":2}}',
    program, national_id(n), n % 10000000, county, tostring(n % 3 == 0), 1 + n % 6, 1 + n % 10)
  return wrk.format("POST", "/api/v1/applications", headers, body)
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
    "intake: %d answers (%d not 201, %d socket errors) in %.2f s = %.0f/s; " ..
    "latency ms p50 %.1f p90 %.1f p99 %.1f max %.1f\n",
    summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.duration / 1e6, ok / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
