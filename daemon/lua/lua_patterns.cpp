#include "lua/lua_patterns.h"

#include <cctype>
#include <cstring>
#include <lua.hpp>

// Every function here runs as (or under) a lua_CFunction and may leave by
// lua_error, so it holds only trivially destructible locals.

namespace aarshjul::lua_patterns {

namespace {

constexpr int kMaxCaptures = 32;             // as LUA_MAXCAPTURES
constexpr int kMaxDepth = 200;               // recursion, as MAXCCALLS in lstrlib
constexpr std::uint64_t kChargeEvery = 4096; // steps between budget checks
constexpr std::ptrdiff_t kUnfinished = -1;   // capture length: still open
constexpr std::ptrdiff_t kPosition = -2;     // capture length: a position capture ()
constexpr char kEscape = '%';
constexpr const char kSpecials[] = "^$*+?.([%-";

struct Config {
    Budget budget;
    std::size_t max_subject;
};

struct MatchState {
    const char* src_init;
    const char* src_end;
    const char* p_end;
    lua_State* L;
    Config* config;
    int depth;
    int level;
    std::uint64_t steps;
    struct {
        const char* init;
        std::ptrdiff_t len;
    } capture[kMaxCaptures];
};

void charge(MatchState* ms, std::uint64_t steps) {
    ms->steps += steps;
    if (ms->steps < kChargeEvery)
        return;
    const char* stop = ms->config->budget(ms->L, ms->steps);
    ms->steps = 0;
    if (stop)
        luaL_error(ms->L, "%s", stop);
}

void flush(MatchState* ms) {
    if (ms->steps == 0)
        return;
    const char* stop = ms->config->budget(ms->L, ms->steps);
    ms->steps = 0;
    if (stop)
        luaL_error(ms->L, "%s", stop);
}

int uchar(char c) {
    return static_cast<unsigned char>(c);
}

const char* match(MatchState* ms, const char* s, const char* p);

int check_capture(MatchState* ms, int l) {
    l -= '1';
    if (l < 0 || l >= ms->level || ms->capture[l].len == kUnfinished)
        return luaL_error(ms->L, "invalid capture index %%%d", l + 1);
    return l;
}

int capture_to_close(MatchState* ms) {
    int level = ms->level;
    for (level--; level >= 0; level--)
        if (ms->capture[level].len == kUnfinished)
            return level;
    return luaL_error(ms->L, "invalid pattern capture");
}

// The end of the single-character class that starts at p.
const char* class_end(MatchState* ms, const char* p) {
    const char c = *p++;
    if (c == kEscape) {
        if (p == ms->p_end)
            luaL_error(ms->L, "malformed pattern (ends with '%%')");
        return p + 1;
    }
    if (c == '[') {
        if (*p == '^')
            p++;
        // The first character of a set may be ']' itself.
        do {
            if (p == ms->p_end)
                luaL_error(ms->L, "malformed pattern (missing ']')");
            if (*(p++) == kEscape && p < ms->p_end)
                p++;
        } while (*p != ']');
        return p + 1;
    }
    return p;
}

bool match_class(int c, int cl) {
    bool result;
    switch (std::tolower(cl)) {
    case 'a':
        result = std::isalpha(c);
        break;
    case 'c':
        result = std::iscntrl(c);
        break;
    case 'd':
        result = std::isdigit(c);
        break;
    case 'g':
        result = std::isgraph(c);
        break;
    case 'l':
        result = std::islower(c);
        break;
    case 'p':
        result = std::ispunct(c);
        break;
    case 's':
        result = std::isspace(c);
        break;
    case 'u':
        result = std::isupper(c);
        break;
    case 'w':
        result = std::isalnum(c);
        break;
    case 'x':
        result = std::isxdigit(c);
        break;
    case 'z': // deprecated, but Lua 5.4 still has it
        result = (c == 0);
        break;
    default:
        return cl == c;
    }
    return std::isupper(cl) ? !result : result;
}

// p points at '[' and end at the closing ']'.
bool match_bracket(MatchState* ms, int c, const char* p, const char* end) {
    bool found = true;
    if (*(p + 1) == '^') {
        found = false;
        p++;
    }
    charge(ms, static_cast<std::uint64_t>(end - p) / 8);
    while (++p < end) {
        if (*p == kEscape) {
            p++;
            if (match_class(c, uchar(*p)))
                return found;
        } else if (*(p + 1) == '-' && p + 2 < end) {
            p += 2;
            if (uchar(*(p - 2)) <= c && c <= uchar(*p))
                return found;
        } else if (uchar(*p) == c) {
            return found;
        }
    }
    return !found;
}

bool single_match(MatchState* ms, const char* s, const char* p, const char* ep) {
    if (s >= ms->src_end)
        return false;
    const int c = uchar(*s);
    switch (*p) {
    case '.':
        return true;
    case kEscape:
        return match_class(c, uchar(*(p + 1)));
    case '[':
        return match_bracket(ms, c, p, ep - 1);
    default:
        return uchar(*p) == c;
    }
}

const char* match_balance(MatchState* ms, const char* s, const char* p) {
    if (p >= ms->p_end - 1)
        luaL_error(ms->L, "malformed pattern (missing arguments to '%%b')");
    if (s >= ms->src_end || *s != *p)
        return nullptr;
    const char open = *p;
    const char close = *(p + 1);
    int depth = 1;
    while (++s < ms->src_end) {
        charge(ms, 1);
        if (*s == close) {
            if (--depth == 0)
                return s + 1;
        } else if (*s == open) {
            depth++;
        }
    }
    return nullptr;
}

// Greedy: take as many as possible, then give back one at a time.
const char* max_expand(MatchState* ms, const char* s, const char* p, const char* ep) {
    std::ptrdiff_t i = 0;
    while (single_match(ms, s + i, p, ep)) {
        charge(ms, 1);
        i++;
    }
    while (i >= 0) {
        const char* res = match(ms, s + i, ep + 1);
        if (res)
            return res;
        i--;
    }
    return nullptr;
}

// Lazy: take as few as possible, one more at a time.
const char* min_expand(MatchState* ms, const char* s, const char* p, const char* ep) {
    for (;;) {
        const char* res = match(ms, s, ep + 1);
        if (res)
            return res;
        if (!single_match(ms, s, p, ep))
            return nullptr;
        s++;
    }
}

const char* start_capture(MatchState* ms, const char* s, const char* p, std::ptrdiff_t what) {
    if (ms->level >= kMaxCaptures)
        luaL_error(ms->L, "too many captures");
    ms->capture[ms->level].init = s;
    ms->capture[ms->level].len = what;
    ms->level++;
    const char* res = match(ms, s, p);
    if (!res)
        ms->level--;
    return res;
}

const char* end_capture(MatchState* ms, const char* s, const char* p) {
    const int l = capture_to_close(ms);
    ms->capture[l].len = s - ms->capture[l].init;
    const char* res = match(ms, s, p);
    if (!res)
        ms->capture[l].len = kUnfinished;
    return res;
}

const char* match_capture(MatchState* ms, const char* s, int l) {
    l = check_capture(ms, l);
    const std::size_t len = static_cast<std::size_t>(ms->capture[l].len);
    charge(ms, len / 16 + 1);
    if (static_cast<std::size_t>(ms->src_end - s) >= len &&
        std::memcmp(ms->capture[l].init, s, len) == 0)
        return s + len;
    return nullptr;
}

// Matches pattern p against the subject from s; returns the end of the match or nullptr.
const char* match(MatchState* ms, const char* s, const char* p) {
    if (ms->depth-- == 0)
        luaL_error(ms->L, "pattern too complex");
    const char* ep = nullptr;
    const char* res = nullptr;
    for (;;) {
        charge(ms, 1);
        if (p == ms->p_end)
            break;
        bool plain_item = false;
        switch (*p) {
        case '(':
            if (*(p + 1) == ')')
                s = start_capture(ms, s, p + 2, kPosition);
            else
                s = start_capture(ms, s, p + 1, kUnfinished);
            break;
        case ')':
            s = end_capture(ms, s, p + 1);
            break;
        case '$':
            if (p + 1 != ms->p_end) {
                plain_item = true;
                break;
            }
            s = (s == ms->src_end) ? s : nullptr;
            break;
        case kEscape:
            switch (*(p + 1)) {
            case 'b':
                s = match_balance(ms, s, p + 2);
                if (s) {
                    p += 4;
                    continue;
                }
                break;
            case 'f': {
                p += 2;
                if (*p != '[')
                    luaL_error(ms->L, "missing '[' after '%%f' in pattern");
                ep = class_end(ms, p);
                const char previous = (s == ms->src_init) ? '\0' : *(s - 1);
                // At the end of the subject *s is the terminating '\0' Lua keeps.
                if (!match_bracket(ms, uchar(previous), p, ep - 1) &&
                    match_bracket(ms, uchar(*s), p, ep - 1)) {
                    p = ep;
                    continue;
                }
                s = nullptr;
                break;
            }
            case '0':
            case '1':
            case '2':
            case '3':
            case '4':
            case '5':
            case '6':
            case '7':
            case '8':
            case '9':
                s = match_capture(ms, s, uchar(*(p + 1)));
                if (s) {
                    p += 2;
                    continue;
                }
                break;
            default:
                plain_item = true;
                break;
            }
            break;
        default:
            plain_item = true;
            break;
        }
        if (!plain_item)
            break;
        ep = class_end(ms, p);
        if (!single_match(ms, s, p, ep)) {
            if (*ep == '*' || *ep == '?' || *ep == '-') {
                p = ep + 1;
                continue;
            }
            s = nullptr;
            break;
        }
        if (*ep == '?') {
            res = match(ms, s + 1, ep + 1);
            if (res) {
                s = res;
                break;
            }
            p = ep + 1;
            continue;
        }
        if (*ep == '+') {
            s = max_expand(ms, s + 1, p, ep);
            break;
        }
        if (*ep == '*') {
            s = max_expand(ms, s, p, ep);
            break;
        }
        if (*ep == '-') {
            s = min_expand(ms, s, p, ep);
            break;
        }
        s++;
        p = ep;
    }
    ms->depth++;
    return s;
}

void prepare(MatchState* ms, lua_State* L, Config* config, const char* s, std::size_t ls,
             const char* p, std::size_t lp) {
    ms->L = L;
    ms->config = config;
    ms->src_init = s;
    ms->src_end = s + ls;
    ms->p_end = p + lp;
    ms->steps = 0;
}

void reprepare(MatchState* ms) {
    ms->level = 0;
    ms->depth = kMaxDepth;
}

void push_onecapture(MatchState* ms, int i, const char* s, const char* e) {
    if (i >= ms->level) {
        if (i != 0)
            luaL_error(ms->L, "invalid capture index %%%d", i + 1);
        lua_pushlstring(ms->L, s, static_cast<std::size_t>(e - s));
        return;
    }
    const std::ptrdiff_t l = ms->capture[i].len;
    if (l == kUnfinished)
        luaL_error(ms->L, "unfinished capture");
    if (l == kPosition)
        lua_pushinteger(ms->L, (ms->capture[i].init - ms->src_init) + 1);
    else
        lua_pushlstring(ms->L, ms->capture[i].init, static_cast<std::size_t>(l));
}

int push_captures(MatchState* ms, const char* s, const char* e) {
    const int count = (ms->level == 0 && s) ? 1 : ms->level;
    luaL_checkstack(ms->L, count, "too many captures");
    for (int i = 0; i < count; i++)
        push_onecapture(ms, i, s, e);
    return count;
}

bool no_specials(const char* p, std::size_t lp) {
    for (std::size_t i = 0; i < lp; i++)
        if (p[i] != '\0' && std::strchr(kSpecials, p[i]))
            return false;
    return true;
}

// Lua 5.4's posrelatI: a 1-based start position, negative from the end, clipped to >= 1.
std::size_t start_position(lua_Integer pos, std::size_t len) {
    if (pos > 0)
        return static_cast<std::size_t>(pos);
    if (pos == 0)
        return 1;
    if (pos < -static_cast<lua_Integer>(len))
        return 1;
    return len + static_cast<std::size_t>(pos) + 1;
}

Config* config_of(lua_State* L) {
    return static_cast<Config*>(lua_touserdata(L, lua_upvalueindex(1)));
}

const char* checked_subject(lua_State* L, std::size_t* length) {
    const char* s = luaL_checklstring(L, 1, length);
    const Config* config = config_of(L);
    if (*length > config->max_subject)
        luaL_error(L, "string.%s: subject of %I bytes exceeds the sandbox limit of %I bytes",
                   lua_tostring(L, lua_upvalueindex(2)), static_cast<lua_Integer>(*length),
                   static_cast<lua_Integer>(config->max_subject));
    return s;
}

int find_aux(lua_State* L, bool find) {
    std::size_t ls = 0;
    std::size_t lp = 0;
    const char* s = checked_subject(L, &ls);
    const char* p = luaL_checklstring(L, 2, &lp);
    const std::size_t init = start_position(luaL_optinteger(L, 3, 1), ls);
    if (init > ls + 1) {
        luaL_pushfail(L);
        return 1;
    }
    if (find && (lua_toboolean(L, 4) || no_specials(p, lp))) {
        const void* found = memmem(s + init - 1, ls - init + 1, p, lp);
        if (found) {
            const char* at = static_cast<const char*>(found);
            lua_pushinteger(L, static_cast<lua_Integer>(at - s) + 1);
            lua_pushinteger(L, static_cast<lua_Integer>(at - s + lp));
            return 2;
        }
        luaL_pushfail(L);
        return 1;
    }
    MatchState ms;
    const char* s1 = s + init - 1;
    const bool anchor = (*p == '^');
    if (anchor) {
        p++;
        lp--;
    }
    prepare(&ms, L, config_of(L), s, ls, p, lp);
    do {
        reprepare(&ms);
        const char* e = match(&ms, s1, p);
        if (e) {
            flush(&ms);
            if (find) {
                lua_pushinteger(L, static_cast<lua_Integer>(s1 - s) + 1);
                lua_pushinteger(L, static_cast<lua_Integer>(e - s));
                return push_captures(&ms, nullptr, nullptr) + 2;
            }
            return push_captures(&ms, s1, e);
        }
    } while (s1++ < ms.src_end && !anchor);
    flush(&ms);
    luaL_pushfail(L);
    return 1;
}

int l_find(lua_State* L) {
    return find_aux(L, true);
}
int l_match(lua_State* L) {
    return find_aux(L, false);
}

struct GmatchState {
    std::size_t position;   // where the next search starts
    std::size_t last_match; // end of the last match, or SIZE_MAX
};

// The iterator of gmatch. Upvalues: config, subject, pattern, GmatchState.
int gmatch_next(lua_State* L) {
    std::size_t ls = 0;
    std::size_t lp = 0;
    const char* s = lua_tolstring(L, lua_upvalueindex(2), &ls);
    const char* p = lua_tolstring(L, lua_upvalueindex(3), &lp);
    auto* state = static_cast<GmatchState*>(lua_touserdata(L, lua_upvalueindex(4)));
    MatchState ms;
    prepare(&ms, L, config_of(L), s, ls, p, lp);
    for (const char* src = s + state->position; src <= ms.src_end; src++) {
        reprepare(&ms);
        const char* e = match(&ms, src, p);
        if (e && static_cast<std::size_t>(e - s) != state->last_match) {
            state->position = state->last_match = static_cast<std::size_t>(e - s);
            flush(&ms);
            return push_captures(&ms, src, e);
        }
    }
    state->position = ls + 1;
    flush(&ms);
    return 0;
}

int l_gmatch(lua_State* L) {
    std::size_t ls = 0;
    checked_subject(L, &ls);
    luaL_checkstring(L, 2);
    std::size_t init = start_position(luaL_optinteger(L, 3, 1), ls) - 1;
    if (init > ls)
        init = ls + 1;
    lua_settop(L, 2);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    auto* state = static_cast<GmatchState*>(lua_newuserdatauv(L, sizeof(GmatchState), 0));
    state->position = init;
    state->last_match = SIZE_MAX;
    lua_pushcclosure(L, gmatch_next, 4);
    return 1;
}

void add_s(MatchState* ms, luaL_Buffer* b, const char* s, const char* e) {
    lua_State* L = ms->L;
    std::size_t l = 0;
    const char* news = lua_tolstring(L, 3, &l);
    charge(ms, l / 16 + 1);
    for (std::size_t i = 0; i < l; i++) {
        if (news[i] != kEscape) {
            luaL_addchar(b, news[i]);
            continue;
        }
        i++;
        if (i < l && news[i] == kEscape) {
            luaL_addchar(b, kEscape);
        } else if (i < l && std::isdigit(uchar(news[i]))) {
            if (news[i] == '0') {
                luaL_addlstring(b, s, static_cast<std::size_t>(e - s));
            } else {
                push_onecapture(ms, news[i] - '1', s, e);
                luaL_tolstring(L, -1, nullptr);
                lua_remove(L, -2);
                luaL_addvalue(b);
            }
        } else {
            luaL_error(L, "invalid use of '%c' in replacement string", kEscape);
        }
    }
}

// Adds the replacement of the match s..e; returns whether anything replaced it.
bool add_value(MatchState* ms, luaL_Buffer* b, const char* s, const char* e, int type) {
    lua_State* L = ms->L;
    switch (type) {
    case LUA_TFUNCTION: {
        flush(ms);
        lua_pushvalue(L, 3);
        const int n = push_captures(ms, s, e);
        lua_call(L, n, 1);
        break;
    }
    case LUA_TTABLE:
        push_onecapture(ms, 0, s, e);
        lua_gettable(L, 3);
        break;
    default:
        add_s(ms, b, s, e);
        return true;
    }
    if (!lua_toboolean(L, -1)) {
        lua_pop(L, 1);
        luaL_addlstring(b, s, static_cast<std::size_t>(e - s));
        return false;
    }
    if (!lua_isstring(L, -1))
        luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
    luaL_addvalue(b);
    return true;
}

int l_gsub(lua_State* L) {
    std::size_t srcl = 0;
    std::size_t lp = 0;
    const char* src = checked_subject(L, &srcl);
    const char* p = luaL_checklstring(L, 2, &lp);
    const char* last_match = nullptr;
    const int type = lua_type(L, 3);
    const lua_Integer max_s = luaL_optinteger(L, 4, static_cast<lua_Integer>(srcl) + 1);
    const bool anchor = (*p == '^');
    lua_Integer n = 0;
    bool changed = false;
    luaL_argexpected(L,
                     type == LUA_TNUMBER || type == LUA_TSTRING || type == LUA_TFUNCTION ||
                         type == LUA_TTABLE,
                     3, "string/function/table");
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    if (anchor) {
        p++;
        lp--;
    }
    MatchState ms;
    prepare(&ms, L, config_of(L), src, srcl, p, lp);
    while (n < max_s) {
        reprepare(&ms);
        const char* e = match(&ms, src, p);
        if (e && e != last_match) {
            n++;
            changed = add_value(&ms, &b, src, e, type) || changed;
            src = last_match = e;
        } else if (src < ms.src_end) {
            luaL_addchar(&b, *src++);
        } else {
            break;
        }
        if (anchor)
            break;
    }
    flush(&ms);
    if (!changed) {
        lua_pushvalue(L, 1);
    } else {
        luaL_addlstring(&b, src, static_cast<std::size_t>(ms.src_end - src));
        luaL_pushresult(&b);
    }
    lua_pushinteger(L, n);
    return 2;
}

} // namespace

void install(lua_State* L, int string_table, Budget budget, std::size_t max_subject_bytes) {
    string_table = lua_absindex(L, string_table);
    auto* config = static_cast<Config*>(lua_newuserdatauv(L, sizeof(Config), 0));
    config->budget = budget;
    config->max_subject = max_subject_bytes;
    const int config_index = lua_gettop(L);
    const struct {
        const char* name;
        lua_CFunction function;
    } functions[] = {{"find", l_find}, {"match", l_match}, {"gmatch", l_gmatch}, {"gsub", l_gsub}};
    for (const auto& f : functions) {
        lua_pushvalue(L, config_index);
        lua_pushstring(L, f.name);
        lua_pushcclosure(L, f.function, 2);
        lua_setfield(L, string_table, f.name);
    }
    lua_pop(L, 1);
}

} // namespace aarshjul::lua_patterns
