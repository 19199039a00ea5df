-- Tables, sorting, metatables, table library, a priority queue and a few algorithms.
local function dump(t)
  local parts = {}
  for i = 1, #t do parts[#parts + 1] = tostring(t[i]) end
  return "{" .. table.concat(parts, ",") .. "}"
end

-- Sorted keys: pairs() order over string keys depends on a per-run hash seed, so never print it directly.
local function sortedkeys(t)
  local ks = {}
  for k in pairs(t) do ks[#ks + 1] = k end
  table.sort(ks, function(a, b)
    if type(a) == type(b) then return a < b end
    return type(a) < type(b)
  end)
  return ks
end

local t = { 5, 3, 8, 1, 9, 2, 7 }
table.insert(t, 4)
table.insert(t, 1, 0)
print(dump(t), #t)
print(table.remove(t), table.remove(t, 1), dump(t))
table.sort(t)
print(dump(t))
table.sort(t, function(a, b) return a > b end)
print(dump(t))
print(table.concat({ 1, 2, 3 }, ", ", 2, 3), table.concat({}, "x"), select("#", table.unpack({ 1, nil, 3 }, 1, 3)))
print(dump(table.move({ 1, 2, 3, 4, 5 }, 2, 4, 1)), dump(table.move({ 1, 2, 3 }, 1, 3, 3, { 9, 9 })))
local packed = table.pack(1, nil, "x", nil)
print(packed.n, packed[3])

-- Stable-looking sort of records by several keys
local people = {
  { name = "Ann", age = 31 }, { name = "Bob", age = 25 }, { name = "Cid", age = 31 },
  { name = "Dee", age = 19 }, { name = "Eve", age = 25 }, { name = "Fay", age = 40 },
}
table.sort(people, function(a, b)
  if a.age ~= b.age then return a.age < b.age end
  return a.name > b.name
end)
for _, p in ipairs(people) do io.write(p.name, "(", p.age, ") ") end
print()

-- Larger sort with a deterministic generator
math.randomseed(12345)
local big = {}
for i = 1, 2000 do big[i] = math.random(1, 100000) end
table.sort(big)
local ok = true
for i = 2, #big do if big[i - 1] > big[i] then ok = false end end
print("sorted", ok, big[1], big[1000], big[2000], math.random(), math.random(10))

-- Mixed keys and counting
local inv = { apple = 3, pear = 0, [1] = "one", [2.5] = "float", [true] = "bool" }
inv.banana = 7
inv.pear = nil
for _, k in ipairs(sortedkeys(inv)) do io.write(tostring(k), "=", tostring(inv[k]), " ") end
print()
print(#"", next({}), rawlen({ 1, 2 }), rawequal(inv, inv), rawget(inv, "apple"))

-- Word frequency
local text = [[the cat and the hat and the bat sat on the mat with a cat]]
local freq = {}
for w in text:gmatch("%a+") do freq[w] = (freq[w] or 0) + 1 end
local ws = sortedkeys(freq)
table.sort(ws, function(a, b) if freq[a] ~= freq[b] then return freq[a] > freq[b] end return a < b end)
for i = 1, 5 do io.write(ws[i], ":", freq[ws[i]], " ") end
print()

-- Metatables: a 2D vector class
local Vec = {}
Vec.__index = Vec
function Vec.new(x, y) return setmetatable({ x = x, y = y }, Vec) end
function Vec.__add(a, b) return Vec.new(a.x + b.x, a.y + b.y) end
function Vec.__sub(a, b) return Vec.new(a.x - b.x, a.y - b.y) end
function Vec.__mul(a, b)
  if type(a) == "number" then return Vec.new(a * b.x, a * b.y) end
  if type(b) == "number" then return Vec.new(a.x * b, a.y * b) end
  return a.x * b.x + a.y * b.y
end
function Vec.__eq(a, b) return a.x == b.x and a.y == b.y end
function Vec.__lt(a, b) return a:len2() < b:len2() end
function Vec.__le(a, b) return a:len2() <= b:len2() end
function Vec.__tostring(v) return "(" .. v.x .. "," .. v.y .. ")" end
function Vec.__len(v) return 2 end
function Vec.__unm(v) return Vec.new(-v.x, -v.y) end
function Vec.__concat(a, b) return tostring(a) .. tostring(b) end
function Vec:len2() return self.x * self.x + self.y * self.y end
local a, b = Vec.new(1, 2), Vec.new(3, -4)
print(tostring(a + b), tostring(a - b), a * b, tostring(2 * a), tostring(-b), #a, a .. b)
print(a == Vec.new(1, 2), a ~= b, a < b, b <= a, rawequal(a, Vec.new(1, 2)))

-- __index / __newindex / __call / __close
local defaults = setmetatable({}, { __index = function(_, k) return "default_" .. k end })
print(defaults.color, rawget(defaults, "color"))
local log = {}
local proxy = setmetatable({}, { __newindex = function(t, k, v) log[#log + 1] = k .. "=" .. tostring(v); rawset(t, k, v) end })
proxy.a = 1; proxy.b = 2; proxy.a = 3
print(table.concat(log, " "), proxy.a)
local counter = setmetatable({ n = 0 }, { __call = function(self, inc) self.n = self.n + (inc or 1); return self.n end })
counter(); counter(5)
print(counter.n, counter())
do
  local res <close> = setmetatable({}, { __close = function() print("closed resource") end })
  print("using resource")
end

-- Inheritance
local Animal = {}
Animal.__index = Animal
function Animal.new(name, sound) return setmetatable({ name = name, sound = sound }, Animal) end
function Animal:speak() return self.name .. " says " .. self.sound end
local Dog = setmetatable({}, { __index = Animal })
Dog.__index = Dog
function Dog.new(name) local d = Animal.new(name, "woof"); return setmetatable(d, Dog) end
function Dog:fetch() return self.name .. " fetches" end
local d = Dog.new("Rex")
print(d:speak(), d:fetch(), getmetatable(d) == Dog)

-- Binary heap priority queue
local Heap = {}
Heap.__index = Heap
function Heap.new() return setmetatable({ n = 0 }, Heap) end
function Heap:push(v)
  self.n = self.n + 1
  local i = self.n
  self[i] = v
  while i > 1 do
    local p = i // 2
    if self[p] <= self[i] then break end
    self[p], self[i] = self[i], self[p]
    i = p
  end
end
function Heap:pop()
  local top = self[1]
  self[1] = self[self.n]
  self[self.n] = nil
  self.n = self.n - 1
  local i = 1
  while true do
    local l, r, m = 2 * i, 2 * i + 1, i
    if l <= self.n and self[l] < self[m] then m = l end
    if r <= self.n and self[r] < self[m] then m = r end
    if m == i then break end
    self[m], self[i] = self[i], self[m]
    i = m
  end
  return top
end
local h = Heap.new()
for _, v in ipairs({ 42, 7, 19, 3, 88, 1, 56, 23 }) do h:push(v) end
local out = {}
while h.n > 0 do out[#out + 1] = h:pop() end
print(dump(out))

-- Matrix multiply and a 2D grid flood fill
local function matmul(A, B)
  local C = {}
  for i = 1, #A do
    C[i] = {}
    for j = 1, #B[1] do
      local s = 0
      for k = 1, #B do s = s + A[i][k] * B[k][j] end
      C[i][j] = s
    end
  end
  return C
end
local M = matmul({ { 1, 2, 3 }, { 4, 5, 6 } }, { { 7, 8 }, { 9, 10 }, { 11, 12 } })
print(dump(M[1]), dump(M[2]))
local grid = {
  "#########",
  "#..#....#",
  "#..#.##.#",
  "#....#..#",
  "######..#",
  "#.......#",
  "#########",
}
local cells = {}
for r, line in ipairs(grid) do cells[r] = {}; for c = 1, #line do cells[r][c] = line:sub(c, c) end end
local stack, filled = { { 2, 2 } }, 0
while #stack > 0 do
  local r, c = table.unpack(table.remove(stack))
  if cells[r][c] == "." then
    cells[r][c] = "o"; filled = filled + 1
    stack[#stack + 1] = { r + 1, c }; stack[#stack + 1] = { r - 1, c }
    stack[#stack + 1] = { r, c + 1 }; stack[#stack + 1] = { r, c - 1 }
  end
end
print("filled", filled)
for r = 1, #cells do print(table.concat(cells[r])) end
