-- wrk script for the Get15118EVCertificate load run (docs/benchmarks.md).
-- BODIES: file of API request bodies, one per line (EvCertificateLoad writes it); TOKEN: a csms token.
-- Every request is a full local installation (decode, verify, issue and record a contract
-- certificate, wrap, sign, encode); a body sent twice installs a second contract certificate.
local bodies = {}
local counter = 1
local threads = {}

function setup(thread)
   thread:set("id", #threads)
   table.insert(threads, thread)
end

function init(args)
   for line in io.lines(os.getenv("BODIES")) do
      table.insert(bodies, line)
   end
   counter = (id * 7) % #bodies + 1
   wrk.method = "POST"
   wrk.path = "/api/v1/pnc/ev-certificate"
   wrk.headers["Content-Type"] = "application/json"
   wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
   accepted, other = 0, 0
end

function request()
   local body = bodies[counter]
   counter = counter + 1
   if counter > #bodies then counter = 1 end
   return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
   if status == 200 and string.find(body, '"status":"Accepted"', 1, true) then
      accepted = accepted + 1
   else
      other = other + 1
      if other <= 3 then io.stderr:write(status .. " " .. string.sub(body, 1, 300) .. "\n") end
   end
end

function done(summary, latency, requests)
   local total_accepted, total_other = 0, 0
   for _, t in ipairs(threads) do
      total_accepted = total_accepted + t:get("accepted")
      total_other = total_other + t:get("other")
   end
   io.write(string.format("Accepted: %d   other: %d\n", total_accepted, total_other))
   for _, p in ipairs({50, 90, 99, 99.9}) do
      io.write(string.format("latency p%s: %.2f ms\n", p, latency:percentile(p) / 1000))
   end
   io.write(string.format("installations per second: %.0f\n", total_accepted / (summary.duration / 1e6)))
end
