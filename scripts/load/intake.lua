-- wrk script: walk-in registrations by a desk clerk, POST /api/v1/applications, each a new
-- person with a valid national ID (unique per thread and request). Arguments after `--`:
-- PROGRAM_ID COUNTY TOKEN OFFSET. Prints latency percentiles and the answers that were not 201.

dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "report.lua")
expected = 201

function init(args)
  program = args[1]
  county = args[2]
  token = args[3]
  offset = tonumber(args[4])
  counter = 0
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

done = summary_line("intake", "not 201")
