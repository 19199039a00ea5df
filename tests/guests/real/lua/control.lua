-- Closures, upvalues, varargs, coroutines, goto, error handling with pcall/xpcall/error objects.

-- Error messages carry "chunkname:line:"; the chunk name is the script's absolute path, which differs
-- between machines, so keep only the line number.
local function clean(msg)
  if type(msg) ~= "string" then return msg end
  return (msg:gsub("^[^:]*%.lua:(%d+):", "line %1:"))
end

-- Closures and shared upvalues
local function counter(start)
  local n = start
  return function() n = n + 1; return n end, function() return n end, function(v) n = v end
end
local inc, get, set = counter(10)
inc(); inc()
print(get())
set(100); inc()
print(get())
local fns = {}
for i = 1, 5 do fns[i] = function() return i * i end end
local r = {}
for i = 1, 5 do r[i] = fns[i]() end
print(table.concat(r, " "))
local function compose(f, g) return function(...) return f(g(...)) end end
local function curry(f) return function(a) return function(b) return f(a, b) end end end
print(compose(function(x) return x + 1 end, function(x) return x * 2 end)(20), curry(math.max)(3)(9))
local function memoize(f)
  local cache, calls = {}, 0
  return function(n)
    if cache[n] == nil then calls = calls + 1; cache[n] = f(n) end
    return cache[n]
  end, function() return calls end
end
local fib, fibcalls
fib, fibcalls = memoize(function(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end)
print(fib(80), fibcalls())

-- Varargs
local function va(...)
  local n = select("#", ...)
  local last = n > 0 and select(n, ...) or "none"
  return n, last, ...
end
print(va())
print(va(1, nil, 3))
print(select(-2, "a", "b", "c"), (va(7, 8)))
local function sum(...)
  local s = 0
  for _, v in ipairs({ ... }) do s = s + v end
  return s
end
print(sum(1, 2, 3, 4.5), sum(), table.unpack({ 1, 2, 3 }, 2))

-- goto and nested loops
for i = 1, 3 do
  for j = 1, 3 do
    if j == 2 then goto continue end
    io.write(i, ",", j, " ")
    ::continue::
  end
end
print()
do
  local i = 1
  ::top::
  if i <= 3 then io.write("g", i, " "); i = i + 1; goto top end
  print()
end
local k = 0
while true do k = k + 1; if k > 4 then break end end
repeat k = k - 1 until k == 0
print("k", k)
for x = 10, 1, -3 do io.write(x, " ") end
for x = 1.0, 2.0, 0.25 do io.write(x, " ") end
print()

-- Coroutines: generators
local function range(n)
  return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end)
end
local acc = {}
for v in range(6) do acc[#acc + 1] = v end
print(table.concat(acc, ","))
local function permgen(a, n)
  n = n or #a
  if n <= 1 then coroutine.yield(a) else
    for i = 1, n do
      a[n], a[i] = a[i], a[n]
      permgen(a, n - 1)
      a[n], a[i] = a[i], a[n]
    end
  end
end
local perms = {}
for p in coroutine.wrap(function() permgen({ "a", "b", "c" }) end) do perms[#perms + 1] = table.concat(p) end
print(#perms, table.concat(perms, " "))

-- Coroutines: passing values both ways, status, errors
local co = coroutine.create(function(a, b)
  print("start", a, b)
  local c = coroutine.yield(a + b)
  print("got", c)
  local d, e = coroutine.yield(c * 2)
  print("got", d, e)
  return "done", d + e
end)
print(coroutine.status(co), coroutine.resume(co, 1, 2))
print(coroutine.status(co), coroutine.resume(co, 10))
print(coroutine.resume(co, 3, 4))
print(coroutine.status(co), coroutine.resume(co))
local bad = coroutine.create(function() coroutine.yield(1); error("inside coroutine") end)
print(coroutine.resume(bad))
local okb, msgb = coroutine.resume(bad)
print(okb, clean(msgb), coroutine.status(bad))
print(coroutine.isyieldable(), coroutine.running() ~= nil)
local wrapped = coroutine.wrap(function() error({ code = 42 }) end)
local okw, ew = pcall(wrapped)
print(okw, type(ew), ew.code)
-- Producer/consumer pipeline with a filter
local function producer()
  return coroutine.create(function()
    for _, w in ipairs({ "alpha", "beta", "gamma", "delta", "epsilon" }) do coroutine.yield(w) end
  end)
end
local function filter(src)
  return coroutine.create(function()
    local n = 0
    while true do
      local _, v = coroutine.resume(src)
      if v == nil then break end
      n = n + 1
      coroutine.yield(string.format("%03d:%s", n, v:upper()))
    end
  end)
end
local f = filter(producer())
while true do
  local _, v = coroutine.resume(f)
  if not v then break end
  io.write(v, " ")
end
print()
local cclose = coroutine.create(function() coroutine.yield() end)
coroutine.resume(cclose)
print(coroutine.close(cclose), coroutine.status(cclose))

-- pcall / error / xpcall
print(pcall(function() return 1, 2, 3 end))
local ok1, e1 = pcall(function() error("plain message") end)
print(ok1, clean(e1))
local ok2, e2 = pcall(function() error("no position", 0) end)
print(ok2, e2)
local ok3, e3 = pcall(function() error({ reason = "table error" }) end)
print(ok3, e3.reason)
local ok4, e4 = pcall(function() local x = nil; return x.field end)
print(ok4, clean(e4))
local ok5, e5 = pcall(function() return 1 + {} end)
print(ok5, clean(e5))
local ok6, e6 = pcall(function() return #5 end)
print(ok6, clean(e6))
local ok7, e7 = pcall(function() return ("x"):bad() end)
print(ok7, clean(e7))
print(pcall(error))
print(select("#", pcall(error, nil)))
print(xpcall(function(a, b) return a // b end, function(m) return "handled: " .. clean(m) end, 7, 2))
print(xpcall(function(a, b) return a // b end, function(m) return "handled: " .. clean(m) end, 7, 0))
local depth = 0
local function nested(n)
  if n == 0 then error("bottom", 0) end
  depth = depth + 1
  local ok, e = pcall(nested, n - 1)
  error(e .. "<" .. n, 0)
end
print(pcall(nested, 4))
print(depth)
local E = setmetatable({}, { __tostring = function(e) return "E(" .. e.msg .. ")" end })
E.__index = E
local okE, errE = pcall(error, setmetatable({ msg = "custom" }, getmetatable(E)))
print(okE, tostring(errE))
print(string.format("%s", select(2, pcall(string.rep))):gsub("^[^:]*:%d+: ", ""))
print(clean(select(2, pcall(string.format, "%d", 1.5))))
print(clean(select(2, pcall(setmetatable, 1, {}))))
print(tostring(nil), tostring(true), type(print), type(nil), type(2), type(2.0), math.type(2), math.type(2.0), math.type("2"))
-- Stack overflow is caught
local function inf(n) return 1 + inf(n + 1) end
local okso, eso = pcall(inf, 1)
print(okso, (clean(eso):gsub("%(.*", "")))
-- load with a custom environment
local env = { x = 5 }
local chunk = load("y = x * 2; return y + 1", "chunk", "t", env)
print(chunk(), env.y, x, y)
print(load("return ...", "=va")(1, 2, 3))
local fnil, lerr = load("return +", "=bad")
print(fnil, lerr)
