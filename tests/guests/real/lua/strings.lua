-- String library and patterns: find/match/gmatch/gsub, captures, format, byte/char, rep, reverse, pack, utf8.
local function show(...)
  local t = table.pack(...)
  for i = 1, t.n do t[i] = tostring(t[i]) end
  print(table.concat(t, " | "))
end

local s = "The quick brown fox jumps over the lazy dog"
show(#s, s:upper(), s:lower())
show(s:find("fox"), s:find("o", 15), s:find("%s%a+%s", 10), s:find(".", 1, true))
show(s:match("(%a+) fox"), s:match("^(%a+)"), s:match("(%a+)$"), s:match("q(u)(i)"))
show(s:sub(5, 9), s:sub(-3), s:sub(-100, 3), s:sub(10, 5) == "")

local words = {}
for w in s:gmatch("%a+") do words[#words + 1] = w end
show(#words, table.concat(words, ","))

for k, v in ("a=1, bb=22, ccc=333"):gmatch("(%w+)=(%w+)") do io.write(k, "->", v, ";") end
print()

show(s:gsub("o", "0"))
show(s:gsub("(%a+)", "<%1>", 3))
show(("hello world"):gsub("(%w+) (%w+)", "%2 %1"))
show(("abc"):gsub("", "-"))
show(("$name is $age"):gsub("%$(%w+)", { name = "Ada", age = 36 }))
show(("1 2 3 4"):gsub("%d", function(d) return d * d end))
show(("x = 10; y = 20"):gsub("(%w+) = (%d+)", function(k, v) if k == "x" then return nil end return k .. "=" .. (v + 1) end))
show(("THE (quick) [brown] {fox}"):gsub("%b()", ""), ("f(a(b)c)d"):match("%b()"))
show(("key = value  "):match("^(%w+)%s*=%s*(.-)%s*$"))
show(("  trim me  "):match("^%s*(.-)%s*$") .. "|")
show(("THE (quick) fox"):find("%f[%a]%a+%f[%A]", 5))
show(("hello"):rep(3, ", "), ("ab"):rep(0), ("x"):rep(5))
show(("stressed"):reverse(), ("abc"):byte(1, -1))
show(string.char(72, 105, 33), ("%d"):len())
show(("2024-01-15"):match("(%d+)-(%d+)-(%d+)"))
show(("a,b,,c"):gsub(",", ";"), ("a.b.c"):gsub("%.", "/"))
show(("CamelCaseString"):gsub("(%u)", function(c) return "_" .. c:lower() end))
show(("[test]"):find("[", 1, true), ("a+b"):find("+", 1, true), ("%d"):gsub("%%", "%%%%"))

-- string.format
show(string.format("%5d|%-5d|%05d|%x|%X|%o", 42, 42, 42, 255, 255, 8))
show(string.format("%10s|%-10s|%.3s", "right", "left", "truncate"))
show(string.format("%q", 'a "quoted"\n string\0with\ttab'))
show(string.format("%q", 1 / 3), string.format("%q", 42), string.format("%q", math.mininteger))
show(string.format("%c%c%c", 76, 117, 97), string.format("%%"), string.format("%i", -7))
show(string.format("%s %s %s", nil, true, 12.5))

-- pack / unpack
local packed = string.pack("<i4 >i2 z s1 d", -2, 513, "zs", "len", 1.5)
show(#packed, (packed:gsub(".", function(c) return string.format("%02x", c:byte()) end)))
show(string.unpack("<i4 >i2 z s1 d", packed))
show(string.packsize("i4 i8 d b"), string.unpack("<I2", "\1\2"), string.unpack(">I2", "\1\2"))

-- utf8
local u = "héllo wörld ✓"
show(#u, utf8.len(u), utf8.char(72, 233, 10003), utf8.codepoint(u, 1, 3))
for p, c in utf8.codes("añ✓") do io.write(p, ":", c, " ") end
print()
show(utf8.offset(u, 3), utf8.len("\xff"), (utf8.charpattern:gsub("[\x80-\xff]", function(c) return string.format("\\x%02x", c:byte()) end)))

-- tostring / tonumber
show(tonumber("0x1F"), tonumber("  12  "), tonumber("1e2"), tonumber("z", 36), tonumber("777", 8), tonumber("abc"), tonumber(""))
show(tostring(10 // 3), tostring(10 / 2), tostring(-0.0), "10" + 5, "3" * "4", 10 .. 20)

-- string comparison and sorting
local names = { "pear", "Apple", "banana", "apple", "Banana", "cherry", "" }
table.sort(names)
show(table.concat(names, " "))
show("a" < "b", "abc" < "abd", "Z" < "a", "" < "a", "10" < "9")
