// Server commands: INFO CONFIG TIME SHUTDOWN SAVE BGSAVE LASTSAVE.
#include "commands/arg_parser.h"
#include "commands/command_table.h"
#include "commands/context.h"
#include "commands/errors.h"
#include "commands/info.h"

namespace strata::commands {
namespace {

void Info(CommandContext& ctx) {
  std::vector<std::string_view> sections(ctx.args.begin() + 1, ctx.args.end());
  ctx.reply.Verbatim(BuildInfo(ctx.server, sections));
}

void ConfigGet(CommandContext& ctx) {
  std::vector<std::string_view> patterns(ctx.args.begin() + 2, ctx.args.end());
  auto pairs = ctx.server.config->Get(patterns);
  ctx.reply.MapHeader(pairs.size());
  for (const auto& [name, value] : pairs) {
    ctx.reply.Bulk(name);
    ctx.reply.Bulk(value);
  }
}

void ConfigSet(CommandContext& ctx) {
  if ((ctx.argc() - 2) % 2 != 0) return ctx.reply.Error(errors::WrongArity("config|set"));
  std::vector<std::pair<std::string_view, std::string_view>> pairs;
  for (size_t i = 2; i + 1 < ctx.argc(); i += 2) pairs.emplace_back(ctx.arg(i), ctx.arg(i + 1));
  Status s = ctx.server.config->Set(pairs);
  if (!s.ok()) return ctx.reply.Error(s.message());
  ctx.reply.Ok();
}

void ConfigRewrite(CommandContext& ctx) {
  Status s = ctx.server.config->Rewrite();
  if (!s.ok()) return ctx.reply.Error(s.message());
  ctx.reply.Ok();
}

void ConfigResetStat(CommandContext& ctx) {
  ctx.ks().ResetStats();
  ServerStats& st = ctx.server.stats;
  st.total_commands = 0;
  st.total_connections = 0;
  st.rejected_connections = 0;
  st.total_net_input_bytes = 0;
  st.total_net_output_bytes = 0;
  st.total_error_replies = 0;
  st.commands.clear();
  st.errors.clear();
  ctx.reply.Ok();
}

void Time(CommandContext& ctx) {
  int64_t us = ctx.server.clock->NowUs();
  ctx.reply.ArrayHeader(2);
  ctx.reply.Bulk(std::to_string(us / 1000000));
  ctx.reply.Bulk(std::to_string(us % 1000000));
}

// SAVE in a durable profile flushes memtables to SST files: the data was already durable, this
// only shortens the WAL replay after a restart. In the cache profile there is nothing to save,
// and restarts start empty by design.
Status DoSave(ServerState& s) {
  Status st = s.keyspace->Commit();
  if (st.ok() && s.save) st = s.save();
  if (st.ok()) {
    s.stats.last_save_ms = s.clock->NowMs();
    ++s.stats.saves;
  }
  return st;
}

void Save(CommandContext& ctx) {
  Status s = DoSave(ctx.server);
  if (!s.ok()) return ctx.reply.Error("ERR " + s.message());
  ctx.reply.Ok();
}

void BgSave(CommandContext& ctx) {
  ArgParser p(ctx.args, 1);
  if (p.HasMore() && !p.Flag("SCHEDULE")) return ctx.reply.Error(errors::kSyntax);
  if (ctx.session.exec_size != 0) {
    // As Redis inside EXEC: the save comes after the transaction (a checkpoint at the next
    // commit), which must not be committed in parts.
    ctx.ks().RequestCheckpoint();
    return ctx.reply.SimpleString("Background saving scheduled");
  }
  Status s = DoSave(ctx.server);
  if (!s.ok()) return ctx.reply.Error("ERR " + s.message());
  ctx.reply.SimpleString("Background saving started");
}

void LastSave(CommandContext& ctx) { ctx.reply.Integer(ctx.server.stats.last_save_ms / 1000); }

void Shutdown(CommandContext& ctx) {
  ArgParser p(ctx.args, 1);
  bool save = false, nosave = false, abort = false;
  while (p.HasMore()) {
    if (p.Flag("NOSAVE"))
      nosave = true;
    else if (p.Flag("SAVE"))
      save = true;
    else if (p.Flag("NOW") || p.Flag("FORCE")) {
    } else if (p.Flag("ABORT"))
      abort = true;
    else
      return ctx.reply.Error(errors::kSyntax);
  }
  if ((save && nosave) || (abort && (save || nosave))) return ctx.reply.Error(errors::kSyntax);
  if (abort) return ctx.reply.Error("ERR No shutdown in progress.");
  // Durable profiles lose nothing either way: every acknowledged write is in the WAL.
  if (save) {
    Status s = DoSave(ctx.server);
    if (!s.ok()) return ctx.reply.Error("ERR Errors trying to SHUTDOWN. Check logs.");
  }
  if (ctx.server.host == nullptr) return ctx.reply.Error("ERR SHUTDOWN is not available here");
  ctx.server.host->Shutdown();
  // Redis closes the connection without a reply on success.
  ctx.session.close_after_reply = true;
}

// MONITOR (monitor.h). A client already monitoring gets no reply, as from Redis.
void Monitor(CommandContext& ctx) {
  if (ctx.session.exec_size != 0)
    return ctx.reply.Error("ERR MONITOR isn't allowed for DENY BLOCKING client");
  if (ctx.session.monitor) return;
  ctx.server.monitors.Add(ctx.session);
  ctx.reply.Ok();
}

}  // namespace

void RegisterServerCommands(CommandTable& t) {
  t.Add({.name = "info",
         .arity = -1,
         .flags = kLoading | kStale,
         .acl = kAclSlow | kAclDangerous,
         .keys = {},
         .handler = Info,
         .group = "server",
         .since = "1.0.0",
         .summary = "Returns information and statistics about the server.",
         .complexity = "O(1)"});
  t.Add({.name = "config",
         .arity = -2,
         .flags = 0,
         .acl = kAclSlow,
         .keys = {},
         .handler = nullptr,
         .group = "server",
         .since = "2.0.0",
         .summary = "A container for server configuration commands.",
         .complexity = "Depends on subcommand."});
  t.Add({.name = "config|get",
         .arity = -3,
         .flags = kAdmin | kNoScript | kLoading | kStale,
         .acl = kAclAdmin | kAclSlow | kAclDangerous,
         .keys = {},
         .handler = ConfigGet,
         .group = "server",
         .since = "2.0.0",
         .summary = "Returns the effective values of configuration parameters.",
         .complexity = "O(N) when N is the number of configuration parameters provided"});
  t.Add({.name = "config|set",
         .arity = -4,
         .flags = kAdmin | kNoScript | kLoading | kStale,
         .acl = kAclAdmin | kAclSlow | kAclDangerous,
         .keys = {},
         .handler = ConfigSet,
         .group = "server",
         .since = "2.0.0",
         .summary = "Sets configuration parameters in-flight.",
         .complexity = "O(N) when N is the number of configuration parameters provided"});
  t.Add({.name = "config|rewrite",
         .arity = 2,
         .flags = kAdmin | kNoScript | kLoading | kStale,
         .acl = kAclAdmin | kAclSlow | kAclDangerous,
         .keys = {},
         .handler = ConfigRewrite,
         .group = "server",
         .since = "2.8.0",
         .summary = "Persists the effective configuration to file.",
         .complexity = "O(1)"});
  t.Add({.name = "config|resetstat",
         .arity = 2,
         .flags = kAdmin | kNoScript | kLoading | kStale,
         .acl = kAclAdmin | kAclSlow | kAclDangerous,
         .keys = {},
         .handler = ConfigResetStat,
         .group = "server",
         .since = "2.0.0",
         .summary = "Resets the server's statistics.",
         .complexity = "O(1)"});
  t.Add({.name = "time",
         .arity = 1,
         .flags = kLoading | kStale | kFast,
         .acl = kAclFast,
         .keys = {},
         .handler = Time,
         .group = "server",
         .since = "2.6.0",
         .summary = "Returns the server time.",
         .complexity = "O(1)"});
  t.Add({.name = "monitor",
         .arity = 1,
         .flags = kAdmin | kNoScript | kLoading | kStale,
         .acl = kAclAdmin | kAclSlow | kAclDangerous,
         .keys = {},
         .handler = Monitor,
         .group = "server",
         .since = "1.0.0",
         .summary = "Listens for all requests received by the server in real-time.",
         .complexity = "O(1)"});
  t.Add({.name = "save",
         .arity = 1,
         .flags = kAdmin | kNoScript | kNoMulti,
         .acl = kAclAdmin | kAclSlow | kAclDangerous,
         .keys = {},
         .handler = Save,
         .group = "server",
         .since = "1.0.0",
         .summary = "Synchronously saves the database(s) to disk.",
         .complexity = "O(N) where N is the total number of keys in all databases"});
  t.Add({.name = "bgsave",
         .arity = -1,
         .flags = kAdmin | kNoScript,
         .acl = kAclAdmin | kAclSlow | kAclDangerous,
         .keys = {},
         .handler = BgSave,
         .group = "server",
         .since = "1.0.0",
         .summary = "Asynchronously saves the database(s) to disk.",
         .complexity = "O(N) where N is the total number of keys in all databases"});
  t.Add({.name = "lastsave",
         .arity = 1,
         .flags = kLoading | kStale | kFast,
         .acl = kAclFast | kAclAdmin | kAclDangerous,
         .keys = {},
         .handler = LastSave,
         .group = "server",
         .since = "1.0.0",
         .summary = "Returns the Unix timestamp of the last successful save to disk.",
         .complexity = "O(1)"});
  t.Add({.name = "shutdown",
         .arity = -1,
         .flags = kAdmin | kNoScript | kLoading | kStale | kNoMulti | kAllowBusy,
         .acl = kAclAdmin | kAclSlow | kAclDangerous,
         .keys = {},
         .handler = Shutdown,
         .group = "server",
         .since = "1.0.0",
         .summary = "Synchronously saves the database(s) to disk and shuts down the Redis server.",
         .complexity = "O(N) when saving, where N is the total number of keys in all databases"});
}

}  // namespace strata::commands
