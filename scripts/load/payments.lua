-- wrk script: a bank officer posting repayments, POST /api/v1/loans/{id}/payments, 10,000
-- rials each with a bank reference unique per thread and request, over the given loans in
-- turn. Arguments after `--`: TOKEN LOAN_IDS (comma-separated) PAID_ON (ISO). Prints latency
-- percentiles and the answers that were not 201 (a repeat would answer 200).

dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "report.lua")
expected = 201

function init(args)
  token = args[1]
  loans = {}
  for id in string.gmatch(args[2], "%d+") do
    table.insert(loans, id)
  end
  paid_on = args[3]
  counter = 0
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

done = summary_line("payments", "of them ≥ 400")
