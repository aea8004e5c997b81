// SLOWLOG GET [count] | LEN | RESET | HELP (commands/slowlog.h keeps the entries).
#include "commands/command_table.h"
#include "commands/context.h"
#include "commands/errors.h"
#include "common/numbers.h"

namespace strata::commands {
namespace {

constexpr size_t kDefaultGet = 10;

void SlowlogGet(CommandContext& ctx) {
  size_t count = kDefaultGet;
  if (ctx.argc() == 3) {
    auto n = ParseInt64(ctx.arg(2));
    if (!n || *n < -1) return ctx.reply.Error("ERR count should be greater than or equal to -1");
    count = *n == -1 ? SIZE_MAX : static_cast<size_t>(*n);
  } else if (ctx.argc() > 3) {
    return ctx.reply.Error(errors::SubcommandSyntax(ctx.arg(1), "SLOWLOG"));
  }
  const auto& entries = ctx.server.slowlog.entries();
  const size_t n = std::min(count, entries.size());
  ctx.reply.ArrayHeader(n);
  for (size_t i = 0; i < n; ++i) {
    const SlowLogEntry& e = entries[i];
    ctx.reply.ArrayHeader(6);
    ctx.reply.Integer(static_cast<int64_t>(e.id));
    ctx.reply.Integer(e.unix_seconds);
    ctx.reply.Integer(e.micros);
    ctx.reply.ArrayHeader(e.args.size());
    for (const std::string& a : e.args) ctx.reply.Bulk(a);
    ctx.reply.Bulk(e.addr);
    ctx.reply.Bulk(e.name);
  }
}

void SlowlogLen(CommandContext& ctx) {
  ctx.reply.Integer(static_cast<int64_t>(ctx.server.slowlog.size()));
}

void SlowlogReset(CommandContext& ctx) {
  ctx.server.slowlog.Reset();
  ctx.reply.SimpleString("OK");
}

void SlowlogHelp(CommandContext& ctx) {
  static const char* const kLines[] = {
      "SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "GET [<count>]",
      "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
      "    Entries are made of:",
      "    id, timestamp, time in microseconds, arguments array, client IP and port,",
      "    client name",
      "LEN",
      "    Return the length of the slowlog.",
      "RESET",
      "    Reset the slowlog.",
      "HELP",
      "    Prints this help.",
  };
  ReplyHelp(ctx, kLines);
}

}  // namespace

void RegisterSlowlogCommands(CommandTable& t) {
  t.Add({.name = "slowlog",
         .arity = -2,
         .flags = 0,
         .acl = kAclSlow,
         .keys = {},
         .handler = nullptr,
         .group = "server",
         .since = "2.2.12",
         .summary = "A container for slow log commands.",
         .complexity = "Depends on subcommand."});
  t.Add({.name = "slowlog|get",
         .arity = -2,
         .flags = kAdmin | kLoading | kStale,
         .acl = kAclAdmin | kAclSlow | kAclDangerous,
         .keys = {},
         .handler = SlowlogGet,
         .group = "server",
         .since = "2.2.12",
         .summary = "Returns the slow log's entries.",
         .complexity = "O(N) where N is the number of entries returned"});
  t.Add({.name = "slowlog|len",
         .arity = 2,
         .flags = kAdmin | kLoading | kStale,
         .acl = kAclAdmin | kAclSlow | kAclDangerous,
         .keys = {},
         .handler = SlowlogLen,
         .group = "server",
         .since = "2.2.12",
         .summary = "Returns the number of entries in the slow log.",
         .complexity = "O(1)"});
  t.Add({.name = "slowlog|reset",
         .arity = 2,
         .flags = kAdmin | kLoading | kStale,
         .acl = kAclAdmin | kAclSlow | kAclDangerous,
         .keys = {},
         .handler = SlowlogReset,
         .group = "server",
         .since = "2.2.12",
         .summary = "Clears all entries from the slow log.",
         .complexity = "O(N) where N is the number of entries in the slowlog"});
  t.Add({.name = "slowlog|help",
         .arity = 2,
         .flags = kLoading | kStale,
         .acl = kAclSlow,
         .keys = {},
         .handler = SlowlogHelp,
         .group = "server",
         .since = "6.2.0",
         .summary = "Show helpful text about the different subcommands",
         .complexity = "O(1)"});
}

}  // namespace strata::commands
