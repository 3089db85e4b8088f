-- A module that lies outside the lua/ folder: the sandbox's require must not find it.
return { escaped = true }
