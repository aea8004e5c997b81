#include "scripting/lua_vm.h"

#include <lua5.1/lua.hpp>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "common/sha1.h"
#include "protocol/reply_reader.h"
#include "scripting/lua_reply.h"

namespace strata::scripting {

namespace {

// What redis.call needs while a script runs.
struct RunState {
  CommandRunner* runner = nullptr;
  int resp = 2;  // redis.setresp
  std::string reply;
  std::vector<std::string> numbers;  // numeric arguments of the current call, as text
  std::vector<std::string_view> views;
};


constexpr char kVersion[] = "7.0.15";
constexpr int kVersionNum = 0x0007000f;
constexpr char kVmKey[] = "strata_vm";  // the LuaVm*, in the registry
constexpr int kGcEveryRuns = 50;

RunState* Running(lua_State* lua) {
  lua_getfield(lua, LUA_REGISTRYINDEX, kVmKey);
  auto* run = static_cast<RunState*>(lua_touserdata(lua, -1));
  lua_pop(lua, 1);
  return run;
}

// The command's arguments, as views: strings point into Lua's own (they stay on the stack for
// the call); numbers are printed into `numbers` first, as Redis 7.0 prints them (%.17g: 0.1 is
// sent as 0.10000000000000001), so the views into them are taken once the vector is complete.
bool ArgsFromStack(lua_State* lua, std::vector<std::string>* numbers,
                   std::vector<std::string_view>* views) {
  const int argc = lua_gettop(lua);
  numbers->clear();
  for (int i = 1; i <= argc; ++i) {
    const int type = lua_type(lua, i);
    if (type == LUA_TNUMBER) {
      char buf[64];
      const int n = std::snprintf(buf, sizeof(buf), "%.17g", lua_tonumber(lua, i));
      numbers->emplace_back(buf, static_cast<size_t>(n));
    } else if (type != LUA_TSTRING) {
      return false;
    }
  }
  views->clear();
  size_t next_number = 0;
  for (int i = 1; i <= argc; ++i) {
    if (lua_type(lua, i) == LUA_TNUMBER) {
      views->emplace_back((*numbers)[next_number++]);
    } else {
      size_t len = 0;
      const char* s = lua_tolstring(lua, i, &len);
      views->emplace_back(s, len);
    }
  }
  return true;
}

// Ends the running C function with an error that carries no position of its own (the error
// handler adds the script's line), as Redis raises the redis.* functions' errors.
int RaiseError(lua_State* lua, std::string_view message) {
  PushErrorTable(lua, message);
  return lua_error(lua);
}

int GenericCall(lua_State* lua, bool raise) {
  RunState* run = Running(lua);
  if (run == nullptr) return luaL_error(lua, "redis.call is only available while a script runs");
  if (lua_gettop(lua) == 0) {
    PushErrorTable(lua, "Please specify at least one argument for this redis lib call");
    return raise ? lua_error(lua) : 1;
  }
  if (!ArgsFromStack(lua, &run->numbers, &run->views)) {
    PushErrorTable(lua, "Lua redis lib command arguments must be strings or integers");
    return raise ? lua_error(lua) : 1;
  }
  run->reply.clear();
  run->runner->Run(run->views, run->resp, &run->reply);
  protocol::ReplyValue value;
  if (protocol::ReadReply(run->reply, &value) <= 0) {
    PushErrorTable(lua, "ERR the command gave an unreadable reply");
    return raise ? lua_error(lua) : 1;
  }
  if (value.type == protocol::ReplyValue::Type::kError) {
    PushErrorTable(lua, "-" + value.str);
    return raise ? lua_error(lua) : 1;
  }
  PushReply(lua, value, run->resp);
  return 1;
}

int Call(lua_State* lua) { return GenericCall(lua, true); }
int PCall(lua_State* lua) { return GenericCall(lua, false); }

int ErrorReply(lua_State* lua) {
  if (lua_gettop(lua) != 1 || !lua_isstring(lua, 1)) {
    PushErrorTable(lua, "wrong number or type of arguments");
    return 1;
  }
  std::string text = lua_tostring(lua, 1);
  PushErrorTable(lua, text.starts_with('-') ? text : "-" + text);
  return 1;
}

int StatusReply(lua_State* lua) {
  if (lua_gettop(lua) != 1 || !lua_isstring(lua, 1)) {
    PushErrorTable(lua, "wrong number or type of arguments");
    return 1;
  }
  lua_newtable(lua);
  lua_pushvalue(lua, 1);
  lua_setfield(lua, -2, "ok");
  return 1;
}

int Sha1HexFn(lua_State* lua) {
  if (lua_gettop(lua) != 1) return RaiseError(lua, "wrong number of arguments");
  size_t len = 0;
  const char* s = lua_tolstring(lua, 1, &len);
  const std::string hex = Sha1Hex(std::string_view(s == nullptr ? "" : s, s == nullptr ? 0 : len));
  lua_pushlstring(lua, hex.data(), hex.size());
  return 1;
}

int Log(lua_State* lua) {
  const int argc = lua_gettop(lua);
  if (argc < 2) return RaiseError(lua, "redis.log() requires two arguments or more.");
  if (!lua_isnumber(lua, 1)) return RaiseError(lua, "First argument must be a number (log level).");
  const auto level = static_cast<int>(lua_tonumber(lua, 1));
  if (level < 0 || level > 3) return RaiseError(lua, "Invalid debug level.");
  std::string line;
  for (int i = 2; i <= argc; ++i) {
    size_t len = 0;
    const char* s = lua_tolstring(lua, i, &len);
    if (s == nullptr) continue;
    if (!line.empty()) line.push_back(' ');
    line.append(s, len);
  }
  static constexpr spdlog::level::level_enum kLevels[] = {
      spdlog::level::debug, spdlog::level::debug, spdlog::level::info, spdlog::level::warn};
  spdlog::log(kLevels[level], "script: {}", line);
  return 0;
}

int SetResp(lua_State* lua) {
  if (lua_gettop(lua) != 1) return RaiseError(lua, "redis.setresp() requires one argument.");
  const auto resp = static_cast<int>(lua_tonumber(lua, 1));
  if (resp != 2 && resp != 3) return RaiseError(lua, "RESP version must be 2 or 3.");
  if (RunState* run = Running(lua)) run->resp = resp;
  return 0;
}

int SetRepl(lua_State* lua) {
  if (lua_gettop(lua) != 1) return RaiseError(lua, "redis.set_repl() requires one argument.");
  const auto flags = static_cast<int>(lua_tonumber(lua, 1));
  if (flags < 0 || flags > 3) {
    return RaiseError(lua, "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
  }
  return 0;  // one node: nothing is replicated, and the redo log records every write
}

int ReplicateCommands(lua_State* lua) {
  lua_pushboolean(lua, 1);  // always so in Redis 7
  return 1;
}

int Breakpoint(lua_State* lua) {
  lua_pushboolean(lua, 0);  // no debugger session
  return 1;
}

int Debug(lua_State*) { return 0; }

// Reading a global that does not exist is an error, as in Redis, so that a typo does not turn
// into a silent nil.
int MissingGlobal(lua_State* lua) {
  const char* name = lua_tostring(lua, 2);
  return luaL_error(lua, "Script attempted to access nonexistent global variable '%s'",
                    name == nullptr ? "?" : name);
}

int NewGlobal(lua_State* lua) { return luaL_error(lua, "Attempt to modify a readonly table"); }

// The message handler of every run: makes the error a table {err=, source=, line=} naming
// where in the script it happened (the caller of a C function, for redis.call and error()).
int ErrorHandler(lua_State* lua) {
  lua_Debug where{};
  bool found = lua_getstack(lua, 1, &where) && lua_getinfo(lua, "nSl", &where);
  if (found && std::string_view(where.what) == "C") {
    found = lua_getstack(lua, 2, &where) && lua_getinfo(lua, "nSl", &where);
  }
  if (!lua_istable(lua, 1)) {
    const char* text = lua_tostring(lua, 1);
    std::string err = "ERR ";
    err += text == nullptr ? "(error object is not a string)" : text;
    lua_newtable(lua);
    lua_pushlstring(lua, err.data(), err.size());
    lua_setfield(lua, -2, "err");
    lua_replace(lua, 1);
  }
  if (found) {
    lua_pushstring(lua, where.source);
    lua_setfield(lua, 1, "source");
    lua_pushinteger(lua, where.currentline);
    lua_setfield(lua, 1, "line");
  }
  lua_settop(lua, 1);
  return 1;
}

void OpenLibrary(lua_State* lua, lua_CFunction open, const char* name) {
  lua_pushcfunction(lua, open);
  lua_pushstring(lua, name);
  lua_call(lua, 1, 0);
}

void SetFunction(lua_State* lua, const char* name, lua_CFunction f) {
  lua_pushcfunction(lua, f);
  lua_setfield(lua, -2, name);
}

void SetNumber(lua_State* lua, const char* name, lua_Number n) {
  lua_pushnumber(lua, n);
  lua_setfield(lua, -2, name);
}

// Up to two-level arrays of strings as KEYS and ARGV.
void SetArrayGlobal(lua_State* lua, const char* name, std::span<const std::string_view> items) {
  lua_pushstring(lua, name);
  lua_createtable(lua, static_cast<int>(items.size()), 0);
  for (size_t i = 0; i < items.size(); ++i) {
    lua_pushlstring(lua, items[i].data(), items[i].size());
    lua_rawseti(lua, -2, static_cast<int>(i + 1));
  }
  lua_rawset(lua, LUA_GLOBALSINDEX);
}

std::string FunctionKey(const std::string& sha) { return "f_" + sha; }

}  // namespace

LuaVm::LuaVm() { Open(); }
LuaVm::~LuaVm() { Close(); }

void LuaVm::Open() {
  lua_ = luaL_newstate();
  OpenLibrary(lua_, luaopen_base, "");
  OpenLibrary(lua_, luaopen_table, LUA_TABLIBNAME);
  OpenLibrary(lua_, luaopen_string, LUA_STRLIBNAME);
  OpenLibrary(lua_, luaopen_math, LUA_MATHLIBNAME);
  // Nothing that reaches files or the process: io, os, package and debug are never opened;
  // the base library's file loaders go.
  for (const char* name : {"loadfile", "dofile"}) {
    lua_pushnil(lua_);
    lua_setglobal(lua_, name);
  }

  lua_newtable(lua_);
  SetFunction(lua_, "call", Call);
  SetFunction(lua_, "pcall", PCall);
  SetFunction(lua_, "error_reply", ErrorReply);
  SetFunction(lua_, "status_reply", StatusReply);
  SetFunction(lua_, "sha1hex", Sha1HexFn);
  SetFunction(lua_, "log", Log);
  SetFunction(lua_, "setresp", SetResp);
  SetFunction(lua_, "set_repl", SetRepl);
  SetFunction(lua_, "replicate_commands", ReplicateCommands);
  SetFunction(lua_, "breakpoint", Breakpoint);
  SetFunction(lua_, "debug", Debug);
  SetNumber(lua_, "LOG_DEBUG", 0);
  SetNumber(lua_, "LOG_VERBOSE", 1);
  SetNumber(lua_, "LOG_NOTICE", 2);
  SetNumber(lua_, "LOG_WARNING", 3);
  SetNumber(lua_, "REPL_NONE", 0);
  SetNumber(lua_, "REPL_AOF", 1);
  SetNumber(lua_, "REPL_SLAVE", 2);
  SetNumber(lua_, "REPL_REPLICA", 2);
  SetNumber(lua_, "REPL_ALL", 3);
  lua_pushstring(lua_, kVersion);
  lua_setfield(lua_, -2, "REDIS_VERSION");
  SetNumber(lua_, "REDIS_VERSION_NUM", kVersionNum);
  lua_setglobal(lua_, "redis");

  // From here on the globals are closed: reading a missing one or adding one is an error.
  lua_newtable(lua_);
  SetFunction(lua_, "__index", MissingGlobal);
  SetFunction(lua_, "__newindex", NewGlobal);
  lua_setmetatable(lua_, LUA_GLOBALSINDEX);
  scripts_.clear();
  lru_.clear();
  script_bytes_ = 0;
}

void LuaVm::Close() {
  if (lua_ != nullptr) lua_close(lua_);
  lua_ = nullptr;
}

void LuaVm::Flush() {
  Close();
  Open();
}

size_t LuaVm::memory() const {
  return static_cast<size_t>(lua_gc(lua_, LUA_GCCOUNT, 0)) * 1024 +
         static_cast<size_t>(lua_gc(lua_, LUA_GCCOUNTB, 0));
}

Status LuaVm::Load(const std::string& sha, std::string_view body, Origin origin) {
  auto found = scripts_.find(sha);
  if (found != scripts_.end()) {
    Script& script = found->second;
    if (script.evictable && origin == Origin::kLoad) {
      lru_.erase(script.in_lru);
      script.evictable = false;
    } else if (script.evictable) {
      lru_.splice(lru_.begin(), lru_, script.in_lru);
    }
    return Status::OK();
  }
  StatusOr<Shebang> shebang = ParseShebang(body);
  if (!shebang.ok()) return shebang.status();
  // The shebang's newline stays, so the script's lines keep their numbers.
  const std::string_view code = body.substr(shebang->length);
  if (luaL_loadbuffer(lua_, code.data(), code.size(), "@user_script") != 0) {
    std::string error = "ERR Error compiling script (new function): ";
    const char* text = lua_tostring(lua_, -1);
    error += text == nullptr ? "unknown error" : text;
    lua_pop(lua_, 1);
    return Status::InvalidArgument(error);
  }
  lua_setfield(lua_, LUA_REGISTRYINDEX, FunctionKey(sha).c_str());
  Script& script = scripts_[sha];
  script.bytes = body.size() + sha.size();
  script.flags = shebang->flags;
  script_bytes_ += script.bytes;
  if (origin == Origin::kEval) {
    script.evictable = true;
    lru_.push_front(sha);
    script.in_lru = lru_.begin();
    if (lru_.size() > kMaxEvalScripts) Forget(std::string(lru_.back()));
  }
  return Status::OK();
}

void LuaVm::Forget(const std::string& sha) {
  auto found = scripts_.find(sha);
  if (found == scripts_.end()) return;
  lua_pushnil(lua_);
  lua_setfield(lua_, LUA_REGISTRYINDEX, FunctionKey(sha).c_str());
  script_bytes_ -= found->second.bytes;
  if (found->second.evictable) lru_.erase(found->second.in_lru);
  scripts_.erase(found);
}

void LuaVm::Run(const std::string& sha, std::span<const std::string_view> keys,
                std::span<const std::string_view> argv, CommandRunner& runner,
                protocol::ReplyBuilder& reply) {
  auto found = scripts_.find(sha);
  if (found != scripts_.end() && found->second.evictable) {
    lru_.splice(lru_.begin(), lru_, found->second.in_lru);  // used: the last to go
  }
  RunState run;
  run.runner = &runner;
  lua_pushlightuserdata(lua_, &run);
  lua_setfield(lua_, LUA_REGISTRYINDEX, kVmKey);
  SetArrayGlobal(lua_, "KEYS", keys);
  SetArrayGlobal(lua_, "ARGV", argv);

  const int base = lua_gettop(lua_);
  lua_pushcfunction(lua_, ErrorHandler);
  lua_getfield(lua_, LUA_REGISTRYINDEX, FunctionKey(sha).c_str());
  const int failed = lua_pcall(lua_, 0, 1, base + 1);
  if (failed == 0) {
    WriteReply(lua_, -1, run.resp, reply);
  } else {
    WriteError(lua_, -1, sha, reply);
  }
  lua_settop(lua_, base);

  lua_pushnil(lua_);
  lua_setfield(lua_, LUA_REGISTRYINDEX, kVmKey);
  if (++runs_since_gc_ >= kGcEveryRuns) {  // a step of garbage collection now and then
    lua_gc(lua_, LUA_GCSTEP, kGcEveryRuns);
    runs_since_gc_ = 0;
  }
}

}  // namespace strata::scripting
