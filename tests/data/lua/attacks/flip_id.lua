-- A table whose id flips once the DSL has checked it (issue 14, item 5):
-- the loader's own check in C++ refuses it at the workflow {} call, line 9.
local checked = false
local real = {
  title = { da = "T", en = "T" }, source = "S",
  assignee = role "coordinator", schedule = yearly { month = 3, day = 1 },
}
local keys = { id = true, title = true, source = true, assignee = true, schedule = true }
workflow(setmetatable({}, {
  __index = function(_, key)
    if key == "id" then return checked and "EVIL|KEY#x y" or "GOOD" end
    if key == "title" then checked = true end
    return real[key]
  end,
  __pairs = function() return next, keys, nil end,
}))
