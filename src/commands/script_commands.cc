// EVAL EVALSHA EVAL_RO EVALSHA_RO SCRIPT: Lua scripts (scripting/lua_vm.h), each run as one
// step. A script's writes reach the redo log as one record, as a transaction's do, so a crash
// keeps all of them or none.
#include "commands/command_table.h"
#include "commands/context.h"
#include "commands/dispatch.h"
#include "commands/errors.h"
#include "common/ascii.h"
#include "common/numbers.h"
#include "common/sha1.h"

namespace strata::commands {
namespace {

// The script's client: the caller's database at the start (a SELECT inside the script stays
// inside it), the protocol redis.setresp chose, never blocking.
class ScriptClient final : public scripting::CommandRunner {
 public:
  ScriptClient(CommandContext& ctx, bool read_only, bool deny_oom)
      : server_(ctx.server), read_only_(read_only), deny_oom_(deny_oom) {
    session_.id = ctx.session.id;
    session_.db = ctx.session.db;
    session_.addr = ctx.session.addr;
    session_.name = ctx.session.name;
    session_.exec_size = 1;  // memory and pauses were checked for the script as a whole
  }

  void Run(std::span<const std::string_view> args, int resp, std::string* out) override {
    protocol::ReplyBuilder reply(out, resp);
    const CommandTable& table = CommandTable::Get();
    const CommandSpec* spec = table.Find(args[0]);
    if (spec == nullptr) return reply.Error("ERR Unknown Redis command called from script");
    if (table.HasSubcommands(*spec) && args.size() >= 2) {
      if (const CommandSpec* sub = table.FindSub(*spec, args[1])) spec = sub;
    }
    if (!spec->ArityOk(args.size())) {
      return reply.Error("ERR Wrong number of args calling Redis command from script");
    }
    if ((spec->flags & kNoScript) != 0) {
      return reply.Error("ERR This Redis command is not allowed from script");
    }
    if (read_only_ && (spec->flags & kWrite) != 0) {
      return reply.Error("ERR Write commands are not allowed from read-only scripts.");
    }
    if (deny_oom_ && (spec->flags & kDenyOom) != 0) return reply.Error(errors::kOom);
    session_.protocol = resp;
    Dispatch(server_, session_, args, reply);
    if (session_.block.active) {
      // A blocking command does not block in a script: it answers as if it timed out.
      const bool null_array = session_.block.null_array_on_timeout;
      session_.block = BlockRequest();
      session_.stream_wait.reset();
      if (null_array) {
        reply.NullArray();
      } else {
        reply.Null();
      }
    }
  }

