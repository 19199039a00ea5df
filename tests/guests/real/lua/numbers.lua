-- Integer and float arithmetic, conversions, string.format of floats, bit operations, math library,
-- and a few recursive algorithms (n-queens, Hanoi, Ackermann, quicksort, permutations count, gcd).
-- Error messages carry "chunkname:line:" and the chunk name is the script's absolute path: keep only the line.
local function clean(ok, msg) return ok, (tostring(msg):gsub("^[^:]*%.lua:(%d+):", "line %1:")) end

print(7 // 2, -7 // 2, 7 % 3, -7 % 3, 7 % -3, 7.5 // 2, -7.5 % 2, 7 / 2, 6 / 2, 2 ^ 10, 2 ^ 0.5)
print(math.maxinteger, math.mininteger, math.maxinteger + 1 == math.mininteger, math.mininteger // -1, math.mininteger % -1)
print(5 // 0.0, -5 // 0.0, 0 / 0 ~= 0 / 0, math.huge, -math.huge, 1e308 * 10, -0.0 == 0.0)
print(clean(pcall(function() return 5 // 0 end)))
print(clean(pcall(function() return 5 % 0 end)))
print(1e15, 1e16, 123456789012345678, 2 ^ 53, 2 ^ 63, -2 ^ 63 == math.mininteger, 1e100)
print(0.1 + 0.2, 0.1 + 0.2 == 0.3, 1 / 3, 100 / 3, 3.0, -3.5, 1e-5, 123.456e-300, 5e-324)
print(3 == 3.0, math.type(3 // 1), math.type(3.0 // 1), 2 ^ 2, 10 // 3.0, 1 < 1.5, math.maxinteger < math.huge)
print(math.tointeger(3.0), math.tointeger(3.5), math.tointeger("8"), math.tointeger(2 ^ 63), 3 | 0, clean(pcall(function() return 3.5 | 0 end)))
print(0xff, 0x7fffffffffffffff, 0xffffffffffffffff, 0x10p2, 0x.8, 0xA.8p1, 1e2, .5)
print(string.format("%.14g", 2 ^ 63), math.floor(-3.5), math.ceil(-3.5), math.floor(3.7), math.ceil(3.2), math.floor(2 ^ 62) == 2 ^ 62)
print(math.abs(-7), math.abs(math.mininteger), math.abs(-2.5), math.max(3, 7.5, -1), math.min(3, 7.5, -1), math.fmod(7, 3), math.fmod(-7, 3), math.fmod(7, -3.5))
print(math.sqrt(2), math.sin(0), math.cos(0), math.exp(1), math.log(100, 10), math.log(8, 2), math.log(2.718281828459045), math.pi)
print(math.ult(1, -1), math.ult(-1, 1), math.modf(3.75), math.modf(-3.75), math.modf(math.huge))
print(string.format("%.3f %.0f %10.4f %-10.2f| %+d %e %.2E %g %g %g", math.pi, 2.5, -1 / 7, 42.125, 5, 12345.6789, 0.000123, 1e20, 1e-5, 100000))
print(string.format("%a %a %.17g %.17g %g %g", 1.0, 0.1, 0.1, 1 / 3, 0 / 0 ~= 0 / 0 and 1 or 0, 2 ^ -1074))
print(string.format("%5.1f|%-8.3e|%08.2f|%.10g|%g|%g", 3.14159, 31415.9, -3.14159, 2 / 3, 1e15, 123456789))
print(string.format("%d %5s %s", 3, 1.0, 2 ^ 31), tostring(1e300 * 1e10), tostring(-(0 / 0)) ~= nil)
print(tostring(1 / 0), tostring(-1 / 0), 2 ^ 1023 * 2, math.huge // 1, -math.huge % 2)
print(8 // 3 * 3 + 8 % 3, (-8) // 3 * 3 + (-8) % 3, 2 ^ 3 ^ 2, -2 ^ 2, not nil == true, 1 .. "")

-- Bitwise operations
print(0xF0 & 0x3C, 0xF0 | 0x0F, 0xF0 ~ 0xFF, ~0, 1 << 62, 1 << 63, 1 << 64, -1 >> 1, -1 >> 63, 256 >> -2, 3 << -1)
print(string.format("%x %x %X", -1, 0x123456789 & 0xffff, 0xdeadbeef ~ 0xffffffff), math.tointeger("0x10") | 0, 2.0 << 1, clean(pcall(function() return "0x10" | 0 end)))

-- Integer overflow wraps around
local x = math.maxinteger
print(x + 1, x * 2, math.mininteger - 1, -math.mininteger, x * x)
-- Number <-> string conversion
print(tostring(2 ^ 24), tostring(16777217.0), 2 ^ 53 + 1, math.tointeger(2 ^ 53), tonumber("0x7fffffffffffffff"), tonumber("9223372036854775808"))
print(tonumber("1e1"), tonumber("  0x1p-2  "), tonumber("inf"), tonumber("nan"), tonumber("1e500"), tonumber("-0"), tonumber(".5e1"))
print(string.format("%.20f", 0.1), string.format("%.0f", 0.5), string.format("%.0f", 1.5), string.format("%.15g", 2 ^ 0.5))
for _, v in ipairs({ 1, 1.5, -0.0, 1e100, 2 ^ 63, 1 / 3, 255, 1e-310 }) do io.write(string.format("%q", v), " ") end
print()

-- Recursive algorithms
local function queens(n)
  local count, cols, d1, d2 = 0, {}, {}, {}
  local first
  local placed = {}
  local function place(r)
    if r > n then
      count = count + 1
      if not first then first = table.concat(placed, "") end
      return
    end
    for c = 1, n do
      if not cols[c] and not d1[r + c] and not d2[r - c + n] then
        cols[c], d1[r + c], d2[r - c + n] = true, true, true
        placed[r] = c
        place(r + 1)
        cols[c], d1[r + c], d2[r - c + n] = nil, nil, nil
      end
    end
  end
  place(1)
  return count, first
end
for n = 4, 8 do print("queens", n, queens(n)) end

local moves = {}
local function hanoi(n, from, to, via)
  if n == 0 then return 0 end
  local m = hanoi(n - 1, from, via, to)
  if #moves < 7 then moves[#moves + 1] = from .. to end
  return m + 1 + hanoi(n - 1, via, to, from)
end
print("hanoi", hanoi(12, "A", "C", "B"), table.concat(moves, " "))

local function ack(m, n)
  if m == 0 then return n + 1 end
  if n == 0 then return ack(m - 1, 1) end
  return ack(m - 1, ack(m, n - 1))
end
print("ackermann", ack(2, 3), ack(3, 3))

local function quicksort(a, lo, hi)
  lo, hi = lo or 1, hi or #a
  if lo >= hi then return a end
  local p, i = a[hi], lo - 1
  for j = lo, hi - 1 do
    if a[j] <= p then i = i + 1; a[i], a[j] = a[j], a[i] end
  end
  a[i + 1], a[hi] = a[hi], a[i + 1]
  quicksort(a, lo, i)
  quicksort(a, i + 2, hi)
  return a
end
local seq, v = {}, 17
for i = 1, 30 do v = (v * 1103515245 + 12345) % 2147483648; seq[i] = v % 1000 end
print("quicksort", table.concat(quicksort(seq), " "))

local function gcd(a, b) if b == 0 then return a end return gcd(b, a % b) end
print("gcd", gcd(1071, 462), gcd(2 ^ 40 // 1, 6 ^ 15), gcd(17, 5))
local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
print("fact", fact(20), fact(21), fact(25.0), fact(170.0) < math.huge, fact(171.0))
local function binom(n, k) if k == 0 or k == n then return 1 end return binom(n - 1, k - 1) + binom(n - 1, k) end
print("binom", binom(20, 10), binom(16, 3))
local function digits(n, base) if n < base then return tostring(n) end return digits(n // base, base) .. tostring(n % base) end
print("digits", digits(255, 2), digits(123456789, 7), digits(math.maxinteger, 9))

-- Floating-point accumulation and a simple numeric integration
local s = 0.0
for i = 1, 100000 do s = s + 1 / (i * i) end
print(string.format("basel %.15f %.15f", s, math.pi ^ 2 / 6))
local function simpson(f, a, b, n)
  local h = (b - a) / n
  local acc = f(a) + f(b)
  for i = 1, n - 1 do acc = acc + f(a + i * h) * ((i % 2 == 1) and 4 or 2) end
  return acc * h / 3
end
print(string.format("simpson %.12f %.12f", simpson(math.sin, 0, math.pi, 1000), simpson(function(t) return t ^ 3 end, 0, 2, 10)))
-- Newton's method for square roots
local function newton(a)
  local g = a / 2
  for _ = 1, 30 do g = (g + a / g) / 2 end
  return g
end
print(newton(2), newton(1e10), newton(2) == math.sqrt(2))
-- Deterministic pseudo-random numbers (xoshiro256** in Lua 5.4)
math.randomseed(2024, 7)
local rs = {}
for i = 1, 6 do rs[i] = math.random(1000) end
print("random", table.concat(rs, " "), math.random(-5, 5), string.format("%.10f", math.random()), math.random(0) ~= nil)
