// The Lua 5.1 interpreter that runs scripts sent with EVAL, as Redis 7.0 runs them.
//
// Why PUC Lua 5.1 (Debian's liblua5.1) and not LuaJIT: Redis embeds PUC Lua 5.1, and scripts
// depend on its exact behaviour — how numbers print, what # answers for a table with holes,
// error texts with "user_script:LINE:". LuaJIT differs in each of these, and a script that
// works on Redis must work here unchanged. The library is Debian's C++ build of it, whose
// errors unwind as exceptions: a Lua error raised in a function of ours runs the destructors of
// what that function holds, where the C build's longjmp would leak it.
//
// A script is compiled once, named by the SHA-1 of its body, and kept until Flush. A run sets
// KEYS and ARGV, calls the script with an error handler that records where it failed, and
// turns what it returned (or the error) into one reply. redis.call and redis.pcall reach the
// server through the CommandRunner the caller passes in; their replies are read back into Lua
// values (RESP2 or RESP3, as redis.setresp chose).
//
// Threading: execution thread only; one run at a time.
#pragma once

#include <cstddef>
#include <list>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/status.h"
#include "protocol/reply_builder.h"
#include "scripting/shebang.h"

struct lua_State;

namespace strata::scripting {

// How a script's redis.call reaches the server.
class CommandRunner {
 public:
  // Runs `args` (non-empty) as the script's client and appends exactly one RESP reply, in
  // protocol `resp` (2 or 3), to `out`.
  virtual void Run(std::span<const std::string_view> args, int resp, std::string* out) = 0;

 protected:
  ~CommandRunner() = default;
};

class LuaVm {
 public:
  LuaVm();
  ~LuaVm();
  LuaVm(const LuaVm&) = delete;
  LuaVm& operator=(const LuaVm&) = delete;

  // Who asked for a script. Scripts sent with EVAL are a cache with a bound, so that a client
  // that generates scripts cannot grow memory without limit: past kMaxEvalScripts the least
  // recently used goes, and its next EVALSHA gets NOSCRIPT (clients then send EVAL again, as
  // ioredis does). A script SCRIPT LOAD loaded stays until SCRIPT FLUSH.
  enum class Origin { kEval, kLoad };
  static constexpr size_t kMaxEvalScripts = 500;

  // Compiles `body` under `sha` (its SHA-1 in hex) unless it is there already. A script that
  // does not compile, or whose shebang is wrong, gets Redis's error text ("Error compiling
  // script (new function): ...").
  Status Load(const std::string& sha, std::string_view body, Origin origin);
  bool Has(const std::string& sha) const { return scripts_.contains(sha); }
  // A loaded script's shebang flags (null if it is not loaded).
  const ScriptFlags* Flags(const std::string& sha) const {
    auto found = scripts_.find(sha);
    return found == scripts_.end() ? nullptr : &found->second.flags;
  }
  size_t scripts() const { return scripts_.size(); }
  // The scripts' bodies and names (INFO used_memory_scripts_eval).
  size_t script_bytes() const { return script_bytes_; }
  // Drops every script: a new interpreter, so nothing a script left behind survives.
  void Flush();
  // Bytes the interpreter holds (INFO used_memory_lua).
  size_t memory() const;

  // Runs a loaded script. Its reply, or its error, goes to `reply`.
  void Run(const std::string& sha, std::span<const std::string_view> keys,
           std::span<const std::string_view> argv, CommandRunner& runner,
           protocol::ReplyBuilder& reply);

 private:
  void Open();
  void Close();

  void Forget(const std::string& sha);  // one script, evicted

  struct Script {
    size_t bytes = 0;
    ScriptFlags flags;
    bool evictable = false;                    // sent with EVAL only
    std::list<std::string>::iterator in_lru;  // when evictable
  };
  lua_State* lua_ = nullptr;
  std::unordered_map<std::string, Script> scripts_;
  std::list<std::string> lru_;  // evictable scripts, most recently used first
  size_t script_bytes_ = 0;
  int runs_since_gc_ = 0;
};

}  // namespace strata::scripting
