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
  t.Add({"slowlog",
         -2,
         0,
         kAclSlow,
         {},
         nullptr,
         "server",
         "2.2.12",
         "A container for slow log commands.",
         "Depends on subcommand."});
  t.Add({"slowlog|get",
         -2,
         kAdmin | kLoading | kStale,
         kAclAdmin | kAclSlow | kAclDangerous,
         {},
         SlowlogGet,
         "server",
         "2.2.12",
         "Returns the slow log's entries.",
         "O(N) where N is the number of entries returned"});
  t.Add({"slowlog|len",
         2,
         kAdmin | kLoading | kStale,
         kAclAdmin | kAclSlow | kAclDangerous,
         {},
         SlowlogLen,
         "server",
         "2.2.12",
         "Returns the number of entries in the slow log.",
         "O(1)"});
  t.Add({"slowlog|reset",
         2,
         kAdmin | kLoading | kStale,
         kAclAdmin | kAclSlow | kAclDangerous,
         {},
         SlowlogReset,
         "server",
         "2.2.12",
         "Clears all entries from the slow log.",
         "O(N) where N is the number of entries in the slowlog"});
  t.Add({"slowlog|help",
         2,
         kLoading | kStale,
         kAclSlow,
         {},
         SlowlogHelp,
         "server",
         "6.2.0",
         "Show helpful text about the different subcommands",
         "O(1)"});
}

}  // namespace strata::commands