 private:
  ServerState& server_;
  Session session_;
  bool read_only_;
  bool deny_oom_;  // memory was over maxmemory when the script started
};

void RunScript(CommandContext& ctx, const std::string& sha, bool read_only) {
  const std::optional<int64_t> numkeys = ParseInt64(ctx.arg(2));
  if (!numkeys) return ctx.reply.Error("ERR value is not an integer or out of range");
  if (*numkeys < 0) return ctx.reply.Error("ERR Number of keys can't be negative");
  if (static_cast<uint64_t>(*numkeys) > ctx.argc() - 3) {
    return ctx.reply.Error("ERR Number of keys can't be greater than number of args");
  }
  const auto first_arg = 3 + static_cast<size_t>(*numkeys);
  storage::Keyspace& ks = ctx.ks();
  const scripting::ScriptFlags& flags = *ctx.server.scripts.Flags(sha);
  const bool over_memory = ks.maxmemory() != 0 && ks.OverMemoryLimit();
  if (!flags.compat) {
    // A script with a shebang is judged by its flags before it runs, as a whole: unless they
    // say otherwise, EVAL is refused as a command that may add memory is.
    if (over_memory && !flags.allow_oom && !flags.no_writes) return ctx.reply.Error(errors::kOom);
    if (!flags.no_writes && !ks.write_error().ok()) {
      return ctx.reply.Error("MISCONF Errors writing to the AOF file: " +
                             ks.write_error().message());
    }
    if (!flags.no_writes && read_only) {
      return ctx.reply.Error("ERR Can not execute a script with write flag using *_ro command.");
    }
  }
  // Without a shebang, each command is checked as it is called: one that may add memory is
  // refused if memory was over the limit when the script started.
  ScriptClient client(ctx, read_only || flags.no_writes,
                      over_memory && flags.compat && !flags.allow_oom);
  ks.SetInTransaction(true);
  ctx.server.scripts.Run(sha, ctx.args.subspan(3, static_cast<size_t>(*numkeys)),
                         ctx.args.subspan(first_arg), client, ctx.reply);
  ks.SetInTransaction(false);
}

void EvalWith(CommandContext& ctx, bool read_only) {
  const std::string sha = Sha1Hex(ctx.arg(1));
  Status loaded = ctx.server.scripts.Load(sha, ctx.arg(1), scripting::LuaVm::Origin::kEval);
  if (!loaded.ok()) return ctx.reply.Error(loaded.message());
  RunScript(ctx, sha, read_only);
}

void EvalShaWith(CommandContext& ctx, bool read_only) {
  const std::string sha = AsciiLowerString(ctx.arg(1));
  if (sha.size() != 40 || !ctx.server.scripts.Has(sha)) {
    return ctx.reply.Error("NOSCRIPT No matching script. Please use EVAL.");
  }
  RunScript(ctx, sha, read_only);
}

void Eval(CommandContext& ctx) { EvalWith(ctx, false); }
void EvalRo(CommandContext& ctx) { EvalWith(ctx, true); }
void EvalSha(CommandContext& ctx) { EvalShaWith(ctx, false); }
void EvalShaRo(CommandContext& ctx) { EvalShaWith(ctx, true); }

void ScriptLoad(CommandContext& ctx) {
  const std::string sha = Sha1Hex(ctx.arg(2));
  Status loaded = ctx.server.scripts.Load(sha, ctx.arg(2), scripting::LuaVm::Origin::kLoad);
  if (!loaded.ok()) return ctx.reply.Error(loaded.message());
  ctx.reply.Bulk(sha);
}

void ScriptExists(CommandContext& ctx) {
  ctx.reply.ArrayHeader(ctx.argc() - 2);
  for (size_t i = 2; i < ctx.argc(); ++i) {
    const std::string sha = AsciiLowerString(ctx.arg(i));
    ctx.reply.Integer(sha.size() == 40 && ctx.server.scripts.Has(sha) ? 1 : 0);
  }
}

void ScriptFlush(CommandContext& ctx) {
  if (ctx.argc() == 3 && !AsciiEqualsIgnoreCase(ctx.arg(2), "sync") &&
      !AsciiEqualsIgnoreCase(ctx.arg(2), "async")) {
    return ctx.reply.Error("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
  }
  if (ctx.argc() > 3) return ctx.reply.Error("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
  ctx.server.scripts.Flush();
  ctx.reply.Ok();
}

void ScriptKill(CommandContext& ctx) {
  // Scripts run on the execution thread to the end, so none is ever running when this runs.
  ctx.reply.Error("NOTBUSY No scripts in execution right now.");
}

void ScriptHelp(CommandContext& ctx) {
  static const char* const kLines[] = {
      "SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "DEBUG (YES|SYNC|NO)",
      "    Set the debug mode for subsequent scripts executed.",
      "EXISTS <sha1> [<sha1> ...]",
      "    Return information about the existence of the scripts in the script cache.",
      "FLUSH [ASYNC|SYNC]",
      "    Flush the Lua scripts cache. Very dangerous on replicas.",
      "    When called without the optional mode argument, the behavior is determined by the",
      "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
      "    * ASYNC: Asynchronously flush the scripts cache.",
      "    * SYNC: Synchronously flush the scripts cache.",
      "KILL",
      "    Kill the currently executing Lua script.",
      "LOAD <script>",
      "    Load a script into the scripts cache without executing it.",
      "HELP",
      "    Prints this help.",
  };
  ReplyHelp(ctx, kLines);
}

}  // namespace

void RegisterScriptCommands(CommandTable& t) {
  constexpr uint32_t kEvalFlags = kNoScript | kSkipMonitor | kMayReplicate | kStale;
  constexpr uint32_t kEvalRoFlags = kNoScript | kSkipMonitor | kStale | kReadOnly;
  constexpr uint32_t kAcl = kAclSlow | kAclScripting;
  const KeySpec keys{.numkeys = 2};
  t.Add({.name = "eval",
         .arity = -3,
         .flags = kEvalFlags,
         .acl = kAcl,
         .keys = keys,
         .handler = Eval,
         .group = "scripting",
         .since = "2.6.0",
         .summary = "Execute a Lua script server side",
         .complexity = "Depends on the script that is executed."});
  t.Add({.name = "evalsha",
         .arity = -3,
         .flags = kEvalFlags,
         .acl = kAcl,
         .keys = keys,
         .handler = EvalSha,
         .group = "scripting",
         .since = "2.6.0",
         .summary = "Execute a Lua script server side",
         .complexity = "Depends on the script that is executed."});
  t.Add({.name = "eval_ro",
         .arity = -3,
         .flags = kEvalRoFlags,
         .acl = kAcl,
         .keys = keys,
         .handler = EvalRo,
         .group = "scripting",
         .since = "7.0.0",
         .summary = "Execute a read-only Lua script server side",
         .complexity = "Depends on the script that is executed."});
  t.Add({.name = "evalsha_ro",
         .arity = -3,
         .flags = kEvalRoFlags,
         .acl = kAcl,
         .keys = keys,
         .handler = EvalShaRo,
         .group = "scripting",
         .since = "7.0.0",
         .summary = "Execute a read-only Lua script server side",
         .complexity = "Depends on the script that is executed."});
  t.Add({.name = "script",
         .arity = -2,
         .flags = 0,
         .acl = kAclSlow,
         .keys = {},
         .handler = nullptr,
         .group = "scripting",
         .since = "2.6.0",
         .summary = "A container for Lua scripts management commands",
         .complexity = "Depends on subcommand."});
  t.Add({.name = "script|load",
         .arity = 3,
         .flags = kNoScript | kStale,
         .acl = kAcl,
         .keys = {},
         .handler = ScriptLoad,
         .group = "scripting",
         .since = "2.6.0",
         .summary = "Load the specified Lua script into the script cache.",
         .complexity = "O(N) with N being the length in bytes of the script body."});
  t.Add({.name = "script|exists",
         .arity = -3,
         .flags = kNoScript,
         .acl = kAcl,
         .keys = {},
         .handler = ScriptExists,
         .group = "scripting",
         .since = "2.6.0",
         .summary = "Check existence of scripts in the script cache.",
         .complexity = "O(N) with N being the number of scripts to check (so checking a single "
                       "script is an O(1) operation)."});
  t.Add({.name = "script|flush",
         .arity = -2,
         .flags = kNoScript,
         .acl = kAcl,
         .keys = {},
         .handler = ScriptFlush,
         .group = "scripting",
         .since = "2.6.0",
         .summary = "Remove all the scripts from the script cache.",
         .complexity = "O(N) with N being the number of scripts in cache"});
  t.Add({.name = "script|kill",
         .arity = 2,
         .flags = kNoScript | kAllowBusy,
         .acl = kAcl,
         .keys = {},
         .handler = ScriptKill,
         .group = "scripting",
         .since = "2.6.0",
         .summary = "Kill the script currently in execution.",
         .complexity = "O(1)"});
  t.Add({.name = "script|help",
         .arity = 2,
         .flags = kLoading | kStale,
         .acl = kAclSlow,
         .keys = {},
         .handler = ScriptHelp,
         .group = "scripting",
         .since = "5.0.0",
         .summary = "Show helpful text about the different subcommands",
         .complexity = "O(1)"});
}

}  // namespace strata::commands
