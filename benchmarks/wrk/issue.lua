-- wrk script for the pki-service issuance benchmark (docs/benchmarks.md).
-- BODIES: file of request bodies, one per line (IssuanceLoad writes it); TOKEN: the bearer token.
-- THREADS: the wrk -t value. Thread i takes every THREADS-th line starting at i, so no CSR is
-- sent twice within a run (wrk runs init() in each thread's own Lua state, so the thread count
-- cannot be learned from setup()).
local bodies = {}
local counter = 1
local threads = {}

function setup(thread)
   thread:set("id", #threads)
   table.insert(threads, thread)
end

function init(args)
   local all = {}
   for line in io.lines(os.getenv("BODIES")) do
      table.insert(all, line)
   end
   local n = tonumber(os.getenv("THREADS") or "")
   if n == nil then error("set THREADS to the wrk -t value") end
   for i = id + 1, #all, n do
      table.insert(bodies, all[i])
   end
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/json"
   wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
   created, other = 0, 0
end

function request()
   local body = bodies[counter]
   counter = counter + 1
   if counter > #bodies then counter = 1 end
   return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
   if status == 201 then
      created = created + 1
   else
      other = other + 1
      if other <= 3 then io.stderr:write(status .. " " .. body .. "\n") end
   end
end

function done(summary, latency, requests)
   local total_created, total_other = 0, 0
   for _, t in ipairs(threads) do
      total_created = total_created + t:get("created")
      total_other = total_other + t:get("other")
   end
   io.write(string.format("201 Created: %d   other: %d\n", total_created, total_other))
   for _, p in ipairs({50, 90, 99, 99.9}) do
      io.write(string.format("latency p%s: %.2f ms\n", p, latency:percentile(p) / 1000))
   end
   io.write(string.format("issued per second: %.0f\n", total_created / (summary.duration / 1e6)))
end
