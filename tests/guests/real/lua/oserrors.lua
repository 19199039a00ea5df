-- Error results of file operations through the io and os libraries. arg[1] is a directory (read-only under Bulwark).
-- Only paths that do not exist are written to, renamed or removed, so running this under qemu changes nothing on the host.
-- Messages name absolute paths, which differ between machines: drop every directory part of a path.
local function show(label, ...)
  local t = table.pack(...)
  for i = 1, t.n do
    local v = t[i]
    if type(v) == "string" then v = v:gsub("/[%w%._/-]*/", "") end
    if io.type(v) then v = io.type(v) end
    t[i] = tostring(v)
  end
  print(label, table.concat(t, " | "))
end

local dir = assert(arg[1], "usage: oserrors.lua DIR")
-- A directory opens for reading, but read() on it fails with EISDIR.
local d = io.open(dir, "r")
show("open dir", d)
if d then show("read dir", d:read(1)); show("read dir all", d:read("a")); d:close() end
show("open dir for writing", io.open(dir, "w"))
show("lines dir", pcall(function() for _ in io.lines(dir) do end end))
-- Paths that do not exist.
show("open missing", io.open("/nonexistent-bulwark-test", "r"))
show("open missing parent for writing", io.open("/nonexistent-bulwark-dir/sub/file", "w"))
show("open the missing parent", io.open("/nonexistent-bulwark-dir", "r"))
show("open under a file", io.open(dir .. "/cases.txt/x", "r"))
show("remove missing", os.remove("/nonexistent-bulwark-test"))
show("rename missing", os.rename("/nonexistent-bulwark-a", "/nonexistent-bulwark-b"))
show("rename missing parent", os.rename("/nonexistent-bulwark-dir/a", "/nonexistent-bulwark-dir/b"))
show("dofile missing", pcall(dofile, "/nonexistent-bulwark-test.lua"))
show("loadfile dir", loadfile(dir))
show("getenv", os.getenv("HOME"), os.getenv("PATH"))
