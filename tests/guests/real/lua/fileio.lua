-- Reads the file named by arg[1] with the io library: lines, byte counts, a checksum, seeks and partial reads.
local path = assert(arg[1], "usage: fileio.lua FILE")
local f = assert(io.open(path, "rb"))
local size = f:seek("end")
f:seek("set", 0)
local data = f:read("a")
print("size", size, #data, size == #data)
print("eof read", f:read("a") == "", f:read("l"), f:read(0))

-- Adler-32 of the whole file
local a, b = 1, 0
for i = 1, #data do
  a = (a + data:byte(i)) % 65521
  b = (b + a) % 65521
end
print(string.format("adler32 %08x", (b << 16) | a))

-- Byte histogram: the ten most common bytes
local hist = {}
for i = 0, 255 do hist[i] = 0 end
for i = 1, #data do local c = data:byte(i); hist[c] = hist[c] + 1 end
local order = {}
for i = 0, 255 do if hist[i] > 0 then order[#order + 1] = i end end
table.sort(order, function(x, y) if hist[x] ~= hist[y] then return hist[x] > hist[y] end return x < y end)
local top = {}
for i = 1, math.min(10, #order) do top[i] = string.format("%02x:%d", order[i], hist[order[i]]) end
print("distinct", #order, table.concat(top, " "))

-- Lines via io.lines
local nlines, longest, total = 0, 0, 0
for line in io.lines(path) do
  nlines = nlines + 1
  total = total + #line
  if #line > longest then longest = #line end
end
print("lines", nlines, "longest", longest, "chars", total)

-- Seek and read pieces
f:seek("set", 100)
local chunk = f:read(16)
print("at100", (chunk:gsub(".", function(c) return string.format("%02x", c:byte()) end)), f:seek())
print("cur", f:seek("cur", -8), f:seek("cur"))
f:seek("end", -10)
local tail = f:read(100)
print("tail", #tail, f:read(1))
f:seek("set")
local n1 = f:read("n")
print("number at start", n1)
f:close()
print("closed", io.type(f), pcall(f.read, f))
-- The message names the absolute path, which differs between machines: keep only the file name.
local nf, nerr, ncode = io.open(path .. ".does-not-exist")
print("missing", nf, (nerr:gsub("^.*/", "")), ncode)
io.write("written with io.write ", 42, " ", 1.5, "\n")
io.stdout:write("stdout:write\n")
print(io.type(io.stdout), io.read("l"), io.read("a"))
